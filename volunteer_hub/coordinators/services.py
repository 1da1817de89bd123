"""Coordinator accounts: creating them, signing in, and the audit log."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from volunteer_hub.coordinators.models import (
    AuditEntry,
    Coordinator,
    LoginFailure,
    new_session_token,
)
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db

MIN_PASSWORD_LENGTH = 12


@cache
def _dummy_hash() -> str:
    """Checked when an address is unknown, so both answers take as long."""
    return hash_password("not a real password, only for timing")


class AccountError(ValueError):
    """A request about accounts the rules refuse; the message is for people."""


class TooManyAttempts(Exception):
    """Sign-in refused for a while after repeated failures."""


def hash_password(password: str) -> str:
    """scrypt, werkzeug's memory-hard default."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_coordinator(email: str, name: str, password: str, *, admin: bool = False
                       ) -> Coordinator:
    email = email.strip().casefold()
    if db.session.scalar(select(Coordinator.id).where(Coordinator.email == email)):
        raise AccountError("A coordinator with this email address already exists.")
    coordinator = Coordinator(email=email, name=name.strip(), is_admin=admin,
                              password_hash=hash_password(password))
    db.session.add(coordinator)
    db.session.flush()
    return coordinator


def set_password(coordinator: Coordinator, password: str) -> None:
    """New password; every other session of the account ends."""
    coordinator.password_hash = hash_password(password)
    coordinator.session_token = new_session_token()


def set_disabled(coordinator: Coordinator, disabled: bool) -> None:
    coordinator.is_disabled = disabled
    if disabled:
        coordinator.session_token = new_session_token()


def check_credentials(email: str, password: str) -> int | None:
    """The id of the coordinator these credentials open, or None; the same
    work and the same answer whether or not the address has an account.
    Only reads, so the slow hash check holds no lock.

    Raises TooManyAttempts after repeated failures for the address.
    """
    email_key = email.strip().casefold()
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    failures = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.email_key == email_key, LoginFailure.created_at >= utcnow() - window)
    ) or 0
    if failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        raise TooManyAttempts()
    coordinator = db.session.scalar(select(Coordinator).where(Coordinator.email == email_key))
    valid = check_password_hash(coordinator.password_hash if coordinator else _dummy_hash(),
                                password)
    if coordinator is None or not valid or coordinator.is_disabled:
        return None
    return coordinator.id


def record_login(coordinator_id: int | None, email: str) -> Coordinator | None:
    """Write down a sign-in or a failure (the caller holds the write lock);
    failures older than the throttle window are cleared on the way."""
    now = utcnow()
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - window))
    if coordinator_id is None:
        db.session.add(LoginFailure(email_key=email.strip().casefold(), created_at=now))
        db.session.flush()
        return None
    coordinator = db.session.get_one(Coordinator, coordinator_id)
    coordinator.last_login_at = now
    return coordinator


def load_by_session_token(token: str) -> Coordinator | None:
    coordinator = db.session.scalar(select(Coordinator).where(Coordinator.session_token == token))
    return coordinator if coordinator and coordinator.is_active else None


def audit(coordinator: Coordinator | None, action: str, detail: str = "") -> AuditEntry:
    """Record an action in the audit log (in the current transaction)."""
    entry = AuditEntry(
        coordinator_id=coordinator.id if coordinator else None,
        coordinator_name=coordinator.name if coordinator else "system",
        action=action,
        detail=detail,
    )
    db.session.add(entry)
    return entry
