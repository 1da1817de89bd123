"""Public event pages: the list of upcoming events and one event."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, current_app, make_response, render_template
from flask.typing import ResponseReturnValue

from volunteer_hub.caching import FormKeys, page_cache
from volunteer_hub.comments.forms import CommentForm
from volunteer_hub.events import services
from volunteer_hub.events.pages import render_event
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps.forms import RsvpForm

bp = Blueprint("events", __name__)

#: Far beyond any real list; keeps absurd page numbers from overflowing the query.
MAX_PAGE = 10_000


@bp.get("/")
def index() -> ResponseReturnValue:
    page = requested_page(MAX_PAGE)
    events = services.upcoming_events(page, current_app.config["EVENTS_PER_PAGE"])
    return render_template("events/index.html", events=events)


@bp.get("/events/<slug>")
def detail(slug: str) -> ResponseReturnValue:
    response = make_response(page_cache().serve(("events.detail", slug), partial(_detail, slug)))
    # The form carries this visitor's keys: never serve it to another.
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail(slug: str, keys: FormKeys) -> str:
    event = services.get_public_event_or_404(slug)
    form, comment_form = RsvpForm(event), CommentForm(prefix="comment", formdata=None)
    keys.put_into(form, comment_form)
    html, _status = render_event(event, form, comment_form=comment_form)
    return html
