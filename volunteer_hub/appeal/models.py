"""Models of the appeal feature: one endorsement per email address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


class Endorsement(db.Model):
    """One person's name under the appeal.

    It counts, and its name may be shown, only once the person has confirmed
    it from the emailed link: so typing an address into the form changes
    nothing anyone can see, and nobody learns whether that address had
    already endorsed.
    """

    __table_args__ = (
        Index("ix_endorsement_confirmed_at_hidden", "confirmed_at", "hidden"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    #: the address case-folded: one endorsement per address
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    #: the person agreed to show their name, city and affiliation on the page
    show_name: Mapped[bool] = mapped_column(default=False)
    #: when the person confirmed from the emailed link; None: not counted yet
    confirmed_at: Mapped[datetime | None]
    #: hidden by a coordinator: neither shown nor counted
    hidden: Mapped[bool] = mapped_column(default=False)
    #: random input of the manage-link token (see volunteer_hub.tokens)
    token_nonce: Mapped[str] = mapped_column(String(64))
    #: sha256 of the manage-link token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when we last emailed the address about it, so the form cannot flood an inbox
    emailed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_public(self) -> bool:
        """Whether the appeal page shows this name."""
        return self.is_confirmed and self.show_name and not self.hidden

    def __repr__(self) -> str:
        return f"<Endorsement {self.id}>"
