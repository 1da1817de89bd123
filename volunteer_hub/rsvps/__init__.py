"""Rsvps: see routes.py for the pages, services.py for the rules."""
