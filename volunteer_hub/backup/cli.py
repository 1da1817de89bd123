"""``flask backup DEST``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from volunteer_hub.backup.services import BackupError, backup_sqlite
from volunteer_hub.extensions import db


@click.command("backup")
@click.argument("destination", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Copy the SQLite database, while the site runs, to DESTINATION (a new
    file, or a folder for a dated file). PostgreSQL: use pg_dump."""
    try:
        path = backup_sqlite(db.engine, destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {path} ({path.stat().st_size} bytes).")
