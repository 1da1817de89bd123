"""The comment form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from volunteer_hub.forms import printable_text, strip
from volunteer_hub.spam import SpamGuardMixin

COMMENT_LIMIT = 2000


class CommentForm(SpamGuardMixin, FlaskForm):
    name = StringField("Name", description="Shown with your comment once it is approved.",
                       filters=[strip], validators=[
                           DataRequired("Please give a name (a pseudonym is fine)."),
                           Length(max=100), printable_text])
    body = TextAreaField("Comment", filters=[strip], validators=[
        DataRequired("Please write a comment."),
        Length(max=COMMENT_LIMIT, message=f"Please keep it under {COMMENT_LIMIT:,} characters.")])
