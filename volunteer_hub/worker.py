"""``flask send-mail``: the background worker. Each round it queues the
reminders that have come due, writes the RSVP confirmations that bookings
left to it (CONFIRMATIONS_BY_WORKER), then delivers the outbox; once a day
it also purges personal data past its retention (volunteer_hub.privacy.purge)."""

from __future__ import annotations

import logging
import time
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from volunteer_hub.database import begin_write, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.delivery import deliver_due
from volunteer_hub.mail.transports import transport_from_url
from volunteer_hub.privacy.purge import purge_if_due
from volunteer_hub.rsvps.services import queue_due_reminders, write_waiting_confirmations

log = logging.getLogger(__name__)

#: PostgreSQL advisory lock ("vh_remnd"): one worker queues reminders at a time.
REMINDER_LOCK = 0x76685F72656D6E64


def queue_reminders(now: datetime | None = None) -> int | None:
    """Queue and commit the reminders that are due; None when another worker
    is queueing them right now (PostgreSQL).

    Two workers reading the same due RSVPs at once would each queue a
    reminder: on PostgreSQL ``begin_write()`` locks nothing, so the lock here
    makes them take turns (the one that waits finds the work done next
    round); on SQLite ``BEGIN IMMEDIATE`` already does.
    """
    begin_write()
    if db.engine.dialect.name == "postgresql" and not db.session.scalar(
            select(func.pg_try_advisory_xact_lock(REMINDER_LOCK))):
        db.session.rollback()
        return None
    queued = queue_due_reminders(now)
    db.session.commit()
    return queued


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--interval", type=float, default=None,
              help="Seconds between looks at the outbox (default: MAIL_POLL_INTERVAL).")
@with_appcontext
def send_mail_command(once: bool, interval: float | None) -> None:
    """Deliver the outbox to VOLUNTEER_HUB_MAIL_URL, queueing reminders as
    events come near; unless --once, purge expired personal data daily."""
    transport = transport_from_url(current_app.config["MAIL_URL"])
    interval = interval if interval is not None else current_app.config["MAIL_POLL_INTERVAL"]
    purge_due_at = utcnow()
    while True:
        try:
            queue_reminders()
            write_waiting_confirmations()
            if not once:
                purge_due_at = purge_if_due(purge_due_at)
            tried = deliver_due(transport)
        except Exception:  # the database went away, say: log, and try again later
            if once:
                raise
            log.exception("delivering the outbox failed; trying again in %s s", interval)
            db.session.rollback()
        else:
            if once:
                click.echo(f"Tried {tried} message(s).")
                return
        time.sleep(interval)
