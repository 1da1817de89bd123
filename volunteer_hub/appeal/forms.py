"""The endorsement form, and the form behind an endorser's own link."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from volunteer_hub.forms import email_field, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin

SHOW_NAME_HINT = ("With your city and affiliation, if you give them. Your email address is "
                  "never shown. Leave this unticked to be counted without your name.")


class EndorsementDetails(FlaskForm):
    """What an endorser can say about themselves, and change later."""

    name = StringField(
        "Name",
        description="Your name as you would like it to appear, if you choose to show it.",
        filters=[strip],
        validators=[DataRequired("Please enter your name."), Length(max=100), printable_text],
    )
    city = StringField("City (optional)", filters=[strip],
                       validators=[Optional(), Length(max=100), printable_text])
    affiliation = StringField(
        "Affiliation (optional)",
        description="For example an organisation, a union, a university or a profession.",
        filters=[strip],
        validators=[Optional(), Length(max=200), printable_text],
    )
    show_name = BooleanField("Show my name publicly on this page", description=SHOW_NAME_HINT)

    def details(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "city": self.city.data or "",
            "affiliation": self.affiliation.data or "",
            "show_name": bool(self.show_name.data),
        }


class EndorseForm(SpamGuardMixin, EndorsementDetails):
    """The public form under the appeal."""

    email = email_field("We email you a link to confirm your endorsement. It is never shown "
                        "or shared.")

    def data_for_service(self) -> dict[str, Any]:
        return {**self.details(), "email": self.email.data}
