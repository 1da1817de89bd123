"""Models of the appeal feature."""
