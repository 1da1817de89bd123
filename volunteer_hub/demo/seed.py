"""The campaign's real events, as demo data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db

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


def seed_demo() -> list[Event]:
    """Add the demo events that are missing (matched by slug); returns the
    ones added. Events already there, and any changes made to them, are kept."""
    existing = set(db.session.scalars(select(Event.slug)))
    added = []
    for make_event in DEMO_EVENTS:
        event = make_event()
        if event.slug not in existing:
            db.session.add(event)
            added.append(event)
    db.session.flush()
    return added
