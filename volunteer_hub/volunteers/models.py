"""Tasks that need volunteers, the people who sign up for them, and general
offers of help."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.invites.state import CalendarEntryMixin

if TYPE_CHECKING:
    from volunteer_hub.events.models import Event, Venue


class TaskStatus(enum.Enum):
    OPEN = "open"
    CANCELLED = "cancelled"


class Task(db.Model):
    __table_args__ = (
        CheckConstraint("min_volunteers >= 0", name="min_not_negative"),
        CheckConstraint(
            "max_volunteers IS NULL OR (max_volunteers >= 1 AND max_volunteers >= min_volunteers)",
            name="max_at_least_min",
        ),
        CheckConstraint(
            "ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name="ends_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for ongoing tasks not tied to an event
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    #: the venue the task happens at, when it is one of the event's
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"))
    #: order within its group on the volunteer page
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: where, in words, when not at a venue ("from home", "outside the UN")
    location: Mapped[str] = mapped_column(String(300), default="")
    #: IANA zone of the task's own times
    timezone: Mapped[str] = mapped_column(String(64))
    #: the task's own times; None means the event's (or the venue's), or
    #: "any time" for an ongoing task
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    #: below this the task is highlighted as short of people
    min_volunteers: Mapped[int] = mapped_column(default=1)
    #: None means no limit
    max_volunteers: Mapped[int | None]
    status: Mapped[TaskStatus] = mapped_column(default=TaskStatus.OPEN)
    #: raised with every change a calendar shows
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event | None] = relationship()
    venue: Mapped[Venue | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.status is TaskStatus.CANCELLED or bool(self.event and self.event.is_cancelled)

    @property
    def when(self) -> tuple[datetime | None, datetime | None, str]:
        """Start, end and zone: the task's own, else the venue's or the event's."""
        if self.starts_at is not None:
            return self.starts_at, self.ends_at, self.timezone
        if self.venue is not None:
            return self.venue.local_starts_at, self.venue.local_ends_at, self.venue.timezone
        if self.event is not None:
            return self.event.starts_at, self.event.ends_at, self.event.timezone
        return None, None, self.timezone

    @property
    def where(self) -> str:
        if self.venue is not None:
            return f"{self.venue.name}, {self.venue.address}"
        return self.location

    def __repr__(self) -> str:
        return f"<Task {self.title}>"


class Signup(db.Model):
    """One person's sign-up form: who they are, and the tasks they chose."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    #: the address lower-cased, to find a person's commitments
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    skills: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    #: the language of the page they signed up on: their emails use it
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: random input of the manage-link token (see volunteer_hub.tokens)
    token_nonce: Mapped[str] = mapped_column(String(64))
    #: sha256 of the manage-link token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: sha256 of the one-time key of the form that created it
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="signup", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    @property
    def is_anonymised(self) -> bool:
        """Whether the retention policy removed the person's data (no form
        accepts an empty name); see volunteer_hub.privacy.purge."""
        return self.name == ""

    def __repr__(self) -> str:
        return f"<Signup {self.id}>"


class AssignmentStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DROPPED = "dropped"


class Assignment(CalendarEntryMixin, db.Model):
    """One person on one task; a timed task is one calendar entry."""

    __table_args__ = (
        UniqueConstraint("signup_id", "task_id"),
        CheckConstraint(
            "(status = 'WAITLISTED') = (waitlisted_at IS NOT NULL)", name="waitlist_position"
        ),
        Index("ix_assignment_task_id_status", "task_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("signup.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    status: Mapped[AssignmentStatus] = mapped_column(default=AssignmentStatus.CONFIRMED)
    #: when it joined the task's waitlist: first come, first served
    waitlisted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    signup: Mapped[Signup] = relationship(back_populates="assignments")
    task: Mapped[Task] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.status.name}>"


class HelpOffer(db.Model):
    """Help offered without a specific task, for coordinators to follow up."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    skills: Mapped[str] = mapped_column(String(500), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<HelpOffer {self.id}>"
