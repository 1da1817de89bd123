"""Lookup: "find my RSVPs and tasks" by an emailed, short-lived link."""
