"""The outbox: every email is written here in the same transaction as the
change that causes it, and delivered afterwards by ``flask send-mail``."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class MessageStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __table_args__ = (Index("ix_outbox_message_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: the whole RFC 5322 message; emptied once delivered, because it may
    #: carry a manage link that must not outlive its delivery
    mime: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: set while the message is still to be written (``mime`` empty): what to
    #: write, for example an RSVP's confirmation, composed after the booking
    #: has committed (volunteer_hub.rsvps.services.write_waiting_confirmation)
    compose: Mapped[str | None] = mapped_column(String(40))
    #: erase the address once the message is out: its person asked to be forgotten
    forget_recipient: Mapped[bool] = mapped_column(default=False)
    #: the RSVP this message is about; deleting the RSVP deletes its mail
    rsvp_id: Mapped[int | None] = mapped_column(
        ForeignKey("rsvp.id", ondelete="CASCADE"), index=True
    )
    #: the broadcast this message is part of, to show its delivery progress
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast.id", ondelete="SET NULL"), index=True
    )
    #: the volunteer sign-up this message is about; deleting it deletes its mail
    signup_id: Mapped[int | None] = mapped_column(
        ForeignKey("signup.id", ondelete="CASCADE"), index=True
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status.name}>"
