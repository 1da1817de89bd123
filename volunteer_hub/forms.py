"""Field filters and validators that every public form shares."""

from __future__ import annotations

import unicodedata
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext, lazy_gettext
from wtforms import EmailField, Field, StringField, ValidationError
from wtforms.validators import DataRequired, Length

#: Characters that reorder text invisibly, a known way to disguise names.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width (non-)joiners: format characters that Persian spelling needs.
JOINERS = frozenset("\u200c\u200d")


def strip(value: Any) -> Any:
    """Surrounding whitespace removed, inner runs of whitespace kept."""
    return value.strip() if isinstance(value, str) else value


def printable_text(form: Any, field: Field) -> None:
    """Refuse control, line-separator and invisible formatting characters
    (which could forge lines in emails and lists or disguise a name), and
    text with nothing visible in it."""
    text = field.data or ""
    for char in text:
        category = unicodedata.category(char)
        if char in BIDI_CONTROLS or category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or (
            category == "Cf" and char not in JOINERS
        ):
            raise ValidationError(gettext("Please use letters, digits and punctuation only."))
    if text and not any(unicodedata.category(char)[0] in "LNPS" for char in text):
        raise ValidationError(gettext("Please use letters, digits and punctuation only."))


def email_address(form: Any, field: Field) -> None:
    """A deliverable-looking address, stored in the ASCII form every mail
    server accepts (an international domain becomes its punycode)."""
    try:
        result = validate_email(field.data or "", check_deliverability=False,
                                allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValidationError(gettext("Please enter a valid email address.")) from error
    field.data = result.ascii_email or result.normalized


def name_field(description: str | None = None) -> StringField:
    """What a person wants to be called, on every public form."""
    return StringField(lazy_gettext("Name"), filters=[strip], description=(
        lazy_gettext("A first name or a pseudonym is fine.") if description is None
        else description), validators=[
        DataRequired(lazy_gettext("Please tell us what to call you.")), Length(max=100),
        printable_text])


def email_field(description: str) -> EmailField:
    """A person's email address, on every public form; ``description`` says
    what we use it for (pass it through ``lazy_gettext``)."""
    return EmailField(lazy_gettext("Email"), description=description, filters=[strip],
                      validators=[DataRequired(lazy_gettext("Please enter your email address.")),
                                  Length(max=254), email_address])
