"""The contact form, and the console's reply and note forms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from volunteer_hub.contact.models import Topic
from volunteer_hub.forms import Form, email_field, name_field, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin
from volunteer_hub.timefmt import format_number

BODY_LIMIT = 5000
#: What the form calls each topic, in the page's language; the stored value
#: (and the console) keeps the English of the enum.
TOPIC_LABELS = {
    Topic.IDEA: _l("An idea"),
    Topic.COMMENT: _l("A comment"),
    Topic.QUESTION: _l("A question"),
    Topic.ORGANISE: _l("I want to help organise"),
}


def _too_long() -> str:
    return gettext("Please keep it under %(limit)s characters.",
                   limit=format_number(BODY_LIMIT))


class ContactForm(SpamGuardMixin, Form):
    name = name_field()
    email = email_field(_l("Only so that we can answer you."))
    topic = RadioField(_l("What is it about?"),
                       validators=[InputRequired(_l("Please choose what it is about."))])
    body = TextAreaField(_l("Your message"), filters=[strip], validators=[
        DataRequired(_l("Please write your message.")),
        Length(max=BODY_LIMIT, message=LazyString(_too_long))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic.choices = [(topic.name, TOPIC_LABELS[topic]) for topic in Topic]


class ReplyForm(Form):
    subject = StringField("Subject", filters=[strip], validators=[
        DataRequired("Please write a subject."), Length(max=200), printable_text])
    body = TextAreaField("Reply", filters=[strip], validators=[
        DataRequired("Please write the reply."), Length(max=20_000)])


class NoteForm(Form):
    note = TextAreaField("Notes for coordinators (never sent)", filters=[strip],
                         validators=[Length(max=5000)])
