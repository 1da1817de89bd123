"""Changes coordinators make to an event that its attendees must hear of.

Each function takes the event's lock (the caller starts the transaction with
``begin_write()``), applies the change, and queues updated invites for the
people (and volunteers) whose calendar entry it affects. Coordinator screens
call these; so do the tests. Returns how many people will be emailed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from volunteer_hub.database import utcnow
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


VENUE_FIELDS = frozenset({
    "name", "address", "timezone", "starts_at", "ends_at", "capacity", "accessibility",
})
EVENT_FIELDS = frozenset({
    "title", "slug", "description", "timezone", "starts_at", "ends_at", "online",
    "stream_url", "guest_limit",
})


def create_event(**fields: object) -> Event:
    """A new draft event; nobody is told anything until it is published."""
    event = Event(status=EventStatus.DRAFT, **_checked(EVENT_FIELDS, fields))
    _check_times(None, event.starts_at, event.ends_at)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, **fields: object) -> int:
    """Edit an event; the people whose invite shows something that changed
    (time, title, online link …) get an update, or their first invite when a
    TBA event gets its date."""
    fields = _checked(EVENT_FIELDS, fields)
    lock_event(event)
    _check_times(event.starts_at, fields.get("starts_at", event.starts_at),
                 fields.get("ends_at", event.ends_at))
    for name, value in fields.items():
        setattr(event, name, value)
    return _changed(event)


def set_published(event: Event, published: bool) -> None:
    """Show the event to the public, or take it back to a draft. No one is
    emailed: RSVPs already made stay as they are."""
    lock_event(event)
    if event.status is EventStatus.CANCELLED:
        raise ChangeError("A cancelled event stays cancelled.")
    event.status = EventStatus.PUBLISHED if published else EventStatus.DRAFT
    db.session.flush()


def add_venue(event: Event, **fields: object) -> Venue:
    """A new place to attend; nobody's invite changes."""
    lock_event(event)
    venue = Venue(event=event, position=len(event.venues), **_checked(VENUE_FIELDS, fields))
    db.session.add(venue)
    event.updated_at = utcnow()  # the public pages and calendars change
    db.session.flush()
    return venue


def _checked(allowed: frozenset[str], fields: dict[str, object]) -> dict[str, object]:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return fields


def _check_times(before: datetime | None, starts_at: object, ends_at: object) -> None:
    if ends_at is not None and (starts_at is None or ends_at <= starts_at):  # type: ignore[operator]
        raise ChangeError("The end must come after the start.")
    if starts_at is None and before is not None:
        raise ChangeError(
            "A dated event cannot go back to 'to be announced': calendars already hold it. "
            "Move it to a new date, or cancel it."
        )


def reschedule(event: Event, starts_at: datetime | None, ends_at: datetime | None) -> int:
    """Move the event, or set the date of a TBA event: everyone going gets
    an updated invite (or their first one)."""
    return update_event(event, starts_at=starts_at, ends_at=ends_at)


def update_venue(venue: Venue, **fields: object) -> int:
    """Edit a venue (name, address, time zone, own times, capacity,
    accessibility). People there get an updated invite when it shows
    something that changed; more places let the waitlist move up."""
    _checked(VENUE_FIELDS, fields)
    lock_event(venue.event)
    _check_times(None, fields.get("starts_at", venue.starts_at),
                 fields.get("ends_at", venue.ends_at))
    for name, value in fields.items():
        setattr(venue, name, value)
    db.session.flush()
    promoted = promote_waitlist(venue)
    return len(promoted) + _changed(venue.event)


def set_stream_url(event: Event, stream_url: str | None) -> int:
    """Change the online link: everyone attending online gets it in an update."""
    return update_event(event, stream_url=stream_url)


def cancel_event(event: Event) -> int:
    """Cancel the event: everyone signed up is told, and calendars drop it."""
    lock_event(event)
    if event.status is EventStatus.CANCELLED:
        return 0
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    db.session.flush()
    return sync_invites(event) + sync_task_invites(_tasks_of(event))
