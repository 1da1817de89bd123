"""Personal calendar feeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class CalendarFeed(db.Model):
    """A secret feed of everything one email address has RSVPed to. Its link
    is only ever emailed to that address; revoking deletes the row, and the
    next email offers a new link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the address lower-cased, as Rsvp.email_key
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    #: random input of the feed token (see volunteer_hub.tokens)
    token_nonce: Mapped[str] = mapped_column(String(64))
    #: sha256 of the feed token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id}>"
