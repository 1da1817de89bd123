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
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if message is None:
        db.session.rollback()
        return None
    message.attempts += 1
    message.next_attempt_at = now + LEASE
    claim = Claim(message.id, message.recipient, message.mime or "")
    db.session.commit()
    return claim


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
    except (PermanentFailure, OSError, smtplib.SMTPException) as caught:
        error = caught

    begin_write()
    message = db.session.get_one(OutboxMessage, claim.message_id)
    if error is None:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
        message.mime = None
        message.last_error = None
    else:
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        permanent = isinstance(error, PermanentFailure)
        if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = MessageStatus.FAILED
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
        log.warning("delivery of message %s failed: %s", message.id, message.last_error)
    attempt = Attempt(message.id, message.status, message.attempts, message.next_attempt_at,
                      message.last_error)
    db.session.commit()
    return attempt


def deliver_due(transport: Transport, limit: int | None = None) -> int:
    """Deliver messages until none is due (or ``limit`` were tried); returns
    how many were tried."""
    tried = 0
    while limit is None or tried < limit:
        if deliver_one(transport) is None:
            break
        tried += 1
    return tried
