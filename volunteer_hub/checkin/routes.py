"""The door: a phone-friendly list to tick people off, and walk-ins.

Works as plain forms (each tap posts and the page comes back); with
JavaScript, static/js/checkin.js filters as you type and ticks without
reloading.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from volunteer_hub.console.services import ONLINE, place_counts
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.events.models import Event
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.forms import Form, email_address, printable_text, strip
from volunteer_hub.rsvps import services as rsvps
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

bp = Blueprint("checkin", __name__, url_prefix="/console")
protect(bp)


class WalkInForm(Form):
    name = StringField("Name", filters=[strip], validators=[
        DataRequired("Please enter a name."), Length(max=100), printable_text])
    guests = IntegerField("Guests", default=0, validators=[
        Optional(), NumberRange(0, 50, "Between 0 and 50 guests.")])
    email = EmailField("Email (optional)", filters=[strip], validators=[
        Optional(), Length(max=254), email_address])


def _place(event: Event) -> str:
    """The place the door serves: a venue id or "online"; the first by default."""
    place = request.values.get("place", "")
    valid = [str(venue.id) for venue in event.venues] + ([ONLINE] if event.online else [])
    if place in valid:
        return place
    if not valid:
        abort(404)
    return valid[0]


def _door_list(event: Event, place: str) -> list[Rsvp]:
    """The people going to the place, by name: those the retention policy
    anonymised are in the counts only."""
    query = select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING,
                               Rsvp.name != "")
    query = query.where(Rsvp.venue_id.is_(None) if place == ONLINE
                        else Rsvp.venue_id == int(place))
    return list(db.session.scalars(query.order_by(func.lower(Rsvp.name), Rsvp.id)))


def _render(event: Event, place: str, form: WalkInForm | None = None, status: int = 200
            ) -> ResponseReturnValue:
    search = request.args.get("q", "").strip()[:100]
    people = _door_list(event, place)
    shown = [p for p in people if search.casefold() in p.name.casefold()] if search else people
    return render_template(
        "checkin/door.html", event=event, place=place, people=shown, search=search,
        counts=(counts := place_counts(event)[int(place) if place != ONLINE else ONLINE]),
        anonymised=counts.going - len(people),
        form=form or WalkInForm(formdata=None), confirm=ConfirmForm(),
    ), status


@bp.get("/events/<int:event_id>/check-in")
def door(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    return _render(event, _place(event))


@bp.post("/events/<int:event_id>/check-in/<int:rsvp_id>")
def toggle(event_id: int, rsvp_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    rsvp = db.session.get(Rsvp, rsvp_id)
    if rsvp is None or rsvp.event_id != event.id or rsvp.status is not RsvpStatus.GOING:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    checked_in = request.form.get("checked_in") == "1"
    rsvps.set_checked_in(rsvp, checked_in)
    audit(current_user, "rsvp.check_in" if checked_in else "rsvp.check_in_undo",
          f"RSVP {rsvp.id} at {event.title}")
    db.session.commit()
    place = ONLINE if rsvp.venue_id is None else str(rsvp.venue_id)
    if request.accept_mimetypes.best == "application/json":
        counts = place_counts(event)[int(place) if place != ONLINE else ONLINE]
        return jsonify(checked_in=checked_in, checked_in_count=counts.checked_in,
                       going=counts.going)
    return redirect(url_for("checkin.door", event_id=event.id, place=place,
                            q=request.form.get("q") or None) + f"#rsvp-{rsvp.id}", 303)


@bp.post("/events/<int:event_id>/check-in/walk-in")
def walk_in(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    place = _place(event)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _render(event, place, form, 422)
    rsvp = rsvps.add_walk_in(event, name=form.name.data, guests=form.guests.data or 0,
                             venue_id=None if place == ONLINE else int(place),
                             email=form.email.data or "")
    audit(current_user, "rsvp.walk_in", f"RSVP {rsvp.id} at {event.title}")
    db.session.commit()
    flash(f"{rsvp.name} is in.", "success")
    return redirect(url_for("checkin.door", event_id=event.id, place=place), 303)
