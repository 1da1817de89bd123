"""The contact form, and the console's reply and note forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from volunteer_hub.contact.models import Topic
from volunteer_hub.forms import email_field, name_field, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin

BODY_LIMIT = 5000


class ContactForm(SpamGuardMixin, FlaskForm):
    name = name_field()
    email = email_field("Only so that we can answer you.")
    topic = RadioField("What is it about?",
                       validators=[InputRequired("Please choose what it is about.")])
    body = TextAreaField("Your message", filters=[strip], validators=[
        DataRequired("Please write your message."),
        Length(max=BODY_LIMIT, message=f"Please keep it under {BODY_LIMIT:,} characters.")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic.choices = [(topic.name, topic.value) for topic in Topic]


class ReplyForm(FlaskForm):
    subject = StringField("Subject", filters=[strip], validators=[
        DataRequired("Please write a subject."), Length(max=200), printable_text])
    body = TextAreaField("Reply", filters=[strip], validators=[
        DataRequired("Please write the reply."), Length(max=20_000)])


class NoteForm(FlaskForm):
    note = TextAreaField("Notes for coordinators (never sent)", filters=[strip],
                         validators=[Length(max=5000)])
