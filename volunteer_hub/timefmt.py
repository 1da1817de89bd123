"""How dates and times read on pages and in emails: always in the zone of the
place they happen, with the zone's abbreviation."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    return name in available_timezones()


def local(moment: datetime, zone: str) -> datetime:
    """``moment`` as wall-clock time in ``zone``."""
    return moment.astimezone(ZoneInfo(zone))


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def format_date(moment: datetime, zone: str) -> str:
    """'Saturday 25 September 2027' in ``zone``."""
    moment = local(moment, zone)
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def format_time(moment: datetime, zone: str) -> str:
    """'3:00 pm EDT' in ``zone``."""
    moment = local(moment, zone)
    return f"{_clock(moment)} {moment:%Z}"


def format_when(starts_at: datetime, ends_at: datetime | None, zone: str) -> str:
    """'Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT' in ``zone``.

    An end on another day is written out in full.
    """
    start = local(starts_at, zone)
    text = f"{format_date(start, zone)}, {_clock(start)}"
    if ends_at is None:
        return f"{text} {start:%Z}"
    end = local(ends_at, zone)
    if end.date() == start.date():
        if f"{end:%Z}" == f"{start:%Z}":
            return f"{text} – {_clock(end)} {end:%Z}"
        return f"{text} {start:%Z} – {_clock(end)} {end:%Z}"
    return f"{text} {start:%Z} – {format_date(end, zone)}, {_clock(end)} {end:%Z}"
