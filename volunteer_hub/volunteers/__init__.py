"""Volunteers: tasks, sign-ups and offers of help."""
