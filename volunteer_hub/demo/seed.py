"""The campaign's real events, as demo data."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.materials import services as materials
from volunteer_hub.materials.leaflet import event_leaflet
from volunteer_hub.materials.models import Material
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers.models import Task

NEW_YORK = "America/New_York"
LOS_ANGELES = "America/Los_Angeles"

AFTERNOON_DESCRIPTION = """\
Join us, with **Revolution Books**, for an afternoon of solidarity and resistance.

Thousands of people sit in Iran's prisons for what they said, wrote, sang or
believed: students, workers, women who refused the compulsory hijab, lawyers,
journalists, members of persecuted minorities. Many face torture; some face
execution. At the same time the threat of U.S. war against Iran hangs over the
people of that country.

We stand with the political prisoners **and** against U.S. aggression. Come to
hear their words read aloud, learn about the International Emergency Appeal to
Free Iran's Political Prisoners, and find out how you can help:

- add your name to the appeal and bring others to it;
- help put up posters and hand out leaflets;
- join the campaign's actions during the week of the UN General Assembly.

Everyone is welcome. You may RSVP under a first name or a pseudonym.
"""

PRESS_CONFERENCE_DESCRIPTION = """\
A press conference outside the United Nations during the week of the General
Assembly, to present the **International Emergency Appeal to Free Iran's
Political Prisoners** and the names of those who have signed it.

The date and time depend on the General Assembly's schedule. We also need
people to hand out leaflets and talk to passers-by.
"""


def _at(year: int, month: int, day: int, hour: int, zone: str) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(zone))


def _afternoon() -> Event:
    event = Event(
        slug="afternoon-of-solidarity-2027",
        title=(
            "Iran's Political Prisoners Must Be Freed NOW! No U.S. Aggression: "
            "An Afternoon of Solidarity & Resistance"
        ),
        description=AFTERNOON_DESCRIPTION,
        timezone=NEW_YORK,
        starts_at=_at(2027, 9, 25, 15, NEW_YORK),
        ends_at=_at(2027, 9, 25, 18, NEW_YORK),
        online=True,
        stream_url="https://stream.example.org/afternoon-of-solidarity",
        guest_limit=4,
        status=EventStatus.PUBLISHED,
    )
    event.venues = [
        Venue(
            position=0,
            name="Revolution Books Harlem",
            address="437 Malcolm X Blvd @ 132nd St., New York, NY 10037",
            timezone=NEW_YORK,
            capacity=60,
        ),
        Venue(
            position=1,
            name="Revolution Books Berkeley",
            address="Berkeley, California (street address to be confirmed)",
            timezone=LOS_ANGELES,
            starts_at=_at(2027, 9, 25, 15, LOS_ANGELES),
            ends_at=_at(2027, 9, 25, 18, LOS_ANGELES),
            capacity=40,
        ),
    ]
    return event


def _press_conference() -> Event:
    event = Event(
        slug="un-press-conference",
        title="Press conference at the UN: Free Iran's Political Prisoners",
        description=PRESS_CONFERENCE_DESCRIPTION,
        timezone=NEW_YORK,
        starts_at=None,
        ends_at=None,
        online=False,
        guest_limit=2,
        status=EventStatus.PUBLISHED,
    )
    event.venues = [
        Venue(
            position=0,
            name="Outside the United Nations",
            address="Dag Hammarskjöld Plaza, E 47th St & 2nd Ave, New York, NY 10017",
            timezone=NEW_YORK,
        )
    ]
    return event


DEMO_EVENTS = (_afternoon, _press_conference)

#: (event slug or None for ongoing, venue name or None, title, description,
#:  location, own start in the venue's or event's zone as (hour, minute) or None,
#:  duration in minutes, minimum, maximum)
DEMO_TASKS = (
    ("afternoon-of-solidarity-2027", "Revolution Books Harlem", "Set up chairs in Harlem",
     "Set out chairs, the sound system and the banner before people arrive.", "",
     (13, 30), 90, 3, 6),
    ("afternoon-of-solidarity-2027", "Revolution Books Harlem", "Staff the literature table",
     "Hand out the appeal, sell books and collect signatures during the afternoon.", "",
     None, 0, 2, 3),
    ("afternoon-of-solidarity-2027", "Revolution Books Berkeley",
     "Welcome people at the door in Berkeley",
     "Greet people, point them to the room, and tell them about the appeal.", "",
     None, 0, 1, 2),
    ("afternoon-of-solidarity-2027", None, "Moderate the online chat",
     "Welcome people in the stream's chat and pass their questions to the speakers.",
     "Online", None, 0, 1, 2),
    ("un-press-conference", "Outside the United Nations",
     "Hand out leaflets at the UN press conference",
     "Hand the leaflet to passers-by and journalists, and talk about the prisoners.", "",
     None, 0, 5, 12),
    ("un-press-conference", "Outside the United Nations", "Hold the banner",
     "Two people hold the campaign's banner behind the speakers.", "", None, 0, 2, 2),
    (None, None, "Translate the appeal into Farsi",
     "Translate the International Emergency Appeal so it can circulate in Persian.",
     "From home", None, 0, 1, 3),
    (None, None, "Share the appeal on social media",
     "Post the appeal and the events, and ask your friends to sign.",
     "Wherever you are", None, 0, 10, None),
    (None, None, "Put up posters in your neighbourhood",
     "Download the poster, print it, and put it up where people will see it.",
     "Your neighbourhood", None, 0, 5, None),
)


def _demo_tasks(events: dict[str, Event]) -> list[Task]:
    tasks = []
    for position, (slug, venue_name, title, description, location, start, minutes,
                   minimum, maximum) in enumerate(DEMO_TASKS):
        event = events.get(slug) if slug else None
        if slug and event is None:
            continue
        venue = next((v for v in event.venues if v.name == venue_name), None) if event else None
        zone = venue.timezone if venue else (event.timezone if event else NEW_YORK)
        starts_at = ends_at = None
        if start is not None and event is not None and event.starts_at is not None:
            day = (venue.local_starts_at if venue else event.starts_at).astimezone(ZoneInfo(zone))
            starts_at = day.replace(hour=start[0], minute=start[1])
            ends_at = starts_at + timedelta(minutes=minutes)
        tasks.append(Task(
            event=event, venue=venue, position=position, title=title, description=description,
            location=location, timezone=zone, starts_at=starts_at, ends_at=ends_at,
            min_volunteers=minimum, max_volunteers=maximum,
        ))
    return tasks


LEAFLET_TITLE = "Leaflet: An Afternoon of Solidarity & Resistance"
LEAFLET_DESCRIPTION = (
    "One page to print and hand out: the afternoon with Revolution Books in Harlem, "
    "in Berkeley and online, with where to RSVP.")


def _demo_leaflet(events: dict[str, Event]) -> Material | None:
    """The afternoon's leaflet, a PDF made from the event as it is now."""
    event = events.get("afternoon-of-solidarity-2027")
    if event is None or db.session.scalar(
            select(Material.id).where(Material.title == LEAFLET_TITLE)) is not None:
        return None
    pdf = event_leaflet(event, event_url=absolute_url("events.detail", slug=event.slug),
                        campaign=current_app.config["CAMPAIGN_NAME"])
    return materials.add_material(LEAFLET_TITLE, LEAFLET_DESCRIPTION, BytesIO(pdf))


def seed_demo() -> list[Event | Task | Material]:
    """Add the demo events, tasks and leaflet that are missing (events
    matched by slug, tasks by title and event, the leaflet by title);
    returns what was added. What is already there, and any changes made to
    it, is kept."""
    events = {event.slug: event for event in db.session.scalars(
        select(Event).options(selectinload(Event.venues)))}
    added: list[Event | Task | Material] = []
    for make_event in DEMO_EVENTS:
        event = make_event()
        if event.slug not in events:
            db.session.add(event)
            events[event.slug] = event
            added.append(event)
    db.session.flush()
    existing = {tuple(row) for row in db.session.execute(select(Task.event_id, Task.title))}
    for task in _demo_tasks(events):
        if (task.event.id if task.event else None, task.title) not in existing:
            db.session.add(task)
            added.append(task)
    db.session.flush()
    leaflet = _demo_leaflet(events)
    if leaflet is not None:
        added.append(leaflet)
    return added
