"""The base of every form, and the field filters and validators that every
public form shares.

The base is Flask-WTF's form with WTForms' own messages ("Not a valid
choice.") translated from catalogues read once per language: Flask-WTF
reads the catalogue from disk again for each request that builds a form,
which under a surge of RSVPs was a tenth of each one's work.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from babel import support
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, StringField, ValidationError
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length

from volunteer_hub.i18n import current_language
from volunteer_hub.signing import csrf_settings, csrf_token

#: Characters that reorder text invisibly, a known way to disguise names.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width (non-)joiners: format characters that Persian spelling needs.
JOINERS = frozenset("\u200c\u200d")


@cache
def _catalogue(language: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class _WTFormsMessages:
    """WTForms' messages in the language of the page being served."""

    def gettext(self, string: str) -> str:
        return _catalogue(current_language()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalogue(current_language()).ungettext(singular, plural, n)


_MESSAGES = _WTFormsMessages()


class _TokenWhenShown(FlaskForm.Meta.csrf_class):  # type: ignore[misc, name-defined]
    """Flask-WTF's CSRF protection for forms, with each form's token signed
    only when the form is shown. A form sent right is answered with a
    redirect, which shows none; Flask-WTF signed one for it all the same.
    The token is this request's one (``signing.csrf_token``), made with the
    kept serializer, unless the form's Meta names a key or field of its own."""

    def generate_csrf_token(self, csrf_token_field: Any) -> Any:
        if (self.meta.csrf_secret, self.meta.csrf_field_name) == csrf_settings():
            return LazyString(csrf_token)
        return LazyString(super().generate_csrf_token, csrf_token_field)


class Form(FlaskForm):
    """What every form of the app derives from."""

    class Meta:
        csrf_class = _TokenWhenShown

        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _MESSAGES


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
