"""``flask create-coordinator``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from volunteer_hub.coordinators import services
from volunteer_hub.extensions import db


@click.command("create-coordinator")
@click.argument("email")
@click.option("--name", required=True, help="The name other coordinators see.")
@click.option("--admin", is_flag=True, help="May manage accounts and read the audit log.")
@with_appcontext
def create_coordinator_command(email: str, name: str, admin: bool) -> None:
    """Create a coordinator account. The password is asked for, or read from
    the first line of standard input when that is not a terminal."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        coordinator = services.create_coordinator(email, name, password, admin=admin)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    services.audit(None, "account.add", f"created {coordinator.name} from the command line")
    db.session.commit()
    click.echo(f"Created {'admin ' if admin else ''}coordinator {coordinator.name} "
               f"<{coordinator.email}>.")
