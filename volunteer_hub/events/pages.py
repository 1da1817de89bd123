"""The public event page, rendered by the event route and again by the RSVP
route when a form needs correcting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from volunteer_hub.comments.forms import CommentForm
from volunteer_hub.comments.services import approved
from volunteer_hub.events.services import accepts_rsvps
from volunteer_hub.events.translations import localized
from volunteer_hub.invites.entries import add_links_by_place
from volunteer_hub.markup import markdown_to_text
from volunteer_hub.rsvps.services import places_left_by_venue
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers.services import count_open_tasks

if TYPE_CHECKING:
    from volunteer_hub.events.models import Event
    from volunteer_hub.rsvps.forms import RsvpForm


def render_event(
    event: Event, form: RsvpForm, status: int = 200, error: str | None = None,
    comment_form: FlaskForm | None = None,
) -> ResponseReturnValue:
    """The event page with the RSVP and comment forms as they stand."""
    return (
        render_template(
            "events/detail.html",
            event=event,
            form=form,
            places_left=places_left_by_venue(event),
            add_links=add_links_by_place(event),
            open_tasks=count_open_tasks(event),
            comments=approved(event),
            page_url=absolute_url("events.detail", slug=event.slug),
            summary=markdown_to_text(localized(event).description)[:200],
            image_url=absolute_url("static", filename="img/appeal-share.png"),
            comment_form=comment_form or CommentForm(prefix="comment", formdata=None),
            accepts_rsvps=accepts_rsvps(event),
            error=error,
        ),
        status,
    )
