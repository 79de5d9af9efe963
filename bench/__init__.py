"""`make bench`: a reproducible benchmark of the production stack (see run.py)."""
