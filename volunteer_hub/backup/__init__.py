"""Backups of the database: ``flask backup DEST`` for SQLite (PostgreSQL has
``pg_dump``; see docs/deploy.md)."""

from volunteer_hub.backup.cli import backup_command

__all__ = ["backup_command"]
