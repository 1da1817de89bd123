"""iCalendar as pure functions: invites (RFC 5545 with iTIP, RFC 5546) and
feeds are built from plain data, without a request or a database.

Times carry their IANA zone as TZID and the matching VTIMEZONE, generated
from the system's zone data for the years around the entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vDatetime, vText

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


def _zone_years(entries: list[Entry]) -> tuple[date, date]:
    """What VTIMEZONEs cover: from a year before the first entry to a year
    after the last."""
    first = min(entry.starts_at for entry in entries).date()
    last = max(entry.ends_at or entry.starts_at for entry in entries).date()
    return date(first.year - 1, 1, 1), date(last.year + 2, 1, 1)


def _add_timezones(calendar: Calendar, entries: list[Entry]) -> None:
    """VTIMEZONEs for the zones used, covering a year either side."""
    if entries:
        first_date, last_date = _zone_years(entries)
        calendar.add_missing_timezones(first_date=first_date, last_date=last_date)


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
    return feed_text(entries, name=name).render(stamp)


@dataclass(frozen=True)
class FeedText:
    """A feed serialised but for its DTSTAMPs, which ``render`` writes: the
    same text serves every request until what it lists changes."""

    #: the text between one DTSTAMP line and the next
    parts: tuple[bytes, ...]

    def render(self, stamp: datetime) -> bytes:
        """The calendar, every VEVENT stamped ``stamp``."""
        return (b"\r\nDTSTAMP:" + vDatetime(stamp).to_ical() + b"\r\n").join(self.parts)


def feed_text(entries: Iterable[Entry], *, name: str, public: bool = False) -> FeedText:
    """The feed of ``entries`` (see ``feed``), to render later.

    ``public``: the entries show nobody's data, so each VEVENT is kept (see
    ``_kept_vevent``) and the next feed that lists the same entry reuses
    it. Personal feeds are built afresh and kept nowhere.
    """
    entries = list(entries)
    vevents = [(_kept_vevent if public else _vevent_ical)(entry) for entry in entries]
    end = b"END:VCALENDAR\r\n"
    text = [_calendar(entries, None, name).to_ical()[:-len(end)],
            *_vtimezones(entries, frozenset().union(*(tzids for *_text, tzids in vevents)))]
    parts = []
    for head, tail, _tzids in vevents:
        parts.append(b"".join([*text, head]))
        text = [tail]
    parts.append(b"".join([*text, end]))
    return FeedText(tuple(parts))


#: The DTSTAMP each kept VEVENT is serialised with; a feed writes its own
#: moment in its place, so the VEVENT does not depend on when it was built.
_STAND_IN_STAMP = datetime(1970, 1, 1, tzinfo=UTC)
_STAND_IN_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"


def _vevent_ical(entry: Entry) -> tuple[bytes, bytes, frozenset[str]]:
    """The VEVENT of ``entry`` as text, in two parts around its DTSTAMP line,
    and the TZIDs it uses."""
    event = _vevent(entry, _STAND_IN_STAMP)
    # Only a property line can start a line with "DTSTAMP:": text values
    # are escaped, and folded lines go on with a space.
    head, tail = event.to_ical().split(_STAND_IN_LINE)
    tzids = frozenset(value.params["TZID"] for _name, value in event.property_items(sorted=False)
                      if "TZID" in getattr(value, "params", {}))
    return head, tail, tzids - {"UTC"}


#: Serialising is most of a feed's cost (icalendar folds every line), and
#: an entry is a pure function of public data: its whole text is the key,
#: so a changed event simply misses. Sized for a feed of a couple of
#: thousand entries in two languages.
_public_vevent = functools.lru_cache(maxsize=4096)(_vevent_ical)


def _kept_vevent(entry: Entry) -> tuple[bytes, bytes, frozenset[str]]:
    """``_vevent_ical``, kept for entries in UTC, as the database gives them.
    Two times in one other zone compare equal on the same wall clock even
    when they are an hour apart (PEP 495 ignores ``fold``), and a start
    without an end is extended on the wall clock: such an entry is not
    looked up by equality."""
    if entry.starts_at.tzinfo is UTC and (entry.ends_at is None or entry.ends_at.tzinfo is UTC):
        return _public_vevent(entry)
    return _vevent_ical(entry)


def _vtimezones(entries: list[Entry], tzids: frozenset[str]) -> list[bytes]:
    """VTIMEZONEs for the zones used, covering a year either side (zones
    icalendar does not know are left out, as add_missing_timezones does)."""
    if not entries:
        return []
    years = _zone_years(entries)
    return [text for tzid in sorted(tzids) if (text := _vtimezone(tzid, *years))]


@functools.lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_date: date, last_date: date) -> bytes:
    """One VTIMEZONE (icalendar: "This can take some time. Please cache the
    results."), or b"" for a zone it does not know."""
    try:
        return Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date).to_ical()
    except ValueError:
        return b""


def _cancelled(entry: Entry) -> Entry:
    return replace(entry, cancelled=True)
