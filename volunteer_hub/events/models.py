"""Events and the venues where people attend them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class EventStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Event(db.Model):
    __table_args__ = (
        CheckConstraint("guest_limit >= 0 AND guest_limit <= 50", name="guest_limit_range"),
        CheckConstraint(
            "ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name="ends_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, sanitised when shown
    description: Mapped[str] = mapped_column(Text, default="")
    #: IANA zone in which the event's own times are shown
    timezone: Mapped[str] = mapped_column(String(64))
    #: None while the date is to be announced
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    online: Mapped[bool] = mapped_column(default=False)
    #: shown only to people whose RSVP is online
    stream_url: Mapped[str | None] = mapped_column(String(500))
    #: how many guests one RSVP may bring
    guest_limit: Mapped[int] = mapped_column(default=0)
    status: Mapped[EventStatus] = mapped_column(default=EventStatus.DRAFT, index=True)
    #: raised with every change a calendar shows; SEQUENCE of the public entries
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    venues: Mapped[list[Venue]] = relationship(
        back_populates="event",
        order_by="Venue.position",
        cascade="all, delete-orphan",
    )
    #: the title and description in other languages; pages fall back to
    #: the original where one is missing
    translations: Mapped[list[EventTranslation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_tba(self) -> bool:
        return self.starts_at is None

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def has_local_times(self) -> bool:
        """Whether some venue keeps other hours or another zone than the event."""
        return any(
            venue.starts_at is not None or venue.timezone != self.timezone
            for venue in self.venues
        )

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class Venue(db.Model):
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name="ends_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: order on the event page
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    #: IANA zone of the place; its times are shown in it
    timezone: Mapped[str] = mapped_column(String(64))
    #: the venue's own times; None means the event's times
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    #: places counted in people (attendee plus guests); None means no limit
    capacity: Mapped[int | None]
    #: people (attendees and guests) going here; kept by triggers on ``rsvp``
    #: (migration e5f6a7b8c9d0), never written by the app
    people_going: Mapped[int] = mapped_column(default=0, server_default="0")
    #: step-free entry, seating, captions or interpretation: shown on the
    #: event page
    accessibility: Mapped[str] = mapped_column(Text, default="", server_default="")

    event: Mapped[Event] = relationship(back_populates="venues")

    @property
    def local_starts_at(self) -> datetime | None:
        """When things start here: the venue's own time or the event's."""
        return self.starts_at or self.event.starts_at

    @property
    def local_ends_at(self) -> datetime | None:
        return self.ends_at if self.starts_at else self.event.ends_at

    def __repr__(self) -> str:
        return f"<Venue {self.name}>"


class EventTranslation(db.Model):
    """An event's title and description in one more language."""

    __table_args__ = (UniqueConstraint("event_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: a code of volunteer_hub.i18n.LANGUAGES, e.g. "fa"
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="translations")

    def __repr__(self) -> str:
        return f"<EventTranslation {self.language}>"
