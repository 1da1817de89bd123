"""The rules of endorsing the appeal.

An endorsement counts, and its name may be shown, once the person confirms
it from the link we email them. The form therefore gives the same answer,
and changes nothing anyone can see, whether or not the address had already
endorsed: a new address gets a link to confirm, a known one gets its own link
again (at most once every few minutes), and what the form said is dropped,
so nobody can change or show someone else's endorsement by typing their
address. The person changes their details, or withdraws, from their link.

Functions flush and leave the commit to the caller, which starts write
requests with ``begin_write()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from volunteer_hub.appeal import text
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.i18n import N_
from volunteer_hub.mail.compose import queue_email
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.tokens import link_token, new_nonce, token_hash
from volunteer_hub.urls import absolute_url

LINK_PURPOSE = "endorsement"
#: Unconfirmed endorsements are deleted after this long.
UNCONFIRMED_DAYS = 7
#: At most one email about an endorsement in this time.
RESEND_MINUTES = 5

SUBJECTS = {
    "appeal/confirm": N_("Please confirm your endorsement of the appeal"),
    "appeal/already": N_("You have already endorsed the appeal"),
}

#: The console's filters: name, and what it selects.
STATUSES = {
    "public": "Confirmed, name shown",
    "anonymous": "Confirmed, name not shown",
    "pending": "Not confirmed yet",
    "hidden": "Hidden",
}


@dataclass(frozen=True)
class Submission:
    """What the form led to; the person is shown the same answer either way."""

    endorsement: Endorsement
    #: False when the address had already endorsed (or asked to)
    created: bool
    #: whether an email went out (not when one was sent a moment ago)
    emailed: bool


def manage_token(endorsement: Endorsement) -> str:
    return link_token(LINK_PURPOSE, endorsement.token_nonce)


def manage_url(endorsement: Endorsement) -> str:
    return absolute_url("appeal.manage", token=manage_token(endorsement))


def find_by_token(token: str) -> Endorsement | None:
    return db.session.scalar(
        select(Endorsement).where(Endorsement.token_hash == token_hash(token)))


def _counted():
    """SQL: the endorsements that count on the public page."""
    return Endorsement.confirmed_at.is_not(None), Endorsement.hidden.is_(False)


def public_count() -> int:
    """Confirmed endorsements that no coordinator hid, shown names or not."""
    return db.session.scalar(select(func.count(Endorsement.id)).where(*_counted())) or 0


def public_names(page: int, per_page: int) -> Pagination:
    """The endorsements whose people agreed to show their name, newest first."""
    return db.paginate(
        select(Endorsement).where(*_counted(), Endorsement.show_name.is_(True))
        .order_by(Endorsement.confirmed_at.desc(), Endorsement.id.desc()),
        page=page, per_page=per_page, error_out=False,
    )


def purge_unconfirmed() -> None:
    """Forget endorsements nobody confirmed in time."""
    cutoff = utcnow() - timedelta(days=UNCONFIRMED_DAYS)
    db.session.execute(delete(Endorsement).where(
        Endorsement.confirmed_at.is_(None), Endorsement.created_at < cutoff))


def endorse(*, name: str, email: str, city: str = "", affiliation: str = "",
            show_name: bool = False) -> Submission:
    """Take the form: a new, unconfirmed endorsement and an email to confirm
    it; for an address we know, its link again and nothing else changed."""
    purge_unconfirmed()
    email_key = email.casefold()
    existing = _by_email_key(email_key)
    if existing is None:
        nonce = new_nonce()
        endorsement = Endorsement(
            name=name, email=email, email_key=email_key, city=city, affiliation=affiliation,
            show_name=show_name, token_nonce=nonce,
            token_hash=token_hash(link_token(LINK_PURPOSE, nonce)), emailed_at=utcnow(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(endorsement)
        except IntegrityError:
            # The same address, sent at the same moment by another request.
            existing = _by_email_key(email_key)
            if existing is None:
                raise
        else:
            _email(endorsement, "appeal/confirm")
            return Submission(endorsement, created=True, emailed=True)
    return Submission(existing, created=False, emailed=_remind(existing))


def _by_email_key(email_key: str) -> Endorsement | None:
    return db.session.scalar(select(Endorsement).where(Endorsement.email_key == email_key))


def _remind(endorsement: Endorsement) -> bool:
    """Send the address its link again, unless we just did."""
    now = utcnow()
    if endorsement.emailed_at > now - timedelta(minutes=RESEND_MINUTES):
        return False
    endorsement.emailed_at = now
    _email(endorsement, "appeal/already" if endorsement.is_confirmed else "appeal/confirm")
    db.session.flush()
    return True


def _email(endorsement: Endorsement, template: str) -> None:
    # The address is erased from the outbox once the message is out: the
    # endorsement keeps it, and withdrawing deletes it there. In the language
    # of the page that asked for it.
    queue_email(template, to_name=endorsement.name, to_email=endorsement.email,
                subject=lazy_gettext(SUBJECTS[template]), forget_recipient=True,
                title=text.TITLE, link=manage_url(endorsement), days=UNCONFIRMED_DAYS)


def save_details(endorsement: Endorsement, *, name: str, city: str, affiliation: str,
                 show_name: bool) -> bool:
    """The person's own changes, from their link; the first save confirms
    the endorsement. Returns whether it was confirmed just now."""
    endorsement.name, endorsement.city = name, city
    endorsement.affiliation, endorsement.show_name = affiliation, show_name
    confirmed_now = not endorsement.is_confirmed
    if confirmed_now:
        endorsement.confirmed_at = utcnow()
    db.session.flush()
    return confirmed_now


def withdraw(endorsement: Endorsement) -> None:
    """Delete the endorsement, and our mail to it that has not gone out yet."""
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.recipient == endorsement.email,
        OutboxMessage.status == MessageStatus.PENDING,
        OutboxMessage.subject.in_(SUBJECTS.values()),
    ))
    db.session.delete(endorsement)
    db.session.flush()


def set_hidden(endorsement: Endorsement, hidden: bool) -> None:
    """A coordinator hides an entry from the public page and its count, or
    shows it again."""
    endorsement.hidden = hidden
    db.session.flush()


def console_query(search: str = "", status: str = "") -> Select:
    """Endorsements for the console, newest first, filtered by a search of
    name, email, city and affiliation, and by one of ``STATUSES``."""
    query = select(Endorsement).order_by(Endorsement.created_at.desc(), Endorsement.id.desc())
    if search:
        pattern = "%" + search.casefold().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Endorsement.name, Endorsement.email_key, Endorsement.city, Endorsement.affiliation))))
    if status == "public":
        query = query.where(*_counted(), Endorsement.show_name.is_(True))
    elif status == "anonymous":
        query = query.where(*_counted(), Endorsement.show_name.is_(False))
    elif status == "pending":
        query = query.where(Endorsement.confirmed_at.is_(None))
    elif status == "hidden":
        query = query.where(Endorsement.hidden.is_(True))
    return query


def console_page(search: str, status: str, page: int, per_page: int) -> Pagination:
    return db.paginate(console_query(search, status), page=page, per_page=per_page,
                       error_out=False)


def console_totals() -> dict[str, int]:
    """How many endorsements there are in each of ``STATUSES``."""
    return {status: db.session.scalar(
        select(func.count()).select_from(console_query(status=status).order_by(None).subquery())
    ) or 0 for status in STATUSES}


def confirmed_endorsements() -> list[Endorsement]:
    """Every confirmed endorsement, oldest first, for the export."""
    return list(db.session.scalars(
        select(Endorsement).where(Endorsement.confirmed_at.is_not(None))
        .order_by(Endorsement.confirmed_at, Endorsement.id)))
