"""Changes coordinators make to an event that its attendees must hear of.

Each function takes the event's lock (the caller starts the transaction with
``begin_write()``), applies the change, and queues updated invites for the
people (and volunteers) whose calendar entry it affects. Coordinator screens call these; so do
the tests. Returns how many people will be emailed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.events.services import lock_event
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.services import promote_waitlist, sync_invites
from volunteer_hub.volunteers.models import Task
from volunteer_hub.volunteers.services import sync_task_invites


class ChangeError(ValueError):
    """A change the rules do not allow; the message is for the coordinator."""


def _changed(event: Event) -> int:
    event.sequence += 1
    db.session.flush()
    if event.is_cancelled:
        return 0  # everyone was told when it was cancelled
    return sync_invites(event) + sync_task_invites(_tasks_of(event))


def _tasks_of(event: Event) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.event_id == event.id)))


def reschedule(event: Event, starts_at: datetime | None, ends_at: datetime | None) -> int:
    """Move the event, or set the date of a TBA event: everyone going gets
    an updated invite (or their first one)."""
    if ends_at is not None and (starts_at is None or ends_at <= starts_at):
        raise ChangeError("The end must come after the start.")
    lock_event(event)
    if starts_at is None and event.starts_at is not None:
        raise ChangeError(
            "A dated event cannot go back to 'to be announced': calendars already hold it. "
            "Move it to a new date, or cancel it."
        )
    event.starts_at, event.ends_at = starts_at, ends_at
    return _changed(event)


def update_venue(venue: Venue, **fields: object) -> int:
    """Edit a venue (name, address, time zone, own times, capacity). People
    there get an updated invite; more places let the waitlist move up."""
    unknown = set(fields) - {"name", "address", "timezone", "starts_at", "ends_at", "capacity"}
    if unknown:
        raise TypeError(f"not venue fields: {sorted(unknown)}")
    lock_event(venue.event)
    for name, value in fields.items():
        setattr(venue, name, value)
    db.session.flush()
    promote_waitlist(venue)
    return _changed(venue.event)


def set_stream_url(event: Event, stream_url: str | None) -> int:
    """Change the online link: everyone attending online gets it in an update."""
    lock_event(event)
    event.stream_url = stream_url
    return _changed(event)


def cancel_event(event: Event) -> int:
    """Cancel the event: everyone signed up is told, and calendars drop it."""
    lock_event(event)
    if event.status is EventStatus.CANCELLED:
        return 0
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    db.session.flush()
    return sync_invites(event) + sync_task_invites(_tasks_of(event))
