"""``flask purge-expired``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from volunteer_hub.privacy.purge import run_purge


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Remove personal data past its retention period (RETENTION_DAYS after
    an event; see the README). Safe to repeat; prints counts only."""
    report = run_purge()
    if report is None:
        click.echo("Another purge is running right now; nothing was done.")
        return
    click.echo(f"Retention: personal data goes {current_app.config['RETENTION_DAYS']} days "
               "after an event ends or a volunteer's last task is over.")
    for line in report.lines():
        click.echo(line)
