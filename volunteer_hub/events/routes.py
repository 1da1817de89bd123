"""Public event pages: the list of upcoming events and one event."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from volunteer_hub.events import services
from volunteer_hub.events.pages import render_event
from volunteer_hub.rsvps.forms import RsvpForm

bp = Blueprint("events", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    page = request.args.get("page", 1, type=int)
    events = services.upcoming_events(max(page, 1), current_app.config["EVENTS_PER_PAGE"])
    return render_template("events/index.html", events=events)


@bp.get("/events/<slug>")
def detail(slug: str) -> ResponseReturnValue:
    event = services.get_public_event_or_404(slug)
    return render_event(event, RsvpForm(event))
