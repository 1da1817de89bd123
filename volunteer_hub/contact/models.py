"""Messages people send the organisers, and the replies they get."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class Topic(enum.Enum):
    IDEA = "An idea"
    COMMENT = "A comment"
    QUESTION = "A question"
    ORGANISE = "I want to help organise"


class MessageState(enum.Enum):
    NEW = "new"
    HANDLED = "handled"


class ContactMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    topic: Mapped[Topic]
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[MessageState] = mapped_column(default=MessageState.NEW, index=True)
    #: the coordinators' own notes, never sent
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]

    replies: Mapped[list[ContactReply]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="ContactReply.id")

    def __repr__(self) -> str:
        return f"<ContactMessage {self.id}>"


class ContactReply(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("contact_message.id", ondelete="CASCADE"), index=True)
    #: who answered, as they were called then
    coordinator_name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[ContactMessage] = relationship(back_populates="replies")
