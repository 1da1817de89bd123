"""Writing to a segment: compose, preview with the number of recipients,
send, then watch delivery until the last message is out."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from volunteer_hub.broadcasts import services
from volunteer_hub.broadcasts.models import Broadcast
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.forms import Form, printable_text, strip

bp = Blueprint("broadcasts", __name__, url_prefix="/console")
protect(bp)


class BroadcastForm(Form):
    segment = SelectField("Send to")
    subject = StringField("Subject", filters=[strip], validators=[
        DataRequired("Please write a subject."), Length(max=200), printable_text])
    body = TextAreaField("Message", filters=[strip],
                         description="Plain text. Each person's copy ends with their own "
                                     "link to change or cancel.",
                         validators=[DataRequired("Please write the message."),
                                     Length(max=20_000)])


@bp.route("/events/<int:event_id>/message", methods=["GET", "POST"])
def compose(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    form = BroadcastForm()
    form.segment.choices = services.segments(event)
    if request.method == "GET" or not form.validate_on_submit():
        sent = db.session.scalars(select(Broadcast).where(Broadcast.event_id == event.id)
                                  .order_by(Broadcast.id.desc())).all()
        return render_template("broadcasts/compose.html", event=event, form=form,
                               sent=sent), 422 if form.errors else 200
    people = services.recipients(event, form.segment.data)
    label = dict(form.segment.choices)[form.segment.data]
    if request.form.get("confirmed") != "1":
        return render_template("broadcasts/preview.html", event=event, form=form,
                               people=people, label=label)
    broadcast = services.send(event, form.segment.data, label, form.subject.data,
                              form.body.data, current_user)
    audit(current_user, "broadcast.send",
          f"“{broadcast.subject}” to {label} ({broadcast.recipients}) at {event.title}")
    db.session.commit()
    return redirect(url_for("broadcasts.progress", broadcast_id=broadcast.id), 303)


@bp.get("/broadcasts/<int:broadcast_id>")
def progress(broadcast_id: int) -> ResponseReturnValue:
    broadcast = db.session.get(Broadcast, broadcast_id)
    if broadcast is None:
        abort(404)
    return render_template("broadcasts/progress.html", broadcast=broadcast,
                           event=get_event_or_404(broadcast.event_id),
                           counts=services.progress(broadcast))
