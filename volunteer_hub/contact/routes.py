"""The contact form, and the coordinators' inbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from volunteer_hub.contact import services
from volunteer_hub.contact.forms import ContactForm, NoteForm, ReplyForm
from volunteer_hub.contact.models import ContactMessage, MessageState, Topic
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.extensions import db
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps.forms import ConfirmForm

bp = Blueprint("contact", __name__)
console_bp = Blueprint("contact_console", __name__, url_prefix="/console")
protect(console_bp)

PER_PAGE = 30


@bp.route("/contact", methods=["GET", "POST"])
def contact() -> ResponseReturnValue:
    form = ContactForm()
    if not form.validate_on_submit():
        return render_template("contact/form.html", form=form), 422 if form.errors else 200
    services.receive(name=form.name.data, email=form.email.data,
                     topic=Topic[form.topic.data], body=form.body.data)
    db.session.commit()
    return redirect(url_for("contact.thanks"), 303)


@bp.get("/contact/thanks")
def thanks() -> ResponseReturnValue:
    return render_template("contact/thanks.html")


@console_bp.get("/inbox")
def inbox() -> ResponseReturnValue:
    state = request.args.get("state", "new")
    wanted = MessageState.__members__.get(state.upper())
    page = requested_page()
    messages = db.paginate(services.inbox_query(wanted), page=page, per_page=PER_PAGE,
                           error_out=False)
    return render_template("contact/inbox.html", messages=messages, state=state)


def _message_or_404(message_id: int) -> ContactMessage:
    message = db.session.get(ContactMessage, message_id)
    if message is None:
        abort(404)
    return message


def _render_message(message: ContactMessage, reply_form: ReplyForm | None = None,
                    status: int = 200) -> ResponseReturnValue:
    if reply_form is None:
        reply_form = ReplyForm(formdata=None)
        reply_form.subject.data = f"Re: {message.topic.value}"
    note_form = NoteForm(formdata=None)
    note_form.note.data = message.note
    return render_template("contact/message.html", message=message, reply_form=reply_form,
                           note_form=note_form, confirm=ConfirmForm()), status


@console_bp.get("/inbox/<int:message_id>")
def message(message_id: int) -> ResponseReturnValue:
    return _render_message(_message_or_404(message_id))


@console_bp.post("/inbox/<int:message_id>/reply")
def reply(message_id: int) -> ResponseReturnValue:
    message = _message_or_404(message_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_message(message, form, 422)
    services.reply(message, current_user, form.subject.data, form.body.data)
    audit(current_user, "contact.reply", f"message {message.id}")
    db.session.commit()
    flash("Your reply is on its way, and the message is marked handled.", "success")
    return redirect(url_for("contact_console.message", message_id=message.id), 303)


@console_bp.post("/inbox/<int:message_id>/note")
def note(message_id: int) -> ResponseReturnValue:
    message = _message_or_404(message_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    message.note = form.note.data or ""
    audit(current_user, "contact.note", f"message {message.id}")
    db.session.commit()
    flash("Notes saved.", "success")
    return redirect(url_for("contact_console.message", message_id=message.id), 303)


@console_bp.post("/inbox/<int:message_id>/handled")
def handled(message_id: int) -> ResponseReturnValue:
    message = _message_or_404(message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    done = request.form.get("handled") == "1"
    services.set_handled(message, done)
    audit(current_user, "contact.handled" if done else "contact.reopened", f"message {message.id}")
    db.session.commit()
    return redirect(url_for("contact_console.inbox"), 303)
