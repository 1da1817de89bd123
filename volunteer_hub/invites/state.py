"""The calendar entry that a person holds for one commitment (an RSVP, a
task), and what their calendar needs next.

Each commitment keeps one entry (one UID) for its whole life. Every email
about it carries the entry when it has changed: a REQUEST while the person
should have it, a CANCEL once they should not; each with a higher SEQUENCE
than the last, so calendars update the entry instead of adding another.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.invites import ical
from volunteer_hub.mail.compose import CalendarPart


class CalendarEntryMixin:
    """Columns of a model whose rows each become one calendar entry."""

    #: the calendar entry's UID, the same in every invite and feed
    ical_uid: Mapped[str] = mapped_column(String(255), unique=True)
    #: SEQUENCE of the last invite sent; None before the first
    invite_sequence: Mapped[int | None]
    #: whether the person's calendar holds the entry (a REQUEST went out, no CANCEL since)
    invite_active: Mapped[bool] = mapped_column(default=False)
    #: digest of what the last REQUEST showed, to tell when an update is due
    invite_fingerprint: Mapped[str | None] = mapped_column(String(64))


def new_uid(kind: str) -> str:
    """A UID no other calendar entry has."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "volunteer-hub"
    return f"{kind}-{secrets.token_hex(16)}@{host}"


def fingerprint(entry: ical.Entry) -> str:
    """A digest of everything the entry shows, SEQUENCE aside."""
    return hashlib.sha256(repr(replace(entry, sequence=0)).encode()).hexdigest()


def is_outdated(holder: CalendarEntryMixin, entry: ical.Entry | None) -> bool:
    """Whether the person's calendar shows something else than ``entry``."""
    return entry is not None and fingerprint(entry) != holder.invite_fingerprint


def next_invite(
    holder: CalendarEntryMixin, entry: ical.Entry | None, *, wanted: bool, attendee: ical.Person
) -> CalendarPart | None:
    """The invite to put in the next email about ``holder`` (None when the
    calendar already shows the right thing), recorded as sent.

    ``wanted`` says whether the person's calendar should hold the entry now;
    ``entry`` is None while there is no date.
    """
    if entry is None:
        return None
    if wanted:
        digest = fingerprint(entry)
        if holder.invite_active and digest == holder.invite_fingerprint:
            return None
        method = ical.Method.REQUEST
        holder.invite_active, holder.invite_fingerprint = True, digest
    elif holder.invite_active:
        method = ical.Method.CANCEL
        holder.invite_active, holder.invite_fingerprint = False, None
    else:
        return None
    sequence = 0 if holder.invite_sequence is None else holder.invite_sequence + 1
    holder.invite_sequence = sequence
    organizer_name, organizer_email = parseaddr(current_app.config["MAIL_FROM"])
    ics = ical.invite(
        replace(entry, sequence=sequence),
        method,
        organizer=ical.Person(organizer_name, organizer_email),
        attendee=attendee,
        stamp=utcnow(),
    )
    return CalendarPart(ics, method.value)


def feed_entry(holder: CalendarEntryMixin, entry: ical.Entry | None, *, wanted: bool
               ) -> ical.Entry | None:
    """The entry as a personal feed lists it: same UID and SEQUENCE as the
    last invite, so a calendar that has both shows it once."""
    if entry is None or not wanted:
        return None
    return replace(entry, sequence=holder.invite_sequence or 0)
