"""Invites: calendar entries by email (iTIP), public and personal feeds."""
