"""Reliability drills (`make drills`) and the production stack they share with
`make bench` (drills/stack.py)."""
