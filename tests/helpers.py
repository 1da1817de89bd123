"""Small helpers shared by tests."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import icalendar
import sqlalchemy as sa
from aiosmtpd.handlers import Message
from flask import Flask
from ical.calendar_stream import IcsCalendarStream

from volunteer_hub.driver import statement_run
from volunteer_hub.events.models import Venue
from volunteer_hub.extensions import db

#: .ci/run sets VOLUNTEER_HUB_THOROUGH=1: the property tests try every
#: example they ask for. `make test` on a laptop tries a quarter of them (at
#: least 15), which keeps the default run under two minutes; Hypothesis
#: remembers and replays any example that ever failed.
THOROUGH = os.environ.get("VOLUNTEER_HUB_THOROUGH") == "1"


def examples(count: int) -> int:
    """How many examples a property test with ``count`` of them tries."""
    return count if THOROUGH else max(15, count // 4)


def rsvp_form(venue: Venue | str, **overrides: Any) -> dict[str, Any]:
    """The fields of a filled-in RSVP form."""
    data = {
        "name": "Shirin",
        "email": "shirin@example.org",
        "attendance": venue if isinstance(venue, str) else str(venue.id),
        "guests": "0",
        "submission_key": secrets.token_urlsafe(32),
    }
    data.update(overrides)
    return data


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def manage_path(response: Any) -> str:
    """The manage page an RSVP submission redirected to."""
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/rsvp/")
    return location


@dataclass(frozen=True)
class Invite:
    """An invite as two independent parsers read it (and agree on)."""

    method: str
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    location: str
    description: str
    url: str
    status: str
    organizer: str
    attendee: str
    attendee_name: str
    vtimezones: list[str]
    ics: str


def invite_of(message: EmailMessage) -> Invite | None:
    """The invite an email carries, or None. Checks that the inline
    text/calendar part and the invite.ics attachment are the same, that
    icalendar and the independent ``ical`` package read the same event, and
    that each TZID used has its VTIMEZONE."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    attachments = [part for part in message.iter_attachments()
                   if part.get_filename() == "invite.ics"]
    if not parts:
        assert not attachments
        return None
    [part], [attachment] = parts, attachments
    ics = part.get_content()
    # Mail transport may rewrite a text part's line endings; the base64
    # attachment keeps the exact bytes.
    assert attachment.get_content().decode().splitlines() == ics.splitlines()

    calendar = icalendar.Calendar.from_ical(ics)
    method = str(calendar["METHOD"])
    assert part.get_param("method") == method
    [event] = calendar.walk("VEVENT")
    starts_at, ends_at = event.decoded("DTSTART"), event.decoded("DTEND")
    # Local time with its zone; UTC for a time in the hour the clocks repeat.
    tzid = event["DTSTART"].params.get("TZID", "UTC")
    vtimezones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert tzid == "UTC" or tzid in vtimezones

    [other] = IcsCalendarStream.from_ics(ics).calendars
    assert other.method == method
    [same] = other.events
    assert (same.uid, same.sequence, same.summary) == (
        str(event["UID"]), int(event["SEQUENCE"]), str(event["SUMMARY"]))
    assert same.dtstart == starts_at and same.dtend == ends_at
    assert str(same.dtstart.tzinfo) == tzid or (tzid == "UTC" and same.dtstart.utcoffset()
                                                 == timedelta(0))

    attendee = event["ATTENDEE"]
    return Invite(
        method=method,
        uid=str(event["UID"]),
        sequence=int(event["SEQUENCE"]),
        starts_at=starts_at,
        ends_at=ends_at,
        tzid=tzid,
        summary=str(event["SUMMARY"]),
        location=str(event["LOCATION"]),
        description=str(event.get("DESCRIPTION", "")),
        url=str(event["URL"]),
        status=str(event["STATUS"]),
        organizer=str(event["ORGANIZER"]),
        attendee=str(attendee),
        attendee_name=str(attendee.params["CN"]),
        vtimezones=vtimezones,
        ics=ics,
    )


class Inbox(Message):
    """Keeps what the SMTP server receives; refuses addresses at refused.example."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message) -> None:
        self.messages.append(message_from_bytes(message.as_bytes(), policy=policy.default))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def signup_form(task_ids: list[int], **overrides: Any) -> dict[str, Any]:
    """The fields of a filled-in volunteer sign-up form."""
    data: dict[str, Any] = {
        "tasks": [str(task_id) for task_id in task_ids],
        "name": "Leila",
        "email": "leila@example.org",
        "submission_key": secrets.token_urlsafe(32),
    }
    data.update(overrides)
    return data


def signup_path(response: Any) -> str:
    """The sign-up manage page a submission redirected to."""
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/signup/")
    return location


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app runs inside the block: through
    SQLAlchemy, and straight on the driver (``volunteer_hub.driver``)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def count_driver_statement(_statement, *, sql, connection):
        if connection.engine is engine:
            statements.append(sql)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    statement_run.connect(count_driver_statement)
    try:
        yield statements
    finally:
        statement_run.disconnect(count_driver_statement)
        sa.event.remove(engine, "before_cursor_execute", count)
