"""Calendar downloads: one event, the public feed, and personal feeds."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload
from werkzeug.http import is_resource_modified

from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, EventStatus
from volunteer_hub.events.services import get_public_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.invites import caching, ical, services
from volunteer_hub.invites.entries import event_entries, kept_event_entries
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.rsvps.invites import feed_entry
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.rsvps.services import manage_url
from volunteer_hub.volunteers.invites import feed_entry as task_feed_entry
from volunteer_hub.volunteers.models import Assignment, Signup, Task
from volunteer_hub.volunteers.services import manage_url as signup_manage_url

bp = Blueprint("invites", __name__)


PUBLIC_CACHE_CONTROL = "public, max-age=300"


def _calendar_response(body: bytes, filename: str, *, private: bool = False,
                       validator: caching.Validator | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store" if private else PUBLIC_CACHE_CONTROL
    return response if validator is None else _validated(response, validator)


def _validated(response: Response, validator: caching.Validator) -> Response:
    response.set_etag(validator.etag)
    response.last_modified = validator.last_modified
    return response


def _not_modified(validator: caching.Validator) -> Response | None:
    """304 when the caller's copy is current, decided before building anything."""
    if is_resource_modified(request.environ, etag=validator.etag,
                            last_modified=validator.last_modified):
        return None
    response = Response(status=304)
    response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return _validated(response, validator)


@bp.get("/events/<slug>.ics")
def event_ics(slug: str) -> ResponseReturnValue:
    event = get_public_event_or_404(slug)
    validator = caching.event_validator(event)
    if (unchanged := _not_modified(validator)) is not None:
        return unchanged
    entries = event_entries(event)
    if not entries:
        abort(404)
    body = ical.feed_text(entries, name=event.title, public=True).render(utcnow())
    return _calendar_response(body, f"{event.slug}.ics", validator=validator)


@bp.get("/calendar.ics")
def public_feed() -> ResponseReturnValue:
    """Every published (or cancelled) event with a date, for subscription."""
    validator = caching.public_feed_validator()
    if (unchanged := _not_modified(validator)) is not None:
        return unchanged
    text = caching.kept_feed(validator, _public_feed_text)
    return _calendar_response(text.render(utcnow()), "events.ics", validator=validator)


def _public_feed_text() -> ical.FeedText:
    events = db.session.scalars(
        select(Event)
        .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
        .where(Event.starts_at.is_not(None))
        .order_by(Event.starts_at)
        # the feed keeps the events' own titles: no translations
        .options(selectinload(Event.venues), lazyload(Event.translations))
    )
    entries = [entry for event in events for entry in kept_event_entries(event)]
    return ical.feed_text(entries, name=current_app.config["CAMPAIGN_NAME"], public=True)


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str) -> ResponseReturnValue:
    """Everything one address is going to or volunteering for, under the same
    UIDs as its invites, so nothing shows twice."""
    feed = services.find_feed(token)
    if feed is None:
        abort(404)
    rsvps = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.email_key == feed.email_key)
        .options(selectinload(Rsvp.event).selectinload(Event.venues), selectinload(Rsvp.venue))
    )
    entries = [entry for rsvp in rsvps if (entry := feed_entry(rsvp, manage_url(rsvp)))]
    signups = db.session.scalars(
        select(Signup)
        .where(Signup.email_key == feed.email_key)
        .options(selectinload(Signup.assignments).selectinload(Assignment.task)
                 .selectinload(Task.event).selectinload(Event.venues))
    )
    entries += [
        entry
        for signup in signups
        for assignment in signup.assignments
        if (entry := task_feed_entry(assignment, signup_manage_url(signup)))
    ]
    body = ical.feed(entries, name="My RSVPs and tasks", stamp=utcnow())
    return _calendar_response(body, "my-rsvps.ics", private=True)


@bp.get("/calendar/<token>/revoke")
def confirm_revoke(token: str) -> ResponseReturnValue:
    if services.find_feed(token) is None:
        abort(404)
    response = Response(render_template("invites/confirm_revoke.html", token=token,
                                        form=ConfirmForm()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/calendar/<token>/revoke")
def revoke(token: str) -> ResponseReturnValue:
    feed = services.find_feed(token)
    if feed is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_feed(feed)
    db.session.commit()
    flash(gettext("That calendar link no longer works. Your next email from us will carry a "
                  "new one."), "success")
    return redirect(url_for("events.index"), 303)
