"""Console pages: the events at a glance, one event's RSVPs, offers of help."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from volunteer_hub.console import charts, services
from volunteer_hub.console.services import ONLINE
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.events.models import Event
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps import services as rsvp_services
from volunteer_hub.rsvps.forms import ChangeRsvpForm, ConfirmForm
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.volunteers.models import HelpOffer

bp = Blueprint("console", __name__, url_prefix="/console")
protect(bp)

OFFERS_PER_PAGE = 50


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("console/home.html", overview=services.events_overview())


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    search = request.args.get("q", "").strip()[:100]
    place = request.args.get("place", "")[:20]
    status = request.args.get("status", "")[:20]
    counts = services.place_counts(event)
    return render_template(
        "console/event.html",
        event=event,
        counts=counts,
        fill_chart=charts.fill_bars(_fills(event, counts)),
        daily_chart=charts.daily_chart(services.rsvps_per_day(event)),
        rsvps=services.rsvp_list(event, search=search, place=place, status=status),
        duplicates=services.duplicate_emails(event),
        anonymised=services.anonymised_count(event),
        search=search,
        place=place,
        status=status,
    )


def _fills(event: Event, counts: dict) -> list[charts.Fill]:
    rows = [charts.Fill(venue.name, counts[venue.id].going, counts[venue.id].guests,
                        counts[venue.id].waitlisted, venue.capacity) for venue in event.venues]
    if ONLINE in counts:
        online = counts[ONLINE]
        rows.append(charts.Fill("Online", online.going, online.guests, online.waitlisted, None))
    return rows


@bp.get("/offers")
def offers() -> ResponseReturnValue:
    page = requested_page()
    offers = db.paginate(select(HelpOffer).order_by(HelpOffer.id.desc()), page=page,
                         per_page=OFFERS_PER_PAGE, error_out=False)
    return render_template("console/offers.html", offers=offers)


def _rsvp_or_404(rsvp_id: int) -> Rsvp:
    rsvp = db.session.get(Rsvp, rsvp_id)
    if rsvp is None:
        abort(404)
    return rsvp


@bp.get("/rsvps/<int:rsvp_id>")
def rsvp(rsvp_id: int) -> ResponseReturnValue:
    """One RSVP, with what a coordinator can do for the person."""
    rsvp = _rsvp_or_404(rsvp_id)
    form = ChangeRsvpForm(rsvp.event, formdata=None)
    form.attendance.data = ONLINE if rsvp.is_online else str(rsvp.venue_id)
    form.guests.data, form.keep_updated.data = rsvp.guests, rsvp.keep_updated
    twins = [other for other in services.rsvp_list(rsvp.event, search=rsvp.email_key)
             if other.id != rsvp.id and other.email_key == rsvp.email_key and rsvp.email_key]
    return render_template("console/rsvp.html", rsvp=rsvp, event=rsvp.event, form=form,
                           twins=twins, confirm=ConfirmForm())


def _act(rsvp_id: int, action: str, do) -> ResponseReturnValue:
    rsvp = _rsvp_or_404(rsvp_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        message = do(rsvp)
    except rsvp_services.RsvpError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        audit(current_user, action, f"RSVP {rsvp.id} at {rsvp.event.title}")
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("console.rsvp", rsvp_id=rsvp_id), 303)


@bp.post("/rsvps/<int:rsvp_id>/move")
def move(rsvp_id: int) -> ResponseReturnValue:
    def do(rsvp: Rsvp) -> str:
        form = ChangeRsvpForm(rsvp.event)
        if not form.validate():
            raise rsvp_services.RsvpError(
                " ".join(error for errors in form.errors.values() for error in errors))
        rsvp_services.change_rsvp(rsvp, venue_id=form.venue_id, guests=form.guests.data,
                                  keep_updated=rsvp.keep_updated)
        return "Moved; the person has been emailed the change."
    return _act(rsvp_id, "rsvp.move", do)


@bp.post("/rsvps/<int:rsvp_id>/promote")
def promote(rsvp_id: int) -> ResponseReturnValue:
    def do(rsvp: Rsvp) -> str:
        rsvp_services.promote_now(rsvp)
        return "Promoted from the waitlist; the person has been emailed."
    return _act(rsvp_id, "rsvp.promote", do)


@bp.post("/rsvps/<int:rsvp_id>/cancel")
def cancel(rsvp_id: int) -> ResponseReturnValue:
    def do(rsvp: Rsvp) -> str:
        rsvp_services.cancel_rsvp(rsvp)
        return "Cancelled on the person's behalf; they have been emailed."
    return _act(rsvp_id, "rsvp.cancel", do)


@bp.post("/rsvps/<int:rsvp_id>/merge/<int:duplicate_id>")
def merge(rsvp_id: int, duplicate_id: int) -> ResponseReturnValue:
    def do(rsvp: Rsvp) -> str:
        rsvp_services.merge_duplicate(rsvp, _rsvp_or_404(duplicate_id))
        return "Merged: the duplicate is cancelled and the person told."
    return _act(rsvp_id, "rsvp.merge", do)
