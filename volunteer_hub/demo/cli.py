"""``flask seed-demo``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from volunteer_hub.demo.seed import seed_demo
from volunteer_hub.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the campaign's demo events and volunteer tasks (safe to run again)."""
    try:
        added = seed_demo()
        db.session.commit()
    except DBAPIError as error:
        raise click.ClickException(
            "The database is not ready. Run `flask --app volunteer_hub db upgrade` first."
        ) from error
    if added:
        for thing in added:
            click.echo(f"Added {type(thing).__name__.lower()}: {thing.title}")
    else:
        click.echo("Demo data already present.")
