"""iCalendar as pure functions: invites (RFC 5545 with iTIP, RFC 5546) and
feeds are built from plain data, without a request or a database.

Times carry their IANA zone as TZID and the matching VTIMEZONE, generated
from the system's zone data for the years around the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Volunteer Hub//Invites//EN"
#: Calendars need an end to show a block; an event without one gets this.
DEFAULT_DURATION = timedelta(hours=2)


class Method(Enum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Entry:
    """One calendar entry: what a VEVENT shows."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime | None
    #: IANA zone the times are written in
    timezone: str
    location: str
    url: str
    description: str = ""
    cancelled: bool = False


#: C0 controls (but tab and line breaks) and DEL: RFC 5545 TEXT cannot carry
#: them, and one pasted from a word processor would spoil the whole calendar.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Line breaks of any kind as plain newlines, the only kind iCalendar
    keeps; characters iCalendar cannot carry dropped."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class _Text(vText):
    """TEXT escaped as RFC 5545 says and nothing more: icalendar's own
    escaping first turns a literal backslash-N (C:\\New folder) into a line
    break."""

    def to_ical(self) -> bytes:
        escaped = (str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                   .replace("\n", "\\n"))
        return escaped.encode(self.encoding)


def _text(value: str) -> _Text:
    return _Text(one_line(value))


def _when(moment: datetime, zone: ZoneInfo) -> datetime:
    """Local time in ``zone`` (written with its TZID), or UTC for a time in the
    hour the clocks repeat, which local time cannot tell apart."""
    local = moment.astimezone(zone)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return moment.astimezone(UTC)
    return local


def _vevent(entry: Entry, stamp: datetime) -> Event:
    zone = ZoneInfo(entry.timezone)
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", _when(entry.starts_at, zone))
    event.add("dtend", _when(entry.ends_at or entry.starts_at + DEFAULT_DURATION, zone))
    event.add("summary", _text(entry.summary))
    event.add("location", _text(entry.location))
    event.add("url", entry.url)
    if entry.description:
        event.add("description", _text(entry.description))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    # One line, white space collapsed (parsers disagree about tabs next to
    # quotes); parameter values have no escapes, yet icalendar would read a
    # backslash as one, so it is shown as a look-alike.
    address.params["CN"] = vText(" ".join(one_line(person.name).split()).replace("\\", "\u2216"))
    address.params.update(params)
    return address


def _calendar(entries: Iterable[Entry], method: Method | None, name: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method.value)
    if name:
        calendar.add("x-wr-calname", " ".join(one_line(name).split()))
    return calendar


def _add_timezones(calendar: Calendar, entries: list[Entry]) -> None:
    """VTIMEZONEs for the zones used, covering a year either side."""
    if entries:
        first = min(entry.starts_at for entry in entries).date()
        last = max(entry.ends_at or entry.starts_at for entry in entries).date()
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )


def invite(
    entry: Entry, method: Method, *, organizer: Person, attendee: Person, stamp: datetime
) -> bytes:
    """An iTIP message for one attendee: REQUEST (new or updated) or CANCEL."""
    calendar = _calendar([entry], method, None)
    if method is Method.CANCEL:
        entry = _cancelled(entry)
    event = _vevent(entry, stamp)
    event.add("organizer", _address(organizer))
    event.add(
        "attendee",
        _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="ACCEPTED", RSVP="FALSE"),
    )
    calendar.add_component(event)
    _add_timezones(calendar, [entry])
    return calendar.to_ical()


def feed(entries: Iterable[Entry], *, name: str, stamp: datetime) -> bytes:
    """A calendar to subscribe to (no METHOD), one VEVENT per entry."""
    entries = list(entries)
    calendar = _calendar(entries, None, name)
    for entry in entries:
        calendar.add_component(_vevent(entry, stamp))
    _add_timezones(calendar, entries)
    return calendar.to_ical()


def _cancelled(entry: Entry) -> Entry:
    return replace(entry, cancelled=True)
