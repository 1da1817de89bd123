"""Console pages: the events at a glance, one event's RSVPs, offers of help."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.console import services
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import HelpOffer

bp = Blueprint("console", __name__, url_prefix="/console")
protect(bp)

OFFERS_PER_PAGE = 50


def event_or_404(event_id: int) -> Event:
    event = db.session.scalar(
        select(Event).where(Event.id == event_id).options(selectinload(Event.venues)))
    if event is None:
        abort(404)
    return event


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("console/home.html", overview=services.events_overview())


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> ResponseReturnValue:
    event = event_or_404(event_id)
    search = request.args.get("q", "").strip()[:100]
    place = request.args.get("place", "")[:20]
    status = request.args.get("status", "")[:20]
    return render_template(
        "console/event.html",
        event=event,
        counts=services.place_counts(event),
        rsvps=services.rsvp_list(event, search=search, place=place, status=status),
        duplicates=services.duplicate_emails(event),
        search=search,
        place=place,
        status=status,
    )


@bp.get("/offers")
def offers() -> ResponseReturnValue:
    page = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    offers = db.paginate(select(HelpOffer).order_by(HelpOffer.id.desc()), page=page,
                         per_page=OFFERS_PER_PAGE, error_out=False)
    return render_template("console/offers.html", offers=offers)
