"""The public calendar entries of an event, and "add to calendar" links."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from volunteer_hub import i18n
from volunteer_hub.events.models import Event, Venue
from volunteer_hub.invites.caching import Kept
from volunteer_hub.invites.ical import DEFAULT_DURATION, Entry
from volunteer_hub.markup import markdown_to_text
from volunteer_hub.urls import absolute_url

#: Entries of the public feed's events kept between builds of the feed, so
#: that after one event changes the others' are not made again. Sized for a
#: feed of a couple of thousand events in two languages.
_kept_entries: Kept[tuple, tuple[Entry, ...]] = Kept(4096)


def _uid(event: Event, part: str) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "volunteer-hub"
    return f"event-{event.id}-{part}@{host}"


def event_entries(event: Event) -> list[Entry]:
    """One entry per venue (each at its own local time) and one for online
    attendance; none while the date is to be announced. Our own words in
    them are in the page's language; titles and addresses as entered."""
    if event.starts_at is None:
        return []
    url = absolute_url("events.detail", slug=event.slug)
    description = "\n\n".join((markdown_to_text(event.description),
                                gettext("RSVP: %(link)s", link=url)))
    several = len(event.venues) + int(event.online) > 1
    entries = [
        Entry(
            uid=_uid(event, f"venue-{venue.id}"),
            sequence=event.sequence,
            summary=f"{event.title} ({venue.name})" if several else event.title,
            starts_at=venue.local_starts_at or event.starts_at,
            ends_at=venue.local_ends_at,
            timezone=venue.timezone,
            location=f"{venue.name}, {venue.address}",
            url=url,
            description=description,
            cancelled=event.is_cancelled,
        )
        for venue in event.venues
    ]
    if event.online:
        entries.append(
            Entry(
                uid=_uid(event, "online"),
                sequence=event.sequence,
                summary=gettext("%(title)s (online)", title=event.title) if several
                else event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                timezone=event.timezone,
                location=gettext("Online"),
                url=url,
                description=description,
                cancelled=event.is_cancelled,
            )
        )
    return entries


def kept_event_entries(event: Event) -> tuple[Entry, ...]:
    """``event_entries(event)``, kept under everything they are made of:
    every column of the event and of each of its venues (so whatever
    ``event_entries`` reads, now or later, is in the key), the language of
    their words and BASE_URL. Only for public entries."""
    key = (_columns(event), *map(_columns, event.venues), i18n.current_language(),
           current_app.config["BASE_URL"])
    return _kept_entries.get(key, lambda: tuple(event_entries(event)))


def _columns(row: Event | Venue) -> tuple:
    # Straight from the loaded values: a tenth of the cost of going through
    # the attributes, which matters for a thousand events. Anything not
    # loaded (expired, deferred) is read the usual way, never taken as None.
    loaded = row.__dict__
    return tuple(loaded[name] if name in loaded else getattr(row, name)
                 for name in _column_names(type(row)))


@functools.cache
def _column_names(model: type) -> tuple[str, ...]:
    return tuple(column.key for column in sa.inspect(model).column_attrs)


@dataclass(frozen=True)
class AddLinks:
    """Links that put an entry into a web calendar."""

    google: str
    outlook: str


def add_links(entry: Entry) -> AddLinks:
    return AddLinks(google_calendar_url(entry), outlook_calendar_url(entry))


def add_links_by_place(event: Event) -> dict[int | str, AddLinks]:
    """For the event page: links per venue id, and under "online"."""
    places: list[int | str] = [venue.id for venue in event.venues]
    if event.online:
        places.append("online")
    entries = event_entries(event)  # none while the date is to be announced
    return {place: add_links(entry) for place, entry in zip(places, entries, strict=False)}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(entry: Entry) -> str:
    """Google Calendar's "add event" page, filled in. Only public details go
    in: never a manage link, which would then sit in someone else's logs."""
    ends_at = entry.ends_at or entry.starts_at + DEFAULT_DURATION
    query = urlencode({
        "action": "TEMPLATE",
        "text": entry.summary,
        "dates": f"{_utc(entry.starts_at)}/{_utc(ends_at)}",
        "ctz": entry.timezone,
        "location": entry.location,
        "details": entry.url,
    })
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_calendar_url(entry: Entry) -> str:
    """Outlook on the web's "new event" page, filled in, public details only."""
    ends_at = entry.ends_at or entry.starts_at + DEFAULT_DURATION
    query = urlencode({
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.summary,
        "startdt": entry.starts_at.astimezone(UTC).isoformat(timespec="seconds"),
        "enddt": ends_at.astimezone(UTC).isoformat(timespec="seconds"),
        "location": entry.location,
        "body": entry.url,
    })
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"
