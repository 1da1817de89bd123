"""What the console shows: counts per event and venue, RSVP lists, offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

#: The place key for online attendance in count tables.
ONLINE = "online"


@dataclass
class Counts:
    """People at one place (a venue, or online), attendees and guests."""

    going: int = 0
    guests: int = 0
    waitlisted: int = 0
    checked_in: int = 0
    cancelled: int = 0

    @property
    def people(self) -> int:
        """Going attendees plus their guests: what capacity counts."""
        return self.going + self.guests


def events_overview() -> list[tuple[Event, Counts]]:
    """Every event, newest date first (TBA at the top), with its counts, in
    two queries."""
    events = db.session.scalars(
        select(Event).order_by(Event.starts_at.is_not(None), Event.starts_at.desc(), Event.id)
        .options(selectinload(Event.venues))
    ).all()
    totals = _counts(Rsvp.event_id)
    return [(event, totals.get(event.id, Counts())) for event in events]


def place_counts(event: Event) -> dict[int | str, Counts]:
    """Counts per venue id and for online, in one query."""
    counts = _counts(func.coalesce(Rsvp.venue_id, -1), Rsvp.event_id == event.id)
    result: dict[int | str, Counts] = {venue.id: counts.get(venue.id, Counts())
                                       for venue in event.venues}
    if event.online or -1 in counts:
        result[ONLINE] = counts.get(-1, Counts())
    return result


def _counts(key, *where) -> dict:
    going = Rsvp.status == RsvpStatus.GOING
    rows = db.session.execute(
        select(
            key,
            func.sum(case((going, 1), else_=0)),
            func.sum(case((going, Rsvp.guests), else_=0)),
            func.sum(case((Rsvp.status == RsvpStatus.WAITLISTED, 1), else_=0)),
            func.sum(case((going & Rsvp.checked_in_at.is_not(None), 1), else_=0)),
            func.sum(case((Rsvp.status == RsvpStatus.CANCELLED, 1), else_=0)),
        ).where(*where).group_by(key)
    ).all()
    return {row[0]: Counts(*(int(value or 0) for value in row[1:])) for row in rows}


def rsvp_list(event: Event, *, search: str = "", place: str = "", status: str = ""
              ) -> list[Rsvp]:
    """The event's RSVPs, alphabetical, filtered by a name or email search,
    a place (venue id or "online") and a status. RSVPs the retention policy
    anonymised are counted, never listed."""
    query = (select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.name != "")
             .order_by(func.lower(Rsvp.name), Rsvp.id).options(selectinload(Rsvp.venue)))
    if search:
        pattern = f"%{search.casefold()}%"
        query = query.where(or_(func.lower(Rsvp.name).like(pattern), Rsvp.email_key.like(pattern)))
    if place == ONLINE:
        query = query.where(Rsvp.venue_id.is_(None))
    elif place.isascii() and place.isdigit():
        query = query.where(Rsvp.venue_id == int(place))
    if status.upper() in RsvpStatus.__members__:
        query = query.where(Rsvp.status == RsvpStatus[status.upper()])
    return list(db.session.scalars(query))


def anonymised_count(event: Event) -> int:
    """RSVPs of ``event`` whose personal data the retention policy removed."""
    return db.session.scalar(select(func.count(Rsvp.id)).where(
        Rsvp.event_id == event.id, Rsvp.name == "")) or 0


def duplicate_emails(event: Event) -> set[str]:
    """Addresses with more than one active RSVP for the event."""
    return set(db.session.scalars(
        select(Rsvp.email_key)
        .where(Rsvp.event_id == event.id, Rsvp.status != RsvpStatus.CANCELLED,
               Rsvp.email_key != "")
        .group_by(Rsvp.email_key).having(func.count(Rsvp.id) > 1)
    ))


def rsvps_per_day(event: Event) -> list[tuple[date, int]]:
    """RSVPs made each day (UTC), every day from the first to the last."""
    day = func.date(Rsvp.created_at)
    rows = db.session.execute(
        select(day, func.count(Rsvp.id)).where(Rsvp.event_id == event.id).group_by(day)
    ).all()
    counts = {_as_date(value): count for value, count in rows}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [(first + timedelta(days=offset), counts.get(first + timedelta(days=offset), 0))
            for offset in range((last - first).days + 1)]


def _as_date(value: date | str) -> date:
    """SQLite gives the day as text, PostgreSQL as a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)
