"""Broadcasts: coordinators email a segment of an event's people."""
