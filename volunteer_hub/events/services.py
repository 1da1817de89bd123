"""Finding events as the public sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, inspect, or_, select
from sqlalchemy.orm import lazyload, selectinload

from volunteer_hub.caching import recent
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db


def upcoming_events_query(now: datetime | None = None) -> Select[tuple[Event]]:
    """Published events that have not ended (and cancelled ones, so people
    learn of the cancellation), dated ones first, soonest first, then TBA."""
    now = now or utcnow()
    return (
        select(Event)
        .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
        .where(
            or_(
                Event.starts_at.is_(None),
                func.coalesce(Event.ends_at, Event.starts_at) >= now,
            )
        )
        .order_by(Event.starts_at.is_(None), Event.starts_at, Event.id)
        .options(selectinload(Event.venues))
    )


def upcoming_events(page: int, per_page: int) -> Pagination:
    """One page of upcoming events, venues loaded."""
    return db.paginate(upcoming_events_query(), page=page, per_page=per_page, error_out=False)


def get_public_event_or_404(slug: str) -> Event:
    """A published (or cancelled) event by slug; drafts do not exist for the public."""
    event = db.session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .where(Event.status != EventStatus.DRAFT)
        .options(selectinload(Event.venues))
    )
    if event is None:
        abort(404)
    return event


@dataclass(frozen=True)
class VenueChoice:
    id: int
    name: str


@dataclass(frozen=True)
class EventOutline:
    """What a sent RSVP form is checked against before its booking: the
    event as its page showed it, kept as long as the page is kept
    (``PAGE_CACHE_SECONDS``). Nothing is decided on it: the booking reads
    the event and its venue again under the lock."""

    id: int
    online: bool
    guest_limit: int
    venues: tuple[VenueChoice, ...]


def public_event_outline(slug: str) -> EventOutline:
    """The outline of a published (or cancelled) event, or 404."""
    def build() -> EventOutline:
        event = get_public_event_or_404(slug)
        return EventOutline(event.id, event.online, event.guest_limit,
                            tuple(VenueChoice(venue.id, venue.name) for venue in event.venues))
    return recent("event_outlines").get(slug, build)


def get_event_or_404(event_id: int) -> Event:
    """Any event, drafts included, with its venues loaded: for the console."""
    event = db.session.scalar(
        select(Event).where(Event.id == event_id).options(selectinload(Event.venues)))
    if event is None:
        abort(404)
    return event


def has_ended(event: Event, now: datetime | None = None) -> bool:
    """Whether the event is over; TBA events never are."""
    end = event.ends_at or event.starts_at
    return end is not None and end < (now or utcnow())


def accepts_rsvps(event: Event, now: datetime | None = None) -> bool:
    """Published and not over yet."""
    return event.status is EventStatus.PUBLISHED and not has_ended(event, now)


def lock_event(event: Event) -> None:
    """Serialise capacity decisions for ``event``: a row lock on PostgreSQL,
    after which the event is read again. On SQLite the transaction already
    holds the write lock (``begin_write``)."""
    # The id from the identity map: ``begin_write`` has expired the event,
    # and reading ``event.id`` would first load it once more.
    lock_event_by_id(inspect(event).identity[0])


def lock_event_by_id(event_id: int) -> Event | None:
    """``lock_event`` for the event with ``event_id``, which is returned as
    read under the lock (None if it was deleted). Its venues and
    translations load later if asked for: no capacity decision needs the
    translations, and a booking reads its venue's count itself."""
    return db.session.scalars(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .options(lazyload(Event.venues), lazyload(Event.translations))
        .execution_options(populate_existing=True)
    ).first()


def venue_of(event: Event, venue_id: int) -> Venue | None:
    """The event's venue with ``venue_id``, or None if it is not one of them."""
    return next((venue for venue in event.venues if venue.id == venue_id), None)
