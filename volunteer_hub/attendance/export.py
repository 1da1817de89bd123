"""Attendance lists and rosters as CSV files that spreadsheets open safely."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response

from volunteer_hub.attendance.services import PlaceList, Roster

#: What makes a spreadsheet read a cell as a formula (CSV injection), after
#: any white space: OWASP's list, and the full-width forms some spreadsheets
#: accept as well.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Leading characters some spreadsheets skip or split on before reading a cell.
LEADING_CONTROLS = ("\t", "\r", "\n", "\0")

#: Excel reads a CSV as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

ATTENDANCE_HEADER = ("Place", "Name", "Guests", "People", "Attendance", "Checked in")
ROSTER_HEADER = ("List", "Position", "Name", "Phone", "Languages")


def safe_cell(value: object) -> object:
    """``value``, with an apostrophe in front of text a spreadsheet would run
    as a formula, so it shows as the text it is."""
    if isinstance(value, str) and (value.startswith(LEADING_CONTROLS)
                                   or value.lstrip().startswith(FORMULA_TRIGGERS)):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document with a byte order mark, every cell made safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def attendance_csv(lists: Iterable[PlaceList]) -> str:
    """One row per person going, place by place, alphabetical within a place."""
    return to_csv(ATTENDANCE_HEADER, (
        (place.name, attendee.name, attendee.guests, 1 + attendee.guests,
         "Online" if place.is_online else "In person", "Yes" if attendee.checked_in else "")
        for place in lists for attendee in place.attendees
    ))


def roster_csv(roster: Roster) -> str:
    """The confirmed volunteers, then the waitlist with its positions."""
    confirmed = (("Confirmed", "", v.name, v.phone, v.languages) for v in roster.confirmed)
    waitlist = (("Waitlist", position, v.name, v.phone, v.languages)
                for position, v in enumerate(roster.waitlist, start=1))
    return to_csv(ROSTER_HEADER, [*confirmed, *waitlist])


def filename(*parts: object) -> str:
    """A plain ASCII file name from ``parts``, e.g. attendance-event-1-harlem.csv."""
    words = "-".join(str(part) for part in parts if part != "")
    stem = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:80].rstrip("-")
    return f"{stem or 'export'}.csv"


def csv_response(text: str, name: str) -> Response:
    """``text`` as a CSV download called ``name``."""
    response = Response(text, mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response
