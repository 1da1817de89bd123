"""Short-lived links that open everything one email address committed to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class LookupLink(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the address lower-cased; the link opens this address's commitments only
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    #: sha256 of the random token; the token itself is only in the email
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<LookupLink {self.id}>"
