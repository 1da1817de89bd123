"""Coordinator accounts, failed sign-ins, second factors, password-reset
links, and the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Coordinator(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the address lower-cased; coordinators sign in with it
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: werkzeug's scrypt hash (memory-hard); the password itself is never stored
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: a disabled account cannot sign in, and its sessions end at once
    is_disabled: Mapped[bool] = mapped_column(default=False)
    #: identifies the account in session cookies; replaced on every password
    #: change or disabling, which signs out every other session
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: the TOTP shared secret (base32). Unlike a password it cannot be kept
    #: as a hash: the server computes the expected code from it each time.
    #: Set when enrolment starts; the second factor is on only once
    #: ``totp_enabled_at`` is set too.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_enabled_at: Mapped[datetime | None]
    #: the TOTP time step (30-second counter) of the last code accepted; a
    #: code of this step or an earlier one is refused, so none is used twice
    totp_last_step: Mapped[int | None]

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    # Flask-Login's user protocol
    @property
    def is_active(self) -> bool:
        return not self.is_disabled

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def __repr__(self) -> str:
        return f"<Coordinator {self.id}>"


class LoginFailure(db.Model):
    """A failed sign-in, kept briefly to slow down password guessing. Kept
    for unknown addresses too, so throttling reveals nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; deleted
    when used."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        ForeignKey("coordinator.id", ondelete="CASCADE"), index=True)
    #: sha256 of the code (80 random bits); the code itself is shown once
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PasswordResetLink(db.Model):
    """An emailed link that sets a new password once, within its lifetime.
    Only the newest link of an account works."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        ForeignKey("coordinator.id", ondelete="CASCADE"), index=True)
    #: sha256 of the random 256-bit token; the token itself is only in the email
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime]
    #: kept after use, so the link cannot work again and a new one is not
    #: sent again within the throttle window
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PasswordResetLink {self.id}>"


class AuditEntry(db.Model):
    """Who did what, when: every coordinator action leaves one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("coordinator.id", ondelete="SET NULL"), index=True
    )
    #: the name at the time, kept when the account is removed
    coordinator_name: Mapped[str] = mapped_column(String(100))
    #: what was done, e.g. "event.publish"
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: details in words, without attendees' personal data
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action}>"
