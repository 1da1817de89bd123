"""An RSVP's calendar entry (see volunteer_hub.invites.state for the rules)."""

from __future__ import annotations

from flask_babel import gettext

from volunteer_hub.i18n import language, mail_language
from volunteer_hub.invites import ical, state
from volunteer_hub.mail.compose import CalendarPart
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.timefmt import format_number
from volunteer_hub.urls import absolute_url


def new_uid() -> str:
    return state.new_uid("rsvp")


def entry_for(rsvp: Rsvp, manage_url: str) -> ical.Entry | None:
    """What the person's calendar should show, or None while the date is TBA.

    Its texts are in the person's language wherever it is built (an email,
    their feed, the check for an update), so that it only changes when the
    event does; the title is the event's own.
    """
    event, venue = rsvp.event, rsvp.venue
    starts_at = venue.local_starts_at if venue else event.starts_at
    if starts_at is None:
        return None
    event_url = absolute_url("events.detail", slug=event.slug)
    with language(mail_language(rsvp.language)):
        if venue is not None:
            how = gettext("You are going in person to %(venue)s, %(address)s.",
                          venue=venue.name, address=venue.address)
        elif event.stream_url:
            how = gettext("You are attending online. Join here: %(link)s", link=event.stream_url)
        else:
            how = gettext("You are attending online. The link to join will follow by email.")
        guests = ("\n" + gettext("You are bringing %(count)s guest(s).",
                                 count=format_number(rsvp.guests))) if rsvp.guests else ""
        description = "\n\n".join((
            how + guests,
            gettext("Change or cancel your RSVP: %(link)s", link=manage_url),
            gettext("Event page: %(link)s", link=event_url),
        ))
        online = gettext("Online")
    return ical.Entry(
        uid=rsvp.ical_uid,
        sequence=0,
        summary=event.title,
        starts_at=starts_at,
        ends_at=venue.local_ends_at if venue else event.ends_at,
        timezone=venue.timezone if venue else event.timezone,
        location=f"{venue.name}, {venue.address}" if venue else online,
        url=event_url,
        description=description,
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
