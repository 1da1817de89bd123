"""Delivering the outbox.

A worker claims one due message in a short transaction (it takes a lease by
moving ``next_attempt_at`` forward), sends it with no transaction open, and
records the outcome in a second short transaction. Web requests are never
kept waiting on a slow mail server, several workers on PostgreSQL share the
work without picking the same message (``FOR UPDATE SKIP LOCKED`` plus the
lease), and a worker that dies mid-send leaves the message to be retried when
its lease runs out: mail is sent at least once, never lost.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select

from volunteer_hub.database import begin_write, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.mail.transports import PermanentFailure, Transport

log = logging.getLogger(__name__)

#: How long a claimed message is left alone before another worker may retry it.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    message_id: int
    recipient: str
    mime: str


@dataclass(frozen=True)
class Attempt:
    """How one delivery attempt ended."""

    message_id: int
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def claim_due_message(now: datetime) -> Claim | None:
    """Lease the oldest message that is due, or return None."""
    begin_write()
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.PENDING)
        .where(OutboxMessage.compose.is_(None))
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if message is None:
        db.session.rollback()
        return None
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        # Its last lease ran out without an outcome: the worker died sending it.
        _give_up(message, "gave up: no outcome recorded after the last attempt")
        db.session.commit()
        return claim_due_message(now)
    message.attempts += 1
    message.next_attempt_at = now + LEASE
    claim = Claim(message.id, message.recipient, message.mime or "")
    db.session.commit()
    return claim


def _give_up(message: OutboxMessage, error: str) -> None:
    """Mark the message failed and drop its content, which may hold a manage link."""
    message.status = MessageStatus.FAILED
    message.mime = None
    message.last_error = error[:500]
    if message.forget_recipient:
        message.recipient = ""


def deliver_one(transport: Transport, now: datetime | None = None) -> Attempt | None:
    """Deliver the oldest due message and record how it went.

    Returns how the attempt ended, or None when nothing was due.
    """
    now = now or utcnow()
    claim = claim_due_message(now)
    if claim is None:
        return None
    sender = parseaddr(current_app.config["MAIL_FROM"])[1]
    error: Exception | None = None
    try:
        transport.send(sender, claim.recipient, claim.mime, f"{claim.message_id:08d}")
    except Exception as caught:
        error = caught

    begin_write()
    message = db.session.get(OutboxMessage, claim.message_id)
    if message is None:  # deleted with its RSVP while being sent
        db.session.rollback()
        return Attempt(claim.message_id, MessageStatus.SENT if error is None
                       else MessageStatus.FAILED, 0, now, None)
    if error is None:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
        message.mime = None
        message.last_error = None
        if message.forget_recipient:
            message.recipient = ""
    else:
        description = f"{type(error).__name__}: {error}"
        permanent = isinstance(error, PermanentFailure) or not isinstance(
            error, (OSError, smtplib.SMTPException))
        if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            _give_up(message, description)
        else:
            message.last_error = description[:500]
            message.next_attempt_at = now + retry_delay(message.attempts)
        # The log names the message, never the recipient.
        log.warning("delivery of message %s failed (%s)", message.id, type(error).__name__)
    attempt = Attempt(message.id, message.status, message.attempts, message.next_attempt_at,
                      message.last_error)
    db.session.commit()
    return attempt


def deliver_due(transport: Transport) -> int:
    """Deliver messages until none is due; returns how many were tried."""
    tried = 0
    while deliver_one(transport) is not None:
        tried += 1
    return tried
