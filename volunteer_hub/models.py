"""Every model, imported in one place so that the metadata Alembic compares
against is complete."""

from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

__all__ = [
    "CalendarFeed", "Event", "EventStatus", "MessageStatus", "OutboxMessage", "Rsvp", "RsvpStatus", "Venue",
]
