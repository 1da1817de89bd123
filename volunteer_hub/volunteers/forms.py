"""The sign-up form, the offer-of-help form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, Optional, Regexp

from volunteer_hub.forms import Form, email_field, name_field, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin
from volunteer_hub.tokens import new_nonce
from volunteer_hub.volunteers.models import Task


def _optional_text(label: str, limit: int, description: str = "") -> StringField:
    """An optional line of text; ``label`` and ``description`` are lazy translations."""
    return StringField(label, description=description, filters=[strip],
                       validators=[Optional(), Length(max=limit), printable_text])


def _languages() -> StringField:
    return _optional_text(_l("Languages (optional)"), 200,
                          _l("For example: English, Farsi, Spanish."))


def _skills() -> StringField:
    return _optional_text(_l("Skills (optional)"), 500,
                          _l("For example: translation, design, driving, first aid."))


class SignupForm(SpamGuardMixin, Form):
    tasks = SelectMultipleField(_l("Tasks"), coerce=int, validate_choice=False)
    name = name_field()
    email = email_field(
        _l("For your confirmation, calendar invites and the link to change your mind."))
    phone = StringField(
        _l("Phone (optional)"),
        description=_l("Only if you are happy for a coordinator to call or text you."),
        filters=[strip],
        validators=[Optional(), Length(max=40), Regexp(
            r"^[0-9+()\-. ]*$",
            message=_l("Please use digits only (spaces, +, - and brackets are fine)."))],
    )
    languages = _languages()
    skills = _skills()
    note = TextAreaField(_l("Note (optional)"), filters=[strip],
                         validators=[Optional(), Length(max=1000)])
    #: one-time key: the same form sent twice gives back the same sign-up
    submission_key = HiddenField(validators=[Regexp(r"^[A-Za-z0-9_-]{43}$",
                                                    message=_l("This form has expired."))])

    def __init__(self, tasks: list[Task], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tasks.choices = [(task.id, task.title) for task in tasks]
        if not self.is_submitted() or kwargs.get("formdata", True) is None:
            self.submission_key.data = new_nonce()

    def validate_tasks(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose at least one task."))
        open_ids = {task_id for task_id, _ in field.choices}
        if not set(field.data) <= open_ids:
            raise ValidationError(_l("One of the tasks you chose is no longer open. Nothing "
                                     "was saved; please choose again."))

    def data_for_service(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "email": self.email.data,
            "phone": self.phone.data or "",
            "languages": self.languages.data or "",
            "skills": self.skills.data or "",
            "note": self.note.data or "",
            "submission_key": self.submission_key.data,
        }


class HelpOfferForm(SpamGuardMixin, Form):
    name = name_field()
    email = email_field(
        _l("For your confirmation, calendar invites and the link to change your mind."))
    skills = _skills()
    languages = _languages()
    availability = _optional_text(_l("When you are available (optional)"), 500,
                                  _l("For example: weekday evenings, weekends."))
    note = TextAreaField(_l("Anything else (optional)"), filters=[strip],
                         validators=[Optional(), Length(max=1000)])

    def data_for_service(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in
                ("name", "email", "skills", "languages", "availability", "note")}
