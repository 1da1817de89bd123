"""RSVP by form, and the manage link that changes, cancels or deletes it."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from volunteer_hub import overload
from volunteer_hub.database import begin_write, utcnow, write_transaction
from volunteer_hub.errors import render_error
from volunteer_hub.events.pages import render_event
from volunteer_hub.events.services import (
    accepts_rsvps,
    get_public_event_or_404,
    public_event_outline,
)
from volunteer_hub.extensions import db
from volunteer_hub.invites import ical
from volunteer_hub.invites.entries import add_links
from volunteer_hub.privacy import export
from volunteer_hub.rsvps import invites, services
from volunteer_hub.rsvps.forms import ONLINE, ChangeRsvpForm, ConfirmForm, RsvpForm
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.security import never_cache
from volunteer_hub.tokens import new_nonce

bp = Blueprint("rsvps", __name__)
log = logging.getLogger(__name__)


never_cache(bp)


@bp.errorhandler(services.RsvpGone)
def _gone(error: services.RsvpGone) -> ResponseReturnValue:
    return render_error(404)


@bp.post("/events/<slug>/rsvp")
def create(slug: str) -> ResponseReturnValue:
    try:
        return _create(slug)
    except overload.DATABASE_BUSY as error:
        if not overload.is_busy(error):
            raise
        # Nothing was saved: give the form back as filled in, same keys, so
        # that sending it again is one click (and never a second RSVP).
        db.session.rollback()
        event = get_public_event_or_404(slug)
        return overload.busy_response(make_response(render_event(
            event, RsvpForm(event), 503, error=str(overload.BUSY_MESSAGE))))


def _create(slug: str) -> ResponseReturnValue:
    # The form is checked against the event as its page showed it, before
    # the write lock is taken, so that writers hold it for the booking
    # alone; what decides the booking is read again under the lock.
    form = RsvpForm(public_event_outline(slug))
    if not form.validate_on_submit():
        if form.submission_key.errors:
            form.submission_key.data = new_nonce()
        return render_event(get_public_event_or_404(slug), form, 422)
    booking = services.prepare_booking(form.event_id, **form.data_for_service())
    try:
        with write_transaction() as connection:
            result = services.book(booking, confirm_later=True, connection=connection)
    except (services.RsvpError, IntegrityError) as error:
        # IntegrityError: the same form sent to two events at once
        # (PostgreSQL), and the first won.
        form.submission_key.data = new_nonce()
        message = services.RESENT_FORM if isinstance(error, IntegrityError) else str(error)
        return render_event(get_public_event_or_404(slug), form, 422, error=message)
    if result.created:
        if not current_app.config["CONFIRMATIONS_BY_WORKER"]:
            _write_confirmation(result.rsvp_id)
        flash("created", "rsvp")
    return redirect(url_for("rsvps.manage", token=result.manage_token), 303)


def _write_confirmation(rsvp_id: int) -> None:
    """Write the confirmation now, out of the booking's lock. The booking is
    saved: should this fail, the mail worker writes it, and the person still
    gets their answer."""
    try:
        services.write_confirmation(rsvp_id)
    except Exception:
        db.session.rollback()
        log.exception("writing the confirmation of RSVP %s failed; the mail worker will",
                      rsvp_id)


def _rsvp_or_404(token: str, *, for_write: bool = False) -> Rsvp:
    if for_write:
        begin_write()
    rsvp = services.find_by_token(token)
    if rsvp is None:
        abort(404)
    return rsvp


def _change_form(rsvp: Rsvp, **kwargs) -> ChangeRsvpForm:
    form = ChangeRsvpForm(rsvp.event, **kwargs)
    if not form.is_submitted():
        form.attendance.data = ONLINE if rsvp.is_online else str(rsvp.venue_id)
        form.guests.data = rsvp.guests
        form.keep_updated.data = rsvp.keep_updated
        form.access_needs.data = rsvp.access_needs
    return form


def _render_manage(rsvp: Rsvp, form: ChangeRsvpForm, status: int = 200,
                   error: str | None = None) -> ResponseReturnValue:
    return render_template(
        "rsvps/manage.html",
        rsvp=rsvp,
        event=rsvp.event,
        form=form,
        token=services.manage_token(rsvp),
        manage_url=services.manage_url(rsvp),
        can_change=accepts_rsvps(rsvp.event) and rsvp.status is not RsvpStatus.CANCELLED,
        confirm=ConfirmForm(),
        add_links=add_links(entry) if (entry := invites.feed_entry(
            rsvp, services.manage_url(rsvp))) else None,
        error=error,
    ), status


@bp.get("/rsvp/<token>")
def manage(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token)
    return _render_manage(rsvp, _change_form(rsvp))


@bp.post("/rsvp/<token>")
def change(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token, for_write=True)
    form = _change_form(rsvp)
    if not form.validate_on_submit():
        return _render_manage(rsvp, form, 422)
    try:
        changed = services.change_rsvp(rsvp, venue_id=form.venue_id, guests=form.guests.data,
                                       keep_updated=form.keep_updated.data,
                                       access_needs=form.access_needs.data or "")
        db.session.commit()
    except services.RsvpError as error:
        db.session.rollback()
        return _render_manage(rsvp, form, 422, error=str(error))
    if changed:
        flash(gettext("Your RSVP has been updated. We have emailed you the details."), "success")
    else:
        flash(gettext("Nothing was changed."), "info")
    return redirect(url_for("rsvps.manage", token=token), 303)


@bp.get("/rsvp/<token>/invite.ics")
def invite_ics(token: str) -> ResponseReturnValue:
    """This RSVP's calendar entry as a file, under the UID of its emailed invites."""
    rsvp = _rsvp_or_404(token)
    entry = invites.feed_entry(rsvp, services.manage_url(rsvp))
    if entry is None:
        abort(404)
    response = Response(ical.feed([entry], name=rsvp.event.title, stamp=utcnow()),
                        mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return response


@bp.get("/rsvp/<token>/cancel")
def confirm_cancel(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token)
    return render_template("rsvps/confirm_cancel.html", rsvp=rsvp, event=rsvp.event,
                           token=token, form=ConfirmForm())


@bp.post("/rsvp/<token>/cancel")
def cancel(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.cancel_rsvp(rsvp)
    db.session.commit()
    flash(gettext("Your RSVP is cancelled. Thank you for letting us know."), "success")
    return redirect(url_for("rsvps.manage", token=token), 303)


@bp.get("/rsvp/<token>/delete")
def confirm_delete(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token)
    return render_template("rsvps/confirm_delete.html", rsvp=rsvp, event=rsvp.event,
                           token=token, form=ConfirmForm())


@bp.post("/rsvp/<token>/delete")
def delete(token: str) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    slug = rsvp.event.slug
    services.delete_rsvp(rsvp)
    db.session.commit()
    flash(gettext("Your RSVP and everything we held about it have been deleted."), "success")
    return redirect(url_for("events.detail", slug=slug), 303)


@bp.get("/rsvp/<token>/data.json")
def download_data(token: str) -> ResponseReturnValue:
    """'Download my data': this RSVP and what we hold about it, as JSON."""
    rsvp = _rsvp_or_404(token)
    return export.download(export.rsvp_data(rsvp), "my-rsvp.json")


@bp.post("/rsvp/<token>/new-link")
def new_link(token: str) -> ResponseReturnValue:
    """Retire this link and email a new one to the RSVP's address, so a link
    someone else has seen stops working."""
    rsvp = _rsvp_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.replace_link(rsvp)
    db.session.commit()
    return redirect(url_for("rsvps.link_sent"), 303)


@bp.get("/rsvp/link-sent")
def link_sent() -> ResponseReturnValue:
    return render_template("privacy/link_sent.html", what="RSVP")
