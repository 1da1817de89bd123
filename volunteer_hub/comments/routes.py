"""Leaving a comment on an event, and the moderation queue."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from volunteer_hub.comments import services
from volunteer_hub.comments.forms import CommentForm
from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.events.pages import render_event
from volunteer_hub.events.services import get_public_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.forms import ConfirmForm, RsvpForm

bp = Blueprint("comments", __name__)
console_bp = Blueprint("comments_console", __name__, url_prefix="/console")
protect(console_bp)


@bp.post("/events/<slug>/comments")
def submit(slug: str) -> ResponseReturnValue:
    event = get_public_event_or_404(slug)
    form = CommentForm(prefix="comment")
    if event.is_cancelled:
        flash(gettext("This event is cancelled, so it takes no more comments."), "error")
        return redirect(url_for("events.detail", slug=slug), 303)
    if not form.validate_on_submit():
        return render_event(event, RsvpForm(event, formdata=None), 422, comment_form=form)
    services.submit(event, name=form.name.data, body=form.body.data)
    db.session.commit()
    flash(gettext("Thank you. Your comment will appear once a coordinator has approved it."),
          "success")
    return redirect(url_for("events.detail", slug=slug) + "#comments", 303)


@console_bp.get("/comments")
def moderation() -> ResponseReturnValue:
    return render_template("comments/queue.html", comments=services.queue(), form=ConfirmForm())


@console_bp.post("/comments/<int:comment_id>")
def moderate(comment_id: int) -> ResponseReturnValue:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    state = CommentState.__members__.get(request.form.get("state", "").upper())
    if state is None or state is CommentState.PENDING or not ConfirmForm().validate_on_submit():
        abort(400)
    services.moderate(comment, state, current_user)
    audit(current_user, f"comment.{state.value}", f"comment {comment.id} on {comment.event.title}")
    db.session.commit()
    flash(f"Comment {state.value}.", "success")
    return redirect(url_for("comments_console.moderation"), 303)
