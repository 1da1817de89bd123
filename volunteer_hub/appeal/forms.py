"""The endorsement form, and the form behind an endorser's own link."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from volunteer_hub.forms import Form, email_field, printable_text, strip
from volunteer_hub.spam import SpamGuardMixin

SHOW_NAME_HINT = _l("With your city and affiliation, if you give them. Your email address is "
                    "never shown. Leave this unticked to be counted without your name.")


class EndorsementDetails(Form):
    """What an endorser can say about themselves, and change later."""

    name = StringField(
        _l("Name"),
        description=_l("Your name as you would like it to appear, if you choose to show it."),
        filters=[strip],
        validators=[DataRequired(_l("Please enter your name.")), Length(max=100), printable_text],
    )
    city = StringField(_l("City (optional)"), filters=[strip],
                       validators=[Optional(), Length(max=100), printable_text])
    affiliation = StringField(
        _l("Affiliation (optional)"),
        description=_l("For example an organisation, a union, a university or a profession."),
        filters=[strip],
        validators=[Optional(), Length(max=200), printable_text],
    )
    show_name = BooleanField(_l("Show my name publicly on this page"), description=SHOW_NAME_HINT)

    def details(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "city": self.city.data or "",
            "affiliation": self.affiliation.data or "",
            "show_name": bool(self.show_name.data),
        }


class EndorseForm(SpamGuardMixin, EndorsementDetails):
    """The public form under the appeal."""

    email = email_field(_l("We email you a link to confirm your endorsement. It is never "
                           "shown or shared."))

    def data_for_service(self) -> dict[str, Any]:
        return {**self.details(), "email": self.email.data}
