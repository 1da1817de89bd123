"""RSVPs: one person (with guests) coming to an event in person or online."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.invites.state import CalendarEntryMixin

if TYPE_CHECKING:
    from volunteer_hub.events.models import Event, Venue


class RsvpStatus(enum.Enum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Rsvp(CalendarEntryMixin, db.Model):
    __table_args__ = (
        CheckConstraint("guests >= 0", name="guests_not_negative"),
        CheckConstraint(
            "(status = 'WAITLISTED') = (waitlisted_at IS NOT NULL)", name="waitlist_position"
        ),
        Index("ix_rsvp_event_id_email_key", "event_id", "email_key"),
        Index("ix_rsvp_venue_id_status", "venue_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: where the person attends in person; None means online
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id"))
    status: Mapped[RsvpStatus] = mapped_column(default=RsvpStatus.GOING)
    #: whatever the person wants to be called; a pseudonym is fine
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    #: the address lower-cased, to flag possible duplicate RSVPs
    email_key: Mapped[str] = mapped_column(String(254))
    guests: Mapped[int] = mapped_column(default=0)
    #: consent to hear about this campaign's future events
    keep_updated: Mapped[bool] = mapped_column(default=False)
    #: what the person asked for to take part (step-free access, an
    #: interpreter...): optional, seen by coordinators only, purged with the rest
    access_needs: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the language of the page they RSVPed on: their emails and invites use it
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: random input of the manage-link token (see volunteer_hub.tokens)
    token_nonce: Mapped[str] = mapped_column(String(64))
    #: sha256 of the manage-link token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: sha256 of the one-time key of the form that created this RSVP, so a
    #: double click or a resubmitted page gives back this RSVP
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: when the RSVP joined its current waitlist: first come, first served
    waitlisted_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    #: when a coordinator checked the person in at the door
    checked_in_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    venue: Mapped[Venue | None] = relationship()

    @property
    def is_online(self) -> bool:
        return self.venue_id is None

    @property
    def is_anonymised(self) -> bool:
        """Whether the retention policy removed the person's data (no form
        accepts an empty name); see volunteer_hub.privacy.purge."""
        return self.name == ""

    @property
    def party_size(self) -> int:
        """People this RSVP brings: the attendee and their guests."""
        return 1 + self.guests

    def __repr__(self) -> str:
        return f"<Rsvp {self.id} {self.status.name}>"
