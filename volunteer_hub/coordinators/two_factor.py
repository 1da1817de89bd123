"""Two-factor sign-in: time-based codes from an authenticator app (TOTP,
RFC 6238), single-use recovery codes, and the state between the password
and the code, in which nobody is signed in yet."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update

from volunteer_hub.coordinators.models import Coordinator, RecoveryCode
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tokens import token_hash

#: The name authenticator apps show beside the account. Deliberately not
#: the campaign's name: a phone searched at a border shows only this.
ISSUER = "Volunteer Hub"
RECOVERY_CODE_COUNT = 10
#: How long someone who gave the right password has to enter their code.
PENDING_MINUTES = 5
#: Codes of the 30-second steps just before and after now work too, since
#: phone clocks drift.
VALID_WINDOW = 1


class TwoFactorError(ValueError):
    """A request the rules refuse; the message is for people."""


def start_enrolment(coordinator: Coordinator) -> str:
    """A new secret for the coordinator's authenticator app; two-factor
    sign-in stays off until ``confirm_enrolment``."""
    if coordinator.has_two_factor:
        raise TwoFactorError("Two-factor sign-in is already on.")
    coordinator.totp_secret = pyotp.random_base32()
    coordinator.totp_last_step = None
    return coordinator.totp_secret


def provisioning_uri(coordinator: Coordinator) -> str:
    """The otpauth:// address that the QR code carries."""
    return pyotp.TOTP(coordinator.totp_secret).provisioning_uri(
        name=coordinator.email, issuer_name=ISSUER)


def qr_code(coordinator: Coordinator) -> str:
    """The enrolment QR code as a data: URI (SVG) made here, so no other
    host ever sees the secret; dark on light, whatever the page's colours."""
    return segno.make_qr(provisioning_uri(coordinator), error="m").svg_data_uri(
        scale=5, dark="#000", light="#fff")


def spaced(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is, if it is within the window."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(coordinator: Coordinator, code: str, now: datetime | None = None
                      ) -> list[str]:
    """Turn two-factor sign-in on, once a code shows that the app holds the
    secret; returns the recovery codes, to be shown once."""
    now = now or utcnow()
    if coordinator.has_two_factor:
        raise TwoFactorError("Two-factor sign-in is already on.")
    if not coordinator.totp_secret:
        raise TwoFactorError("Please start the set-up again.")
    step = _matching_step(coordinator.totp_secret, code, now)
    if step is None:
        raise TwoFactorError("That code is not right. Check that your phone's clock is "
                             "correct and enter the code the app shows now.")
    coordinator.totp_enabled_at = now
    coordinator.totp_last_step = step
    return new_recovery_codes(coordinator, now)


def _normal(code: str) -> str:
    """A recovery code as typed, without spaces or hyphens, in lower case."""
    return "".join(code.replace("-", " ").split()).lower()


def _hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def new_recovery_codes(coordinator: Coordinator, now: datetime | None = None) -> list[str]:
    """Ten fresh single-use codes (80 random bits each) replacing any
    earlier ones; only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.coordinator_id == coordinator.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    db.session.add_all(RecoveryCode(coordinator_id=coordinator.id, code_hash=_hash(code),
                                    created_at=now or utcnow()) for code in codes)
    db.session.flush()
    return codes


def recovery_codes_left(coordinator: Coordinator) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.coordinator_id == coordinator.id)) or 0


def verify(coordinator: Coordinator, code: str, now: datetime | None = None) -> str | None:
    """Check a code from the app or a recovery code and use it up (the caller
    holds the write lock). Returns what was used, "app" or "recovery code",
    or None when the code is wrong, or was already used.

    Each is used up in one conditional statement, so of two requests racing
    with the same code only one succeeds, on PostgreSQL as on SQLite.
    """
    if not coordinator.has_two_factor or not code:
        return None
    step = _matching_step(coordinator.totp_secret, code, now or utcnow())
    if step is not None:
        accepted = db.session.execute(
            update(Coordinator)
            .where(Coordinator.id == coordinator.id,
                   or_(Coordinator.totp_last_step.is_(None), Coordinator.totp_last_step < step))
            .values(totp_last_step=step).execution_options(synchronize_session=False))
        db.session.expire(coordinator, ["totp_last_step"])
        return "app" if accepted.rowcount == 1 else None
    used = db.session.execute(delete(RecoveryCode).where(
        RecoveryCode.coordinator_id == coordinator.id, RecoveryCode.code_hash == _hash(code)))
    return "recovery code" if used.rowcount >= 1 else None


def disable(coordinator: Coordinator) -> None:
    """Turn two-factor sign-in off: the secret and recovery codes are gone."""
    coordinator.totp_secret = None
    coordinator.totp_enabled_at = None
    coordinator.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.coordinator_id == coordinator.id))


def pending_state(coordinator: Coordinator, next_url: str, now: datetime | None = None
                  ) -> dict[str, Any]:
    """What the session keeps between the password and the code: who, until
    when, and a check that ends it when the account's sessions are ended."""
    until = (now or utcnow()) + timedelta(minutes=PENDING_MINUTES)
    return {"id": coordinator.id, "check": token_hash(coordinator.session_token),
            "until": until.timestamp(), "next": next_url}


def pending_coordinator(state: Any, now: datetime | None = None) -> Coordinator | None:
    """The coordinator whose code is awaited, unless the state has expired,
    the password has changed since, or the account was disabled."""
    if not isinstance(state, dict) or not isinstance(state.get("until"), float | int):
        return None
    if state["until"] <= (now or utcnow()).timestamp():
        return None
    coordinator = db.session.get(Coordinator, state.get("id"))
    if (coordinator is None or coordinator.is_disabled or not coordinator.has_two_factor
            or not hmac.compare_digest(token_hash(coordinator.session_token),
                                       str(state.get("check")))):
        return None
    return coordinator
