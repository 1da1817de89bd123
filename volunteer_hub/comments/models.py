"""Models of the comments feature."""
