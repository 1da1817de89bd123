"""An RSVP's calendar entry, and what the person's calendar needs next.

Each RSVP has one entry (one UID) for its whole life. Every email about the
RSVP carries the entry when it has changed: a REQUEST while the person is
going to a dated event, a CANCEL once they no longer are; each with a higher
SEQUENCE than the last, so calendars update the entry instead of adding one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app

from volunteer_hub.database import utcnow
from volunteer_hub.invites import ical
from volunteer_hub.mail.compose import CalendarPart
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.urls import absolute_url


def new_uid() -> str:
    """A UID no other calendar entry has."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "volunteer-hub"
    return f"rsvp-{secrets.token_hex(16)}@{host}"


def entry_for(rsvp: Rsvp, manage_url: str) -> ical.Entry | None:
    """What the person's calendar should show, or None while the date is TBA."""
    event, venue = rsvp.event, rsvp.venue
    starts_at = venue.local_starts_at if venue else event.starts_at
    if starts_at is None:
        return None
    event_url = absolute_url("events.detail", slug=event.slug)
    if venue is not None:
        how = f"You are going in person to {venue.name}, {venue.address}."
    elif event.stream_url:
        how = f"You are attending online. Join here: {event.stream_url}"
    else:
        how = "You are attending online. The link to join will follow by email."
    guests = f"\nYou are bringing {rsvp.guests} guest(s)." if rsvp.guests else ""
    return ical.Entry(
        uid=rsvp.ical_uid,
        sequence=0,
        summary=event.title,
        starts_at=starts_at,
        ends_at=venue.local_ends_at if venue else event.ends_at,
        timezone=venue.timezone if venue else event.timezone,
        location=f"{venue.name}, {venue.address}" if venue else "Online",
        url=event_url,
        description=(
            f"{how}{guests}\n\nChange or cancel your RSVP: {manage_url}\n\n"
            f"Event page: {event_url}"
        ),
    )


def fingerprint(entry: ical.Entry) -> str:
    """A digest of everything the entry shows, SEQUENCE aside."""
    shown = replace(entry, sequence=0)
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def wants_entry(rsvp: Rsvp) -> bool:
    """Whether the person's calendar should hold the entry now."""
    return rsvp.status is RsvpStatus.GOING and not rsvp.event.is_cancelled


def next_calendar_part(rsvp: Rsvp, manage_url: str) -> CalendarPart | None:
    """The invite to put in the next email about ``rsvp`` (None when the
    calendar already shows the right thing), recording it as sent."""
    entry = entry_for(rsvp, manage_url)
    if entry is None:
        return None
    if wants_entry(rsvp):
        digest = fingerprint(entry)
        if rsvp.invite_active and digest == rsvp.invite_fingerprint:
            return None
        method = ical.Method.REQUEST
        rsvp.invite_active, rsvp.invite_fingerprint = True, digest
    elif rsvp.invite_active:
        method = ical.Method.CANCEL
        rsvp.invite_active, rsvp.invite_fingerprint = False, None
    else:
        return None
    rsvp.invite_sequence = 0 if rsvp.invite_sequence is None else rsvp.invite_sequence + 1
    organizer_name, organizer_email = parseaddr(current_app.config["MAIL_FROM"])
    ics = ical.invite(
        replace(entry, sequence=rsvp.invite_sequence),
        method,
        organizer=ical.Person(organizer_name, organizer_email),
        attendee=ical.Person(rsvp.name, rsvp.email),
        stamp=utcnow(),
    )
    return CalendarPart(ics, method.value)


def feed_entry(rsvp: Rsvp, manage_url: str) -> ical.Entry | None:
    """The entry as a personal feed lists it: same UID and SEQUENCE as the
    last invite, so a calendar that has both shows it once."""
    entry = entry_for(rsvp, manage_url)
    if entry is None or not wants_entry(rsvp):
        return None
    return replace(entry, sequence=rsvp.invite_sequence or 0)
