"""``flask purge-expired``: the retention policy applied to the database.

Personal data whose time is up (see volunteer_hub.privacy.retention) is
removed, while the counts the console shows stay right:

- RSVPs and volunteer sign-ups are *anonymised*: the row stays, with its
  place, guests, status and check-in, so "how many came" per venue and task
  survives; the name, email, phone, languages, skills, note, access needs,
  the language they wrote in (reset to English), the manage-link nonce and
  hashes, and the calendar UID go. An anonymised record has an
  empty name, which no form accepts.
- Comments on such events lose their author's name; those never approved go.
- Their mail is deleted (a broadcast keeps its rows, without the address, so
  its delivery counts stay); any delivered mail older than ``RETENTION_DAYS``
  goes the same way, and its address with it.
- Calendar feeds of addresses with nothing left, lookup links past their
  time, contact messages handled ``RETENTION_CONTACT_DAYS`` ago, offers of
  help older than ``RETENTION_OFFER_DAYS``, endorsements never confirmed
  (after a week) or, when ``RETENTION_ENDORSEMENT_DAYS`` is set, confirmed
  that long ago, are deleted.

Running it again changes nothing more: it is safe to run from every worker.
Functions flush and leave the commit to the caller.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import selectinload

from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.appeal.services import UNCONFIRMED_DAYS
from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.contact.models import ContactMessage, ContactReply, MessageState
from volunteer_hub.database import begin_write, utcnow
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.privacy.addresses import forget_unused_addresses
from volunteer_hub.privacy.retention import event_purge_at, signup_purge_at
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.volunteers.models import Assignment, HelpOffer, Signup, Task

log = logging.getLogger(__name__)

#: What a purged record's token hash becomes: unique, and never a SHA-256
#: in hex, so no token opens it.
PURGED = "purged:"
#: PostgreSQL advisory lock: one worker purges at a time.
PURGE_LOCK = 0x76685F7075726765
#: How often a mail worker runs the purge.
PURGE_INTERVAL = timedelta(days=1)


@dataclass
class PurgeReport:
    """What one run removed, as counts: never anybody's data."""

    events: int = 0
    rsvps: int = 0
    signups: int = 0
    comments_anonymised: int = 0
    comments_deleted: int = 0
    messages_deleted: int = 0
    messages_anonymised: int = 0
    calendar_feeds: int = 0
    lookup_links: int = 0
    contact_messages: int = 0
    help_offers: int = 0
    endorsements: int = 0

    def __bool__(self) -> bool:
        return any(asdict(self).values())

    def lines(self) -> list[str]:
        """One line per kind of record, for the command and the worker's log."""
        return [
            f"Events whose people's data was removed: {self.events}",
            f"RSVPs anonymised: {self.rsvps}",
            f"Volunteer sign-ups anonymised: {self.signups}",
            f"Comments anonymised: {self.comments_anonymised}, deleted: {self.comments_deleted}",
            f"Emails deleted: {self.messages_deleted}, "
            f"addresses erased from broadcasts: {self.messages_anonymised}",
            f"Personal calendar feeds deleted: {self.calendar_feeds}",
            f"Expired lookup links deleted: {self.lookup_links}",
            f"Contact messages deleted: {self.contact_messages}",
            f"Offers of help deleted: {self.help_offers}",
            f"Appeal endorsements deleted: {self.endorsements}",
        ]


def purge_expired(now: datetime | None = None) -> PurgeReport:
    """Remove every piece of personal data whose retention ended by ``now``."""
    now = now or utcnow()
    config = current_app.config
    days = config["RETENTION_DAYS"]
    report = PurgeReport()
    events = _purge_events(now, days, report)
    _purge_signups(now, days, report)
    report.events = len(events)
    report.lookup_links = _count(db.session.execute(
        delete(LookupLink).where(LookupLink.expires_at < now)))
    report.calendar_feeds = forget_unused_addresses()
    _forget_delivered_mail(now - timedelta(days=days), report)
    _purge_contact(now, config["RETENTION_CONTACT_DAYS"], report)
    if config["RETENTION_OFFER_DAYS"]:
        report.help_offers = _count(db.session.execute(delete(HelpOffer).where(
            HelpOffer.created_at < now - timedelta(days=config["RETENTION_OFFER_DAYS"]))))
    _purge_endorsements(now, config["RETENTION_ENDORSEMENT_DAYS"], report)
    db.session.flush()
    db.session.expire_all()
    return report


def run_purge(now: datetime | None = None) -> PurgeReport | None:
    """Run and commit the purge, unless another process is running it right
    now (PostgreSQL: then None); on SQLite the write lock makes them take turns."""
    begin_write()
    if db.engine.dialect.name == "postgresql" and not db.session.scalar(
            select(func.pg_try_advisory_xact_lock(PURGE_LOCK))):
        db.session.rollback()
        return None
    report = purge_expired(now)
    db.session.commit()
    return report


def purge_if_due(due_at: datetime, now: datetime | None = None) -> datetime:
    """For the mail worker: purge once ``due_at`` has come, and say when the
    next run is due. A failure is logged and retried in an hour, without
    holding up the mail."""
    now = now or utcnow()
    if now < due_at:
        return due_at
    try:
        report = run_purge(now)
    except Exception:  # the worker must go on delivering mail
        db.session.rollback()
        log.exception("purging expired personal data failed; trying again in an hour")
        return now + timedelta(hours=1)
    if report:
        log.info("purged expired personal data: %s", "; ".join(report.lines()))
    return now + PURGE_INTERVAL


def _purge_events(now: datetime, days: int, report: PurgeReport) -> set[int]:
    """Anonymise the RSVPs and comments of events past retention; returns the
    ids of the events that had something left to remove."""
    events = db.session.scalars(select(Event).options(selectinload(Event.venues))).all()
    due = [event.id for event in events
           if (purge_at := event_purge_at(event, days)) is not None and purge_at <= now]
    if not due:
        return set()
    personal = (Rsvp.event_id.in_(due), Rsvp.name != "")
    touched = set(db.session.scalars(select(Rsvp.event_id).where(*personal).distinct()))
    _forget_messages(OutboxMessage.rsvp_id.in_(select(Rsvp.id).where(*personal)), report)
    report.rsvps = _count(db.session.execute(
        update(Rsvp).where(*personal).values(
            name="", email="", email_key="", access_needs="", language="en", keep_updated=False,
            token_nonce="", token_hash=literal(PURGED) + cast(Rsvp.id, String),
            submission_hash=None, ical_uid=literal(f"{PURGED}rsvp-") + cast(Rsvp.id, String),
            invite_active=False, invite_fingerprint=None,
        ).execution_options(synchronize_session=False)))

    named = (Comment.event_id.in_(due), Comment.state == CommentState.APPROVED,
             Comment.name != "")
    unapproved = (Comment.event_id.in_(due), Comment.state != CommentState.APPROVED)
    touched |= set(db.session.scalars(
        select(Comment.event_id).where(or_(and_(*named), and_(*unapproved))).distinct()))
    report.comments_anonymised = _count(db.session.execute(
        update(Comment).where(*named).values(name="")
        .execution_options(synchronize_session=False)))
    report.comments_deleted = _count(db.session.execute(
        delete(Comment).where(*unapproved).execution_options(synchronize_session=False)))
    return touched


def _purge_signups(now: datetime, days: int, report: PurgeReport) -> None:
    """Anonymise the sign-ups whose every task is over for the person."""
    signups = db.session.scalars(
        select(Signup).where(Signup.name != "").options(
            selectinload(Signup.assignments).selectinload(Assignment.task).options(
                selectinload(Task.event).selectinload(Event.venues), selectinload(Task.venue)))
    ).all()
    due = [signup.id for signup in signups
           if (purge_at := signup_purge_at(signup, days)) is not None and purge_at <= now]
    if not due:
        return
    _forget_messages(OutboxMessage.signup_id.in_(due), report)
    report.signups = _count(db.session.execute(
        update(Signup).where(Signup.id.in_(due)).values(
            name="", email="", email_key="", phone="", languages="", skills="", note="",
            language="en", token_nonce="", token_hash=literal(PURGED) + cast(Signup.id, String),
            submission_hash=None,
        ).execution_options(synchronize_session=False)))
    db.session.execute(
        update(Assignment).where(Assignment.signup_id.in_(due)).values(
            ical_uid=literal(f"{PURGED}task-") + cast(Assignment.id, String),
            invite_active=False, invite_fingerprint=None,
        ).execution_options(synchronize_session=False))


def _forget_messages(which: ColumnElement[bool], report: PurgeReport) -> None:
    """Delete the messages ``which`` selects; a broadcast's delivered copies
    stay, without address, error or link to the person, for its counts."""
    kept = (which, OutboxMessage.broadcast_id.is_not(None),
            OutboxMessage.status != MessageStatus.PENDING)
    report.messages_anonymised += _count(db.session.execute(
        update(OutboxMessage).where(*kept).values(
            recipient="", mime=None, last_error=None, rsvp_id=None, signup_id=None)
        .execution_options(synchronize_session=False)))
    report.messages_deleted += _count(db.session.execute(
        delete(OutboxMessage).where(which, or_(
            OutboxMessage.broadcast_id.is_(None), OutboxMessage.status == MessageStatus.PENDING))
        .execution_options(synchronize_session=False)))


def _forget_delivered_mail(cutoff: datetime, report: PurgeReport) -> None:
    """Every message sent (or given up on) before ``cutoff``: nobody needs
    its address any more."""
    _forget_messages(
        (OutboxMessage.status != MessageStatus.PENDING) & (OutboxMessage.created_at < cutoff)
        & ((OutboxMessage.recipient != "") | OutboxMessage.broadcast_id.is_(None)),
        report)


def _purge_contact(now: datetime, days: int, report: PurgeReport) -> None:
    """Messages handled ``days`` ago go, with the replies to them."""
    if not days:
        return
    handled = (ContactMessage.state == MessageState.HANDLED,
               ContactMessage.handled_at < now - timedelta(days=days))
    db.session.execute(
        delete(ContactReply).where(ContactReply.message_id.in_(
            select(ContactMessage.id).where(*handled)))
        .execution_options(synchronize_session=False))
    report.contact_messages = _count(db.session.execute(
        delete(ContactMessage).where(*handled).execution_options(synchronize_session=False)))


def _purge_endorsements(now: datetime, days: int, report: PurgeReport) -> None:
    """Endorsements never confirmed, and with ``days`` set, confirmed ones
    that old."""
    expired = (Endorsement.confirmed_at.is_(None)
               & (Endorsement.created_at < now - timedelta(days=UNCONFIRMED_DAYS)))
    if days:
        expired = expired | (Endorsement.confirmed_at < now - timedelta(days=days))
    report.endorsements = _count(db.session.execute(
        delete(Endorsement).where(expired).execution_options(synchronize_session=False)))


def _count(result) -> int:
    return max(result.rowcount or 0, 0)
