"""Coordinator accounts: creating them, signing in, resetting a forgotten
password by email, and the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import cache

from flask import current_app, render_template
from sqlalchemy import delete, exists, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from volunteer_hub.coordinators.models import (
    AuditEntry,
    Coordinator,
    LoginFailure,
    PasswordResetLink,
    new_session_token,
)
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.compose import build_message, queue_email
from volunteer_hub.tokens import token_hash
from volunteer_hub.urls import absolute_url

MIN_PASSWORD_LENGTH = 12
#: At most one reset email per account in this time, so nobody can flood an inbox.
RESET_THROTTLE_MINUTES = 5
RESET_MAIL = "coordinators/password_reset"
RESET_SUBJECT = "Reset your Volunteer Hub password"


@cache
def _dummy_hash() -> str:
    """Checked when an address is unknown, so both answers take as long."""
    return hash_password("not a real password, only for timing")


class AccountError(ValueError):
    """A request about accounts the rules refuse; the message is for people."""


class TooManyAttempts(Exception):
    """Sign-in refused for a while after repeated failures."""


class InvalidResetLink(Exception):
    """A password-reset link that is unknown, used, replaced by a newer one,
    expired, or for a disabled account."""


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


def _email_key(email: str) -> str:
    return email.strip().casefold()


def is_throttled(email: str, now: datetime | None = None) -> bool:
    """Whether the address has had too many failed sign-ins (wrong passwords
    or wrong codes) in the throttle window."""
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    failures = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.email_key == _email_key(email),
            LoginFailure.created_at >= (now or utcnow()) - window)
    ) or 0
    return failures >= current_app.config["LOGIN_MAX_FAILURES"]


def check_credentials(email: str, password: str) -> int | None:
    """The id of the coordinator these credentials open, or None; the same
    work and the same answer whether or not the address has an account.
    Only reads, so the slow hash check holds no lock.

    Raises TooManyAttempts after repeated failures for the address.
    """
    if is_throttled(email):
        raise TooManyAttempts()
    coordinator = db.session.scalar(
        select(Coordinator).where(Coordinator.email == _email_key(email)))
    valid = check_password_hash(coordinator.password_hash if coordinator else _dummy_hash(),
                                password)
    if coordinator is None or not valid or coordinator.is_disabled:
        return None
    return coordinator.id


def record_failure(email: str, now: datetime | None = None) -> None:
    """Write down a failed sign-in for the address (the caller holds the
    write lock); failures older than the throttle window are cleared on the way."""
    now = now or utcnow()
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - window))
    db.session.add(LoginFailure(email_key=_email_key(email), created_at=now))
    db.session.flush()


def record_login(coordinator_id: int | None, email: str) -> Coordinator | None:
    """Write down a sign-in or a failure (the caller holds the write lock);
    failures older than the throttle window are cleared on the way."""
    if coordinator_id is None:
        record_failure(email)
        return None
    now = utcnow()
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - window))
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


def request_password_reset(email: str, now: datetime | None = None) -> bool:
    """Email a link that sets a new password, if the address belongs to an
    enabled account.

    Whatever happens the caller shows the same answer, and the work is much
    the same (a token is made and the email rendered either way), so neither
    the page nor its timing says whether we know the address. At most one
    link per account every few minutes; a new link retires the older ones.
    Returns whether a link was queued (for tests).
    """
    now = now or utcnow()
    db.session.execute(delete(PasswordResetLink).where(PasswordResetLink.expires_at < now))
    coordinator = db.session.scalar(
        select(Coordinator).where(Coordinator.email == _email_key(email)))
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    mail = {"link": absolute_url("coordinators.reset_with_link", token=token),
            "minutes": minutes}
    throttle = timedelta(minutes=RESET_THROTTLE_MINUTES)
    if coordinator is None or coordinator.is_disabled or db.session.scalar(select(exists().where(
            PasswordResetLink.coordinator_id == coordinator.id,
            PasswordResetLink.created_at > now - throttle))):
        # the same rendering as a real email, then dropped
        _, sender = parseaddr(current_app.config["MAIL_FROM"])
        build_message(
            to_name="", to_email=sender, subject=RESET_SUBJECT,
            text=render_template(f"mail/{RESET_MAIL}.txt", to_name="", subject="", **mail),
            html=render_template(f"mail/{RESET_MAIL}.html", to_name="", subject="", **mail),
        ).as_string()
        return False
    db.session.execute(delete(PasswordResetLink).where(
        PasswordResetLink.coordinator_id == coordinator.id))
    db.session.add(PasswordResetLink(
        coordinator_id=coordinator.id, token_hash=token_hash(token), created_at=now,
        expires_at=now + timedelta(minutes=minutes)))
    queue_email(RESET_MAIL, to_name=coordinator.name, to_email=coordinator.email,
                subject=RESET_SUBJECT, **mail)
    audit(coordinator, "coordinator.reset_link", "a password-reset link was emailed")
    db.session.flush()
    return True


def find_reset_link(token: str, now: datetime | None = None) -> PasswordResetLink | None:
    """The reset link ``token`` opens, if it still works. Only looks: the
    link is used up by ``reset_password``, not by opening it."""
    link = db.session.scalar(
        select(PasswordResetLink).where(PasswordResetLink.token_hash == token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    coordinator = db.session.get_one(Coordinator, link.coordinator_id)
    return None if coordinator.is_disabled else link


def reset_password(token: str, password: str, now: datetime | None = None) -> Coordinator:
    """Set a new password through an emailed link (the caller holds the write
    lock). The link is used up; every session of the account ends; the
    failed sign-ins of its address are forgotten, so a person locked out by
    someone guessing can sign in at once.

    Raises InvalidResetLink when the link no longer works.
    """
    now = now or utcnow()
    link = find_reset_link(token, now)
    if link is None:
        raise InvalidResetLink()
    # Used up in one statement, so of two simultaneous posts only one wins.
    used = db.session.execute(
        update(PasswordResetLink)
        .where(PasswordResetLink.id == link.id, PasswordResetLink.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise InvalidResetLink()
    coordinator = db.session.get_one(Coordinator, link.coordinator_id)
    set_password(coordinator, password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.email_key == coordinator.email))
    audit(coordinator, "coordinator.password_reset", "set a new password by emailed link")
    db.session.flush()
    return coordinator
