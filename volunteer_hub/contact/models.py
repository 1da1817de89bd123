"""Models of the contact feature."""
