"""The rules of RSVPs: capacity, the waitlist, changes, and the mail they cause.

Every function that decides on capacity expects the caller to have started
the transaction with ``begin_write()``; it locks the event itself. Functions
flush and leave the commit to the caller.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from flask_babel import gettext, lazy_gettext, ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import Connection, Integer, and_, bindparam, func, insert, select

from volunteer_hub.database import begin_write, utcnow
from volunteer_hub.driver import DriverStatement
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.events.services import accepts_rsvps, lock_event, venue_of
from volunteer_hub.events.translations import localized
from volunteer_hub.extensions import db
from volunteer_hub.i18n import N_, current_language, visitor_language
from volunteer_hub.invites.services import ensure_feed, feed_links, new_feed
from volunteer_hub.mail.compose import queue_email
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.privacy.addresses import forget_unused_addresses
from volunteer_hub.rsvps import invites
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.timefmt import format_number
from volunteer_hub.tokens import link_token, new_nonce, token_hash
from volunteer_hub.urls import absolute_url

log = logging.getLogger(__name__)

LINK_PURPOSE = "rsvp"
RESENT_FORM = lazy_gettext("This form was already sent. Please reload the page to RSVP again.")


class EventTerms(Protocol):
    """What a booking checks of an event: the ``Event``, or the row that
    ``book`` reads under the lock."""

    status: EventStatus
    starts_at: datetime | None
    ends_at: datetime | None
    guest_limit: int
    online: bool


class RsvpError(Exception):
    """A request the rules do not allow; the message is meant for the person."""


class RsvpGone(LookupError):
    """The RSVP was deleted while the request waited for the lock."""


@dataclass(frozen=True)
class NewRsvp:
    """The RSVP a booking made, or found: the same form sent again."""

    rsvp_id: int
    token_nonce: str
    #: False when the same form had already been sent: this is that RSVP
    created: bool

    @property
    def manage_token(self) -> str:
        return link_token(LINK_PURPOSE, self.token_nonce)

    @property
    def rsvp(self) -> Rsvp:
        """The RSVP itself, loaded when asked for."""
        rsvp = db.session.get(Rsvp, self.rsvp_id)
        if rsvp is None:
            raise RsvpGone()
        return rsvp


def manage_token(rsvp: Rsvp) -> str:
    """The token of ``rsvp``'s manage link."""
    return link_token(LINK_PURPOSE, rsvp.token_nonce)


def manage_url(rsvp: Rsvp) -> str:
    """The absolute manage link, for emails."""
    return absolute_url("rsvps.manage", token=manage_token(rsvp))


def find_by_token(token: str) -> Rsvp | None:
    """The RSVP that ``token`` opens, if any."""
    return db.session.scalar(select(Rsvp).where(Rsvp.token_hash == token_hash(token)))


def _going_query(venue_id: int, besides: Rsvp | None):
    """People going to the venue (its count, which the database keeps in
    ``Venue.people_going``), less ``besides`` as it stands in the database."""
    going = Venue.people_going
    if besides is not None and besides.id is not None:
        theirs = select(1 + Rsvp.guests).where(
            Rsvp.id == besides.id, Rsvp.venue_id == venue_id, Rsvp.status == RsvpStatus.GOING
        ).scalar_subquery()
        going = going - func.coalesce(theirs, 0)
    return going


def people_going(venue_id: int, *, besides: Rsvp | None = None) -> int:
    """People (attendees and guests) going to the venue, not counting ``besides``:
    one row read, whether ten people are going or ten thousand."""
    return db.session.scalar(
        select(_going_query(venue_id, besides)).where(Venue.id == venue_id)) or 0


def places_left(venue: Venue, *, besides: Rsvp | None = None) -> int | None:
    """Free places at ``venue`` (its capacity read afresh too, as it is under
    the event's lock); None when it has no limit."""
    row = db.session.execute(select(Venue.capacity, _going_query(venue.id, besides)).where(
        Venue.id == venue.id)).one_or_none()
    if row is None:  # deleted meanwhile with its event
        raise RsvpError(gettext("Please choose one of the event's venues."))
    return _free(*row)


def _free(capacity: int | None, going: int) -> int | None:
    """Free places of a venue with ``capacity`` (None: no limit) and ``going``."""
    return None if capacity is None else max(capacity - going, 0)


def places_left_by_venue(event: Event) -> dict[int, int | None]:
    """Free places at each of the event's venues, in one query."""
    return {
        venue_id: _free(capacity, going)
        for venue_id, capacity, going in db.session.execute(
            select(Venue.id, Venue.capacity, Venue.people_going).where(Venue.event_id == event.id))
    }


# What a booking runs under the lock, compiled once and run on the driver's
# cursor of the transaction's connection (volunteer_hub.driver): under a
# surge the bookings of an event take the lock one after another, so the
# lock is only as quick as this, and SQLAlchemy's work per statement (the
# ORM's still more) cost several times the statements themselves.
_EVENTS, _VENUES, _RSVPS = Event.__table__, Venue.__table__, Rsvp.__table__
#: on PostgreSQL, the event's row lock, taken before ``_BOOKING`` reads (a
#: statement that waited for a lock still sees the rows as they stood when
#: it began); on SQLite the transaction holds the database's write lock
_LOCK_EVENT = DriverStatement(
    select(_EVENTS.c.id).where(_EVENTS.c.id == bindparam("event_id")).with_for_update())
#: in one statement: the event as it stands, the chosen venue's capacity
#: and count if it is one of the event's, and an earlier sending of the
#: same form
_BOOKING = DriverStatement(
    select(_EVENTS.c.status, _EVENTS.c.starts_at, _EVENTS.c.ends_at, _EVENTS.c.guest_limit,
           _EVENTS.c.online, _VENUES.c.id.label("venue_id"), _VENUES.c.capacity,
           _VENUES.c.people_going,
           select(_RSVPS.c.id).where(_RSVPS.c.submission_hash == bindparam("submission_hash"))
           .scalar_subquery().label("earlier_id"))
    .select_from(_EVENTS.outerjoin(_VENUES, and_(
        _VENUES.c.id == bindparam("venue_id", type_=Integer),
        _VENUES.c.event_id == _EVENTS.c.id)))
    .where(_EVENTS.c.id == bindparam("event_id")))
#: that earlier sending, when there was one
_EARLIER = DriverStatement(select(
    _RSVPS.c.token_nonce, _RSVPS.c.event_id, _RSVPS.c.email_key, _RSVPS.c.venue_id,
    _RSVPS.c.guests,
).where(_RSVPS.c.id == bindparam("rsvp_id")))
_INSERT_RSVP = DriverStatement(insert(_RSVPS).returning(_RSVPS.c.id))
_INSERT_OUTBOX = DriverStatement(insert(OutboxMessage.__table__).inline())


@dataclass(frozen=True)
class Booking:
    """An RSVP ready to be booked: what needs no lock (its keys and their
    hashes, its calendar UID, the address's feed should it have none) is
    worked out beforehand, so that the writers' lock is held for the
    statements alone (``book``)."""

    #: the new RSVP's row, but for its place (going or waitlisted) and times
    row: dict[str, Any]
    #: the address's calendar feed, stored unless it has one (``new_feed``)
    feed: dict[str, Any] | None

    @property
    def event_id(self) -> int:
        return self.row["event_id"]

    @property
    def venue_id(self) -> int | None:
        return self.row["venue_id"]

    @property
    def guests(self) -> int:
        return self.row["guests"]

    @property
    def email(self) -> str:
        return self.row["email"]


def prepare_booking(
    event_id: int,
    *,
    name: str,
    email: str,
    venue_id: int | None,
    guests: int,
    keep_updated: bool,
    submission_key: str,
    access_needs: str = "",
) -> Booking:
    """The ``Booking`` of an RSVP as sent, in the language of the page the
    person used (their emails keep it). Reads and writes nothing."""
    nonce = new_nonce()
    row = dict(
        event_id=event_id,
        venue_id=venue_id,
        name=name,
        email=email,
        email_key=email.casefold(),
        guests=guests,
        keep_updated=keep_updated,
        access_needs=access_needs,
        token_nonce=nonce,
        token_hash=token_hash(link_token(LINK_PURPOSE, nonce)),
        submission_hash=token_hash(submission_key),
        ical_uid=invites.new_uid(),
        language=current_language(),
    )
    return Booking(row, new_feed(email) if email else None)


def create_rsvp(event_id: int, *, confirm_later: bool = False, **sent: Any) -> NewRsvp:
    """Book a place, or a place on the waitlist: ``book(prepare_booking(...))``."""
    return book(prepare_booking(event_id, **sent), confirm_later=confirm_later)


def book(booking: Booking, *, confirm_later: bool = False,
         connection: Connection | None = None) -> NewRsvp:
    """Book a place (or a place on the waitlist) and queue the confirmation.

    The same submission key gives back the RSVP it created before.
    Another RSVP with the same address stays untouched: this one is new,
    and its confirmation tells the address owner about the earlier one.

    ``confirm_later``: the confirmation is only reserved in the outbox, for
    the mail worker to write (``write_confirmation()``), out of the lock.
    ``connection``: a ``write_transaction()``'s, instead of the session's
    (begun with ``begin_write()``); with ``confirm_later`` only, as the
    confirmation is otherwise written through the session.

    Under the lock it runs a handful of plain statements: one read (the
    event as it stands, the venue's count, an earlier sending of the form;
    on PostgreSQL after the event's row lock), then the inserts.
    Raises ``RsvpGone`` when the event was deleted meanwhile.
    """
    event_id, venue_id, guests = booking.event_id, booking.venue_id, booking.guests
    if connection is None:
        connection = db.session.connection()
    elif not confirm_later:
        raise ValueError("a booking on a connection of its own confirms later")
    if connection.dialect.name == "postgresql":
        _LOCK_EVENT.run(connection, {"event_id": event_id})
    event = _BOOKING.first(connection, {
        "event_id": event_id, "venue_id": venue_id,
        "submission_hash": booking.row["submission_hash"]})
    if event is None:
        raise RsvpGone()
    if event.earlier_id is not None:
        earlier = _EARLIER.first(connection, {"rsvp_id": event.earlier_id})
        if (earlier.event_id, earlier.email_key, earlier.venue_id, earlier.guests) != (
            event_id, booking.row["email_key"], venue_id, guests
        ):
            # Not a double click: someone went back to a sent form and changed it.
            raise RsvpError(RESENT_FORM)
        return NewRsvp(event.earlier_id, earlier.token_nonce, created=False)
    _check_taking(event, venue_id, guests)
    left = None
    if venue_id is not None:
        if event.venue_id is None:  # not one of the event's venues
            raise RsvpError(gettext("Please choose one of the event's venues."))
        left = _free(event.capacity, event.people_going)
    now = utcnow()
    waitlisted = not _fits(1 + guests, left)
    rsvp_id = _INSERT_RSVP.first(connection, dict(
        booking.row,
        status=RsvpStatus.WAITLISTED if waitlisted else RsvpStatus.GOING,
        waitlisted_at=now if waitlisted else None,
        created_at=now,
        updated_at=now,
    )).id
    if confirm_later:
        _leave_confirmation_to_write(connection, rsvp_id, booking, now)
    else:
        rsvp = db.session.get(Rsvp, rsvp_id)
        _queue(rsvp, "confirmation", has_earlier_rsvp=_has_other_rsvp(rsvp))
    return NewRsvp(rsvp_id, booking.row["token_nonce"], created=True)


#: ``OutboxMessage.compose`` of a new RSVP's confirmation still to be written.
CONFIRMATION_TO_WRITE = "rsvp-confirmation"


def _leave_confirmation_to_write(connection: Connection, rsvp_id: int, booking: Booking,
                                 now: datetime) -> None:
    """Reserve the confirmation's place in the outbox, in the booking's
    transaction, for the mail worker to write: what it says (templates,
    MIME, the invite) is most of an RSVP's work, and people under a surge
    should not wait for it. It goes out as soon as the worker gets to it."""
    if not booking.email:
        return
    # made now, under the lock: writing the message then only reads
    ensure_feed(booking.email, booking.feed, connection)
    _INSERT_OUTBOX.run(connection, dict(
        recipient=booking.email, subject="", mime=None, rsvp_id=rsvp_id,
        compose=CONFIRMATION_TO_WRITE, next_attempt_at=now, created_at=now))


def _confirmation_to_write(rsvp_id: int, *, lock: bool = False) -> OutboxMessage | None:
    """The reserved row; ``lock``: and hold it, so that of two workers
    (PostgreSQL) the second waits, then finds it written."""
    query = select(OutboxMessage).where(
        OutboxMessage.rsvp_id == rsvp_id, OutboxMessage.compose == CONFIRMATION_TO_WRITE)
    return db.session.scalar(query.with_for_update() if lock else query)


def _fill(waiting: OutboxMessage, message: OutboxMessage | None) -> None:
    """The reserved row becomes the message, keeping its place in the queue."""
    if message is None:  # no address any more: nothing to send
        db.session.delete(waiting)
        return
    waiting.subject, waiting.mime, waiting.compose = message.subject, message.mime, None


def _compose_confirmation(rsvp: Rsvp) -> OutboxMessage | None:
    message = _queue(rsvp, "confirmation", has_earlier_rsvp=_has_other_rsvp(rsvp))
    if message is not None:
        db.session.expunge(message)  # its content goes into the reserved row
    return message


def _write_waiting_confirmation(rsvp: Rsvp) -> None:
    """Before any later email about ``rsvp``: its confirmation first, so that
    people read them, and calendars get their invites, in order. Inside the
    caller's write transaction."""
    if rsvp.id is not None and (waiting := _confirmation_to_write(rsvp.id, lock=True)):
        _fill(waiting, _compose_confirmation(rsvp))


def write_confirmation(rsvp_id: int) -> bool:
    """Write a confirmation that ``create_rsvp(confirm_later=True)``
    reserved, and commit. False when there was none (written already, or
    the RSVP is gone).

    The message is composed in a read-only transaction, so that bookings go
    on meanwhile; then it and what composing changed (the RSVP's invite
    state) are stored in a short write transaction. Should the RSVP's invite
    state have moved in between (it was changed that very moment), the
    message is composed again under the lock.
    """
    rsvp = db.session.get(Rsvp, rsvp_id) if _confirmation_to_write(rsvp_id) else None
    if rsvp is None:
        db.session.rollback()
        return False
    sequence = rsvp.invite_sequence
    with db.session.no_autoflush:
        message = _compose_confirmation(rsvp)
    db.session.expunge_all()  # keeps what composing changed, out of the read transaction
    db.session.rollback()

    begin_write()
    waiting = _confirmation_to_write(rsvp_id, lock=True)
    if waiting is None:
        db.session.rollback()
        return False
    if db.session.scalar(select(Rsvp.invite_sequence).where(Rsvp.id == rsvp_id)) != sequence:
        message = _compose_confirmation(db.session.get(Rsvp, rsvp_id))
    else:
        db.session.add(rsvp)
    _fill(waiting, message)
    db.session.commit()
    return True


def write_waiting_confirmations(limit: int = 500) -> int:
    """Write the reserved confirmations (the mail worker's part); how many
    were written. One that cannot be written is counted as an attempt and,
    after ``MAIL_MAX_ATTEMPTS``, given up like an undeliverable message: it
    never holds up the others, nor the rest of the worker's round."""
    waiting = list(db.session.scalars(
        select(OutboxMessage.rsvp_id)
        .where(OutboxMessage.compose == CONFIRMATION_TO_WRITE,
               OutboxMessage.status == MessageStatus.PENDING)
        .order_by(OutboxMessage.id).limit(limit)))
    db.session.rollback()
    # Several workers (PostgreSQL) each start at a point of their own, so
    # that they rarely compose the same message (only one would store it);
    # the reserved rows keep their places in the delivery queue regardless.
    start = secrets.randbelow(len(waiting)) if waiting else 0
    written = 0
    for rsvp_id in waiting[start:] + waiting[:start]:
        try:
            written += write_confirmation(rsvp_id)
        except Exception as error:
            db.session.rollback()
            log.exception("writing the confirmation of RSVP %s failed", rsvp_id)
            _count_failed_writing(rsvp_id, f"{type(error).__name__}: {error}")
    return written


def _count_failed_writing(rsvp_id: int, error: str) -> None:
    begin_write()
    if (waiting := _confirmation_to_write(rsvp_id, lock=True)) is not None:
        waiting.attempts += 1
        waiting.last_error = error[:500]
        if waiting.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            waiting.status = MessageStatus.FAILED
    db.session.commit()


def add_walk_in(event: Event, *, name: str, venue_id: int | None, guests: int,
                email: str = "") -> Rsvp:
    """Someone who turns up at the door: going and checked in at once, even
    past capacity (the coordinator at the door decides), and sent no email."""
    lock_event(event)
    venue = venue_of(event, venue_id) if venue_id is not None else None
    if venue_id is not None and venue is None:
        raise RsvpError("Please choose one of the event's venues.")
    if not 0 <= guests <= 50:
        raise RsvpError("Guests must be between 0 and 50.")
    nonce = new_nonce()
    now = utcnow()
    rsvp = Rsvp(
        event=event, venue=venue, name=name, email=email, email_key=email.casefold(),
        guests=guests, status=RsvpStatus.GOING, token_nonce=nonce,
        token_hash=token_hash(link_token(LINK_PURPOSE, nonce)), ical_uid=invites.new_uid(),
        checked_in_at=now,
    )
    db.session.add(rsvp)
    db.session.flush()
    return rsvp


def promote_now(rsvp: Rsvp) -> None:
    """A coordinator gives a waitlisted person a place, even past capacity."""
    _lock_and_reload(rsvp)
    if rsvp.status is not RsvpStatus.WAITLISTED:
        raise RsvpError("Only someone on the waitlist can be promoted.")
    rsvp.status, rsvp.waitlisted_at = RsvpStatus.GOING, None
    db.session.flush()
    _queue(rsvp, "promoted")


def merge_duplicate(keep: Rsvp, duplicate: Rsvp) -> None:
    """One person, two RSVPs: keep one, cancel the other and tell them so
    (its calendar entry goes; the kept one stays)."""
    if keep.id == duplicate.id or keep.event_id != duplicate.event_id or (
            keep.email_key != duplicate.email_key):
        raise RsvpError("Only two RSVPs with the same email address for one event can be merged.")
    _lock_and_reload(duplicate)
    _lock_and_reload(keep)
    if keep.status is RsvpStatus.CANCELLED:
        raise RsvpError("This RSVP is cancelled: merge into one that is still active.")
    if duplicate.status is RsvpStatus.CANCELLED:
        return
    duplicate.status, duplicate.waitlisted_at = RsvpStatus.CANCELLED, None
    db.session.flush()
    promote_waitlist(duplicate.venue)
    _queue(duplicate, "merged", kept_url=manage_url(keep))


def set_checked_in(rsvp: Rsvp, checked_in: bool) -> None:
    """Tick someone off at the door, or undo it."""
    rsvp.checked_in_at = utcnow() if checked_in else None
    db.session.flush()


def change_rsvp(rsvp: Rsvp, *, venue_id: int | None, guests: int, keep_updated: bool,
                access_needs: str | None = None) -> bool:
    """Switch venue or online, change guests, consent to updates or access
    needs (None leaves them as they are). Returns whether anything changed.

    Someone who has a place keeps it unless the new choice fits: a full
    venue is refused with a message and nothing changes. Someone on the
    waitlist moves to the back of the new venue's waitlist, or straight in
    when there is room.

    Made by the person on their manage page, the change also takes the
    page's language for their emails; a coordinator's leaves it as it is.
    """
    event = rsvp.event
    _lock_and_reload(rsvp)
    if rsvp.status is RsvpStatus.CANCELLED:
        raise RsvpError(gettext("This RSVP is cancelled. To come after all, please RSVP again."))
    venue = _check_request(event, venue_id, guests)
    if (language := visitor_language()) is not None:
        rsvp.language = language
    details_changed = keep_updated != rsvp.keep_updated or (
        access_needs is not None and access_needs != rsvp.access_needs)
    rsvp.keep_updated = keep_updated
    if access_needs is not None:
        rsvp.access_needs = access_needs
    if venue_id == rsvp.venue_id and guests == rsvp.guests:
        db.session.flush()
        return details_changed

    old_venue = rsvp.venue
    moving = venue_id != rsvp.venue_id
    growing = moving or guests > rsvp.guests
    if rsvp.status is RsvpStatus.GOING and venue is not None and growing:
        left = places_left(venue, besides=rsvp if not moving else None)
        if left is not None and 1 + guests > left:
            party = {"venue": venue.name, "people": _people(1 + guests),
                     "places": _places(left)}
            if moving:
                raise RsvpError(gettext("%(venue)s does not have room for %(people)s "
                                        "(%(places)s free). Your RSVP is unchanged.", **party))
            raise RsvpError(gettext("%(venue)s does not have room for %(people)s (%(places)s "
                                    "free, counting yours). Your RSVP is unchanged.", **party))
    rsvp.venue, rsvp.guests = venue, guests
    if moving and rsvp.status is RsvpStatus.WAITLISTED:
        _place(rsvp, venue, utcnow())
    db.session.flush()
    promote_waitlist(old_venue)
    if venue is not old_venue:
        promote_waitlist(venue)
    _queue(rsvp, "changed")
    return True


def cancel_rsvp(rsvp: Rsvp) -> None:
    """Give up the place (or waitlist spot) and let the waitlist move up."""
    _lock_and_reload(rsvp)
    if rsvp.status is RsvpStatus.CANCELLED:
        return
    rsvp.status = RsvpStatus.CANCELLED
    rsvp.waitlisted_at = None
    db.session.flush()
    promote_waitlist(rsvp.venue)
    _queue(rsvp, "cancelled")


def delete_rsvp(rsvp: Rsvp) -> None:
    """Erase the RSVP and every message about it; its place goes to the waitlist.

    If the person's calendar holds the entry, one last email removes it; its
    address is erased as soon as it is out.
    """
    _lock_and_reload(rsvp, deleting=True)
    venue = rsvp.venue
    if rsvp.invite_active:
        rsvp.status = RsvpStatus.CANCELLED
        _queue(rsvp, "deleted", linked=False)
    db.session.delete(rsvp)
    db.session.flush()
    forget_unused_addresses(rsvp.email_key)
    promote_waitlist(venue)


def replace_link(rsvp: Rsvp) -> None:
    """Retire the RSVP's manage link at once and email a new one to its
    address (with the calendar entry, whose text holds the link, updated)."""
    _lock_and_reload(rsvp)
    rsvp.token_nonce = new_nonce()
    rsvp.token_hash = token_hash(manage_token(rsvp))
    db.session.flush()
    _queue(rsvp, "new_link")


def promote_waitlist(venue: Venue | None) -> list[Rsvp]:
    """Give freed places to the first waitlisted RSVPs that fit, in order of
    arrival, and tell each of them. The caller holds the event's lock.

    Nothing moves once the event is cancelled or over: a place there is
    worth nothing, and an email saying otherwise would mislead."""
    if venue is None or not accepts_rsvps(venue.event):
        return []
    left = places_left(venue)
    waiting = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.venue_id == venue.id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.waitlisted_at, Rsvp.id)
    ).all()
    promoted = []
    for rsvp in waiting:
        if left is not None and rsvp.party_size > left:
            continue
        _write_waiting_confirmation(rsvp)  # "you are on the waitlist" comes first
        rsvp.status, rsvp.waitlisted_at = RsvpStatus.GOING, None
        if left is not None:
            left -= rsvp.party_size
        promoted.append(rsvp)
        _queue(rsvp, "promoted")
    db.session.flush()
    return promoted


def sync_invites(event: Event) -> int:
    """Tell everyone whose calendar entry no longer matches the event.

    Call after any change to the event, its venues or its online link (the
    caller holds the event's lock). People going get an update (or, for a
    date just announced, their first invite); after a cancellation everyone
    still signed up is told, with a CANCEL where their calendar holds the
    entry. Returns how many people were emailed.
    """
    rsvps = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.event_id == event.id, Rsvp.status != RsvpStatus.CANCELLED)
        .where(Rsvp.email != "")  # walk-ins without one, people the retention policy forgot
        .order_by(Rsvp.id)
    ).all()
    told = 0
    for rsvp in rsvps:
        if event.is_cancelled:
            template = "event_cancelled"
        elif rsvp.status is not RsvpStatus.GOING:
            continue
        elif not rsvp.invite_active:
            template = "date_announced"
        else:
            template = "event_changed"
        url = manage_url(rsvp)
        if template != "event_cancelled" and not invites.is_outdated(rsvp, url):
            continue  # this person's entry shows nothing that changed (or no date yet)
        _queue(rsvp, template)
        told += 1
    db.session.flush()
    return told


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue the reminder for every RSVP whose event starts within the
    reminder window, once each. People who RSVPed inside the window just
    had their confirmation, so they get no reminder. Returns how many."""
    hours = current_app.config["REMINDER_HOURS_BEFORE"]
    if not hours:
        return 0
    now = now or utcnow()
    lead = timedelta(hours=hours)
    starts_at = func.coalesce(Venue.starts_at, Event.starts_at)
    due = db.session.scalars(
        select(Rsvp)
        .join(Rsvp.event)
        .outerjoin(Rsvp.venue)
        .where(Rsvp.status == RsvpStatus.GOING, Rsvp.reminded_at.is_(None))
        .where(Event.status == EventStatus.PUBLISHED)
        .where(starts_at > now, starts_at <= now + lead)
        .order_by(Rsvp.id)
    ).all()
    queued = 0
    for rsvp in due:
        rsvp.reminded_at = now
        start = rsvp.venue.local_starts_at if rsvp.venue else rsvp.event.starts_at
        if start is not None and rsvp.created_at < start - lead:
            _queue(rsvp, "reminder", with_invite=False)
            queued += 1
    db.session.flush()
    return queued


def _lock_and_reload(rsvp: Rsvp, *, deleting: bool = False) -> None:
    """Take the event's lock, then read the RSVP again: another request may
    have promoted, changed or deleted it while this one waited. A change
    writes a confirmation still waiting first, as things stood before it; a
    deletion makes it moot."""
    lock_event(rsvp.event)
    fresh = db.session.scalars(
        select(Rsvp).where(Rsvp.id == rsvp.id).execution_options(populate_existing=True)
    ).first()
    if fresh is None:
        raise RsvpGone()
    if not deleting:
        _write_waiting_confirmation(rsvp)


def _check_request(event: Event, venue_id: int | None, guests: int) -> Venue | None:
    """The venue asked for, after checking the event takes this RSVP."""
    _check_taking(event, venue_id, guests)
    if venue_id is None:
        return None
    venue = venue_of(event, venue_id)
    if venue is None:
        raise RsvpError(gettext("Please choose one of the event's venues."))
    return venue


def _check_taking(event: EventTerms, venue_id: int | None, guests: int) -> None:
    """That the event (or its row: status, dates, guest limit, online)
    takes RSVPs, this many guests and, for ``venue_id`` None, people online."""
    if not accepts_rsvps(event):
        raise RsvpError(gettext("This event is not taking RSVPs."))
    if not 0 <= guests <= event.guest_limit:
        raise RsvpError(ngettext("You can bring up to %(count)s guest.",
                                 "You can bring up to %(count)s guests.", event.guest_limit,
                                 count=format_number(event.guest_limit)))
    if venue_id is None and not event.online:
        raise RsvpError(gettext("This event has no online attendance."))


def _fits(party_size: int, left: int | None) -> bool:
    """Whether a party fits in ``left`` places (None: no limit)."""
    return left is None or party_size <= left


def _place(rsvp: Rsvp, venue: Venue | None, now: datetime) -> None:
    """Going if the party fits, else the back of the venue's waitlist."""
    left = None if venue is None else places_left(venue, besides=rsvp)
    if _fits(rsvp.party_size, left):
        rsvp.status, rsvp.waitlisted_at = RsvpStatus.GOING, None
    else:
        rsvp.status, rsvp.waitlisted_at = RsvpStatus.WAITLISTED, now


def _has_other_rsvp(rsvp: Rsvp) -> bool:
    """Whether the address already had an active RSVP to the event when this
    one was made (its confirmation may be written later, after newer ones)."""
    return db.session.scalar(
        select(func.count(Rsvp.id)).where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.email_key == rsvp.email_key,
            Rsvp.status != RsvpStatus.CANCELLED,
            Rsvp.id < rsvp.id,
        )
    ) > 0


SUBJECTS = {
    "confirmation": N_("RSVP confirmed: %(title)s"),
    "waitlisted": N_("You are on the waitlist: %(title)s"),
    "promoted": N_("A place is yours: %(title)s"),
    "changed": N_("RSVP updated: %(title)s"),
    "cancelled": N_("RSVP cancelled: %(title)s"),
    "merged": N_("Two RSVPs made one: %(title)s"),
    "deleted": N_("Your data is deleted: %(title)s"),
    "new_link": N_("Your new link: %(title)s"),
    "date_announced": N_("Date announced: %(title)s"),
    "event_changed": N_("Changed: %(title)s"),
    "event_cancelled": N_("Cancelled: %(title)s"),
    "reminder": N_("Reminder: %(title)s"),
}

#: Emails that offer the person's calendar feed.
OFFERS_FEED = frozenset({"confirmation", "promoted", "date_announced"})


def _queue(rsvp: Rsvp, template: str, *, linked: bool = True, with_invite: bool = True,
           **context: object) -> OutboxMessage | None:
    """Queue an email about ``rsvp``, with the invite when the calendar needs one.

    ``linked=False`` keeps the message when the RSVP is deleted, and erases
    its address once it is sent. Nobody is written to without an address: a
    walk-in who gave none, or an RSVP the retention policy anonymised.
    """
    if not rsvp.email:
        return None
    if template not in ("confirmation", "deleted"):
        _write_waiting_confirmation(rsvp)
    if template == "confirmation" and rsvp.status is RsvpStatus.WAITLISTED:
        subject_key = "waitlisted"
    else:
        subject_key = template
    url = manage_url(rsvp)
    calendar = invites.next_calendar_part(rsvp, url) if with_invite else None
    return queue_email(
        f"rsvps/{template}",
        to_name=rsvp.name,
        to_email=rsvp.email,
        # the title the person's language gives it, once that language is set
        subject=lazy_gettext(SUBJECTS[subject_key],
                             title=LazyString(lambda: localized(rsvp.event).title)),
        language=rsvp.language,
        rsvp_id=rsvp.id if linked else None,
        forget_recipient=not linked,
        calendar=calendar,
        calendar_attached=calendar is not None,
        rsvp=rsvp,
        event=rsvp.event,
        manage_url=url,
        cancel_url=absolute_url("rsvps.confirm_cancel", token=manage_token(rsvp)),
        event_url=absolute_url("events.detail", slug=rsvp.event.slug),
        home_url=absolute_url("events.index"),
        feed=feed_links(rsvp.email) if template in OFFERS_FEED else None,
        **context,
    )


def _places(count: int) -> str:
    return ngettext("%(count)s place", "%(count)s places", count, count=format_number(count))


def _people(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count, count=format_number(count))
