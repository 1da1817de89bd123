"""Comments on events: nothing shows until a coordinator approves it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db


class CommentState(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


class Comment(db.Model):
    __table_args__ = (Index("ix_comment_event_id_state", "event_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: the name given; shown with the comment once approved
    name: Mapped[str] = mapped_column(String(100))
    #: plain text; links are made clickable when shown, HTML never is
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[CommentState] = mapped_column(default=CommentState.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    moderated_at: Mapped[datetime | None]
    moderated_by: Mapped[str | None] = mapped_column(String(100))

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.state.name}>"
