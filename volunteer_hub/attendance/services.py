"""Who is on an attendance list or a volunteer roster, each read in a fixed
number of queries however long the list."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from volunteer_hub.events.models import Event, Venue
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Signup, Task

#: The ``venue`` value that selects the people attending online.
ONLINE = "online"


class UnknownPlace(LookupError):
    """A ``venue`` value that names no place of the event."""


class Attendee(NamedTuple):
    """One person going, as the list at the door shows them (a tuple: lists
    hold thousands)."""

    name: str
    guests: int
    checked_in: bool
    #: what the person asked us to arrange, for the people at the door
    access_needs: str = ""


@dataclass
class PlaceList:
    """The people going to one place of an event: a venue, or online."""

    event: Event
    venue: Venue | None
    attendees: list[Attendee] = field(default_factory=list)
    #: people going whose name the retention policy removed: counted, not listed
    anonymous: list[Attendee] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The place as the ``venue`` parameter names it."""
        return ONLINE if self.venue is None else str(self.venue.id)

    @property
    def name(self) -> str:
        return "Online" if self.venue is None else self.venue.name

    @property
    def is_online(self) -> bool:
        return self.venue is None

    @property
    def starts_at(self) -> datetime | None:
        """When things start there: the venue's own time, or the event's online."""
        return self.event.starts_at if self.venue is None else self.venue.local_starts_at

    @property
    def ends_at(self) -> datetime | None:
        return self.event.ends_at if self.venue is None else self.venue.local_ends_at

    @property
    def timezone(self) -> str:
        """The zone the place's times are shown in."""
        return self.event.timezone if self.venue is None else self.venue.timezone

    @property
    def going(self) -> int:
        return len(self.attendees) + len(self.anonymous)

    @property
    def guests(self) -> int:
        return sum(attendee.guests for attendee in self.attendees + self.anonymous)

    @property
    def people(self) -> int:
        """Attendees plus their guests: the people to expect."""
        return self.going + self.guests


class Volunteer(NamedTuple):
    """One person on a task's roster."""

    name: str
    phone: str
    languages: str


@dataclass
class Roster:
    """A task's confirmed volunteers, alphabetical, and its waitlist in order."""

    task: Task
    confirmed: list[Volunteer] = field(default_factory=list)
    waitlist: list[Volunteer] = field(default_factory=list)
    #: volunteers whose data the retention policy removed: counted, not listed
    anonymous_confirmed: int = 0
    anonymous_waitlisted: int = 0

    @property
    def confirmed_count(self) -> int:
        return len(self.confirmed) + self.anonymous_confirmed

    @property
    def waitlist_count(self) -> int:
        return len(self.waitlist) + self.anonymous_waitlisted

    @property
    def anonymous(self) -> int:
        return self.anonymous_confirmed + self.anonymous_waitlisted


def name_order(name: str) -> tuple[str, str]:
    """Sort key for names in any script, ignoring case and accents.

    Sorting here rather than in SQL gives the same order on SQLite and on
    PostgreSQL whatever the database's collation.
    """
    folded = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), name


def attendance_lists(event: Event, place: str = "") -> list[PlaceList]:
    """The people going, one list per venue then online, each alphabetical.

    ``place`` is a venue id or "online" to keep one list, or "" for all. The
    online list is there when the event is online or someone is going online.
    Raises UnknownPlace when ``place`` names no place of the event.
    """
    venues = {str(venue.id): venue for venue in event.venues}
    if place and place != ONLINE and place not in venues:
        raise UnknownPlace(place)
    lists = {key: PlaceList(event, venue) for key, venue in venues.items()}
    lists[ONLINE] = PlaceList(event, None)
    query = select(Rsvp.venue_id, Rsvp.name, Rsvp.guests, Rsvp.checked_in_at.is_not(None),
                   Rsvp.access_needs).where(
        Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING)
    if place == ONLINE:
        query = query.where(Rsvp.venue_id.is_(None))
    elif place:
        query = query.where(Rsvp.venue_id == int(place))
    for venue_id, name, guests, checked_in, access_needs in db.session.execute(query):
        key = ONLINE if venue_id is None else str(venue_id)
        if key in lists:
            (lists[key].attendees if name else lists[key].anonymous).append(
                Attendee(name, guests, bool(checked_in), access_needs))
    if not (event.online or lists[ONLINE].going):
        if place == ONLINE:
            raise UnknownPlace(place)
        del lists[ONLINE]
    chosen = [lists[place]] if place else list(lists.values())
    for place_list in chosen:
        place_list.attendees.sort(key=lambda attendee: name_order(attendee.name))
    return chosen


def task_with_places(task_id: int) -> Task | None:
    """The task with its event and venue loaded (for its time and place), or None."""
    return db.session.scalar(
        select(Task).where(Task.id == task_id).options(
            joinedload(Task.event), joinedload(Task.venue).joinedload(Venue.event)))


def roster(task: Task) -> Roster:
    """The task's confirmed volunteers and its waitlist, in one query."""
    rows = db.session.execute(
        select(Assignment.status, Signup.name, Signup.phone, Signup.languages)
        .join(Signup, Assignment.signup_id == Signup.id)
        .where(Assignment.task_id == task.id, Assignment.status != AssignmentStatus.DROPPED)
        .order_by(Assignment.waitlisted_at, Assignment.id)
    )
    result = Roster(task)
    for status, name, phone, languages in rows:
        confirmed = status is AssignmentStatus.CONFIRMED
        if not name:  # anonymised by the retention policy
            if confirmed:
                result.anonymous_confirmed += 1
            else:
                result.anonymous_waitlisted += 1
            continue
        volunteers = result.confirmed if confirmed else result.waitlist
        volunteers.append(Volunteer(name, phone, languages))
    result.confirmed.sort(key=lambda volunteer: name_order(volunteer.name))
    return result


@dataclass(frozen=True)
class TaskGroup:
    """An event's tasks (or the ongoing ones, without an event) for the roster index."""

    event: Event | None
    tasks: list[Task]


@dataclass
class RosterCounts:
    """How many volunteers a task has, confirmed and waiting."""

    confirmed: int = 0
    waitlisted: int = 0


def roster_index() -> tuple[list[TaskGroup], dict[int, RosterCounts]]:
    """Every task grouped by event (TBA first, then newest date; ongoing last)
    and its counts, in three queries."""
    tasks = db.session.scalars(
        select(Task).outerjoin(Event, Task.event_id == Event.id)
        .order_by(Task.event_id.is_(None), Event.starts_at.is_not(None), Event.starts_at.desc(),
                  Event.id, Task.position, Task.id)
        .options(selectinload(Task.event))
    ).all()
    groups: list[TaskGroup] = []
    for task in tasks:
        if not groups or groups[-1].event is not task.event:
            groups.append(TaskGroup(task.event, []))
        groups[-1].tasks.append(task)
    counts: dict[int, RosterCounts] = {}
    for task_id, status, count in db.session.execute(
        select(Assignment.task_id, Assignment.status, func.count(Assignment.id))
        .where(Assignment.status != AssignmentStatus.DROPPED)
        .group_by(Assignment.task_id, Assignment.status)
    ):
        task_counts = counts.setdefault(task_id, RosterCounts())
        if status is AssignmentStatus.CONFIRMED:
            task_counts.confirmed = count
        else:
            task_counts.waitlisted = count
    return groups, counts
