"""Every model, imported in one place so that the metadata Alembic compares
against is complete."""

from volunteer_hub.appeal import models as appeal_models  # noqa: F401
from volunteer_hub.broadcasts.models import Broadcast
from volunteer_hub.comments import models as comments_models  # noqa: F401
from volunteer_hub.contact import models as contact_models  # noqa: F401
from volunteer_hub.coordinators.models import AuditEntry, Coordinator, LoginFailure
from volunteer_hub.events.models import Event, EventStatus, EventTranslation, Venue
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.materials import models as materials_models  # noqa: F401
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.volunteers.models import (
    Assignment,
    AssignmentStatus,
    HelpOffer,
    Signup,
    Task,
    TaskStatus,
)

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "AuditEntry",
    "Broadcast",
    "CalendarFeed",
    "Coordinator",
    "Event",
    "EventStatus",
    "EventTranslation",
    "HelpOffer",
    "LoginFailure",
    "LookupLink",
    "MessageStatus",
    "OutboxMessage",
    "Rsvp",
    "RsvpStatus",
    "Signup",
    "Task",
    "TaskStatus",
    "Venue",
]
