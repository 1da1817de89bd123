"""The comment form."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from volunteer_hub.forms import Form, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin
from volunteer_hub.timefmt import format_number

COMMENT_LIMIT = 2000


def _too_long() -> str:
    return gettext("Please keep it under %(limit)s characters.",
                   limit=format_number(COMMENT_LIMIT))


class CommentForm(SpamGuardMixin, Form):
    name = StringField(_l("Name"), description=_l("Shown with your comment once it is approved."),
                       filters=[strip], validators=[
                           DataRequired(_l("Please give a name (a pseudonym is fine).")),
                           Length(max=100), printable_text])
    body = TextAreaField(_l("Comment"), filters=[strip], validators=[
        DataRequired(_l("Please write a comment.")),
        Length(max=COMMENT_LIMIT, message=LazyString(_too_long))])
