"""Finding everything one address committed to, without revealing to the
person asking whether we know that address."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import selectinload

from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.mail.compose import queue_email
from volunteer_hub.rsvps import services as rsvps
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.tokens import token_hash
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers import services as volunteers
from volunteer_hub.volunteers.models import Assignment, Signup, Task


@dataclass(frozen=True)
class Commitments:
    """One address's RSVPs and sign-ups, each with its manage token."""

    rsvps: list[tuple[Rsvp, str]]
    signups: list[tuple[Signup, str]]


def request_link(email: str) -> bool:
    """Email a short-lived link to the address if it has any RSVP or sign-up.

    Whatever happens, the caller shows the same answer. At most one link is
    sent per address every few minutes, so the form cannot be used to flood
    someone's inbox. The email is in the language of the page that asked.
    Returns whether a link was queued (for tests and logs).
    """
    email_key = email.casefold()
    now = utcnow()
    db.session.execute(delete(LookupLink).where(LookupLink.expires_at < now))
    known = db.session.scalar(select(or_(
        exists().where(Rsvp.email_key == email_key),
        exists().where(Signup.email_key == email_key),
    )))
    throttle = timedelta(minutes=current_app.config["LOOKUP_THROTTLE_MINUTES"])
    recent = db.session.scalar(select(exists().where(
        LookupLink.email_key == email_key, LookupLink.created_at > now - throttle)))
    if not known or recent:
        return False
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(minutes=current_app.config["LOOKUP_LINK_MINUTES"])
    db.session.add(LookupLink(email_key=email_key, token_hash=token_hash(token),
                              created_at=now, expires_at=now + lifetime))
    queue_email("lookup/link", to_name="", to_email=email,
                subject=lazy_gettext("Your RSVPs and volunteer tasks"),
                link=absolute_url("lookup.results", token=token),
                minutes=current_app.config["LOOKUP_LINK_MINUTES"])
    db.session.flush()
    return True


def find_link(token: str) -> LookupLink | None:
    """The link ``token`` opens, if it has not expired."""
    link = db.session.scalar(select(LookupLink).where(LookupLink.token_hash == token_hash(token)))
    if link is None or link.expires_at < utcnow():
        return None
    return link


def commitments(email_key: str) -> Commitments:
    """Everything the address has: RSVPs and sign-ups, newest first."""
    found_rsvps = db.session.scalars(
        select(Rsvp).where(Rsvp.email_key == email_key).order_by(Rsvp.id.desc())
        .options(selectinload(Rsvp.event).selectinload(Event.venues), selectinload(Rsvp.venue))
    ).all()
    found_signups = db.session.scalars(
        select(Signup).where(Signup.email_key == email_key).order_by(Signup.id.desc())
        .options(selectinload(Signup.assignments).selectinload(Assignment.task)
                 .selectinload(Task.event))
    ).all()
    return Commitments(
        rsvps=[(rsvp, rsvps.manage_token(rsvp)) for rsvp in found_rsvps],
        signups=[(signup, volunteers.manage_token(signup)) for signup in found_signups],
    )
