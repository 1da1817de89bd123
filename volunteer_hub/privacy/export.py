"""'Download my data': what we hold about the record one manage link opens.

A manage link opens one RSVP or one sign-up, so its download holds that
record, what it is about (the event, the tasks), and the emails about it that
are still in the outbox: nothing the link does not already show. Other RSVPs
and sign-ups of the same address are left out, since a forwarded link must
not reveal them; "Find my RSVPs and tasks" emails the address's owner a link
to each of them instead.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response, current_app
from sqlalchemy import select

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers.models import Assignment, Signup

SCOPE = ("This file holds the one {what} your personal link opens. Other RSVPs or "
         "volunteer sign-ups made with the same email address are not included: "
         "to see them, use 'Find my RSVPs and tasks' ({lookup_url}), which emails a "
         "link to that address.")
NOT_SHOWN = ("Also stored, and left out because they are secrets or digests rather "
             "than information about you: the SHA-256 hash of your personal link and the "
             "random value it is made from; the hash of the form you sent; a digest of "
             "what your calendar shows.")


def rsvp_data(rsvp: Rsvp) -> dict[str, Any]:
    """Everything stored about ``rsvp``, as JSON-ready values."""
    event, venue = rsvp.event, rsvp.venue
    return _envelope("RSVP", {
        "rsvp": {
            "name": rsvp.name,
            "email": rsvp.email,
            "status": rsvp.status.value,
            "attendance": "online" if venue is None else "in person",
            "venue": None if venue is None else {"name": venue.name, "address": venue.address},
            "guests": rsvp.guests,
            "access_needs": rsvp.access_needs,
            "language": rsvp.language,
            "keep_me_updated": rsvp.keep_updated,
            "created_at": _time(rsvp.created_at),
            "updated_at": _time(rsvp.updated_at),
            "waitlisted_at": _time(rsvp.waitlisted_at),
            "reminder_sent_at": _time(rsvp.reminded_at),
            "checked_in_at": _time(rsvp.checked_in_at),
            "calendar_entry": _calendar(rsvp),
        },
        "event": {
            "title": event.title,
            "page": absolute_url("events.detail", slug=event.slug),
            "starts_at": _time(venue.local_starts_at if venue else event.starts_at),
            "ends_at": _time(venue.local_ends_at if venue else event.ends_at),
            "timezone": venue.timezone if venue else event.timezone,
        },
        "emails": _emails(OutboxMessage.rsvp_id == rsvp.id),
        "personal_calendar_feed": _feed(rsvp.email_key),
    })


def signup_data(signup: Signup) -> dict[str, Any]:
    """Everything stored about ``signup``, as JSON-ready values."""
    return _envelope("volunteer sign-up", {
        "signup": {
            "name": signup.name,
            "email": signup.email,
            "phone": signup.phone,
            "languages": signup.languages,
            "skills": signup.skills,
            "note": signup.note,
            "language": signup.language,
            "created_at": _time(signup.created_at),
        },
        "tasks": [_task(assignment) for assignment in signup.assignments],
        "emails": _emails(OutboxMessage.signup_id == signup.id),
        "personal_calendar_feed": _feed(signup.email_key),
    })


def download(data: dict[str, Any], filename: str) -> Response:
    """``data`` as a JSON file to save, kept out of every cache."""
    response = Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                        mimetype="application/json")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def _envelope(what: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "exported_at": _time(utcnow()),
        "campaign": current_app.config["CAMPAIGN_NAME"],
        "about": SCOPE.format(what=what, lookup_url=absolute_url("lookup.request_link")),
        "retention": (f"Your name, email address and other details are deleted "
                      f"{current_app.config['RETENTION_DAYS']} days after the event or "
                      "task is over; you can delete them sooner from your personal link."),
        **record,
        "also_stored": NOT_SHOWN,
    }


def _task(assignment: Assignment) -> dict[str, Any]:
    task = assignment.task
    starts_at, ends_at, zone = task.when
    return {
        "title": task.title,
        "event": task.event.title if task.event else None,
        "where": task.where or None,
        "starts_at": _time(starts_at),
        "ends_at": _time(ends_at),
        "timezone": zone,
        "status": "cancelled by the organisers" if task.is_cancelled
        else assignment.status.value,
        "signed_up_at": _time(assignment.created_at),
        "updated_at": _time(assignment.updated_at),
        "waitlisted_at": _time(assignment.waitlisted_at),
        "calendar_entry": _calendar(assignment),
    }


def _calendar(holder: Rsvp | Assignment) -> dict[str, Any]:
    return {"uid": holder.ical_uid, "last_sequence_sent": holder.invite_sequence,
            "in_your_calendar": holder.invite_active}


def _emails(about: Any) -> list[dict[str, Any]]:
    """The emails about the record that the outbox still holds (their
    content is erased once sent)."""
    messages = db.session.scalars(select(OutboxMessage).where(about).order_by(OutboxMessage.id))
    return [{"to": message.recipient, "subject": message.subject,
             "status": message.status.value, "queued_at": _time(message.created_at),
             "sent_at": _time(message.sent_at)} for message in messages]


def _feed(email_key: str) -> dict[str, Any] | None:
    """Only whether the address has a personal calendar feed: the feed lists
    the address's other RSVPs, so neither its link nor its age (which would
    hint at older records) is given."""
    exists = db.session.scalar(
        select(CalendarFeed.id).where(CalendarFeed.email_key == email_key))
    return None if exists is None else {"exists": True}


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
