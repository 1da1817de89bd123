"""An RSVP's calendar entry (see volunteer_hub.invites.state for the rules)."""

from __future__ import annotations

from volunteer_hub.invites import ical, state
from volunteer_hub.mail.compose import CalendarPart
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.urls import absolute_url


def new_uid() -> str:
    return state.new_uid("rsvp")


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


def wants_entry(rsvp: Rsvp) -> bool:
    """Whether the person's calendar should hold the entry now."""
    return rsvp.status is RsvpStatus.GOING and not rsvp.event.is_cancelled


def next_calendar_part(rsvp: Rsvp, manage_url: str) -> CalendarPart | None:
    """The invite for the next email about ``rsvp``, if its calendar needs one."""
    return state.next_invite(rsvp, entry_for(rsvp, manage_url), wanted=wants_entry(rsvp),
                             attendee=ical.Person(rsvp.name, rsvp.email))


def is_outdated(rsvp: Rsvp, manage_url: str) -> bool:
    return state.is_outdated(rsvp, entry_for(rsvp, manage_url))


def feed_entry(rsvp: Rsvp, manage_url: str) -> ical.Entry | None:
    return state.feed_entry(rsvp, entry_for(rsvp, manage_url), wanted=wants_entry(rsvp))
