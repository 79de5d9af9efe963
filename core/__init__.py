"""What every app shares: it imports no app of this project."""
