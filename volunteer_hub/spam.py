"""Spam protection for public forms, without third-party captchas.

A honeypot field that people never see (bots fill it in), and a signed
timestamp of when the form was shown: a form sent back faster than a person
can type is refused with a plain message. Rate limits come on top.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField, ValidationError

SALT = "volunteer-hub-form-started"


@lru_cache(maxsize=2)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def started_stamp() -> str:
    """The signed "form shown at" second: the same for every form shown in
    that second, so it is signed once (busy pages show many forms a second)."""
    return _signed_second(current_app.config["SECRET_KEY"], int(time.time()))


@lru_cache(maxsize=2)
def _signed_second(secret_key: str, second: int) -> str:
    return _serializer_for(secret_key).dumps(second)


def shown_at(stamp: str) -> int:
    """The second a form was shown, from its signed stamp; raises
    ``BadSignature`` for a stamp this app did not sign."""
    return _shown_at(current_app.config["SECRET_KEY"], stamp)


#: distinct stamps whose check is remembered: every second of the last
#: several minutes of a surge, each stamp shared by all the forms shown in it
SHOWN_AT_KEPT = 1024


@lru_cache(maxsize=SHOWN_AT_KEPT)
def _shown_at(secret_key: str, stamp: str) -> int:
    # A stamp checks the same every time: the many forms sent back from one
    # second are checked once (a forged stamp raises, and is not kept).
    return _serializer_for(secret_key).loads(stamp)


class SpamGuardMixin:
    """Add to a FlaskForm (before FlaskForm in the bases). Render
    ``form.website`` inside an element with the ``honeypot`` class and
    ``form.started`` anywhere in the form."""

    website = StringField(lazy_gettext("Leave this field empty"),
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    #: hidden, so never labelled: a label left out is one WTForms
    #: translates for every form it builds
    started = HiddenField(label="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        if not self.started.data:
            self.started.data = started_stamp()

    def validate_website(self, field: StringField) -> None:
        if field.data:
            raise ValidationError(gettext("This form looks automated. If you are a person, "
                                          "please leave the last field empty and send it "
                                          "again."))

    def validate_started(self, field: HiddenField) -> None:
        try:
            shown = shown_at(field.data or "")
        except BadSignature:
            field.data = started_stamp()
            raise ValidationError(gettext("This form has expired. Please send it again.")) from None
        if time.time() - shown < current_app.config["FORM_MIN_SECONDS"]:
            field.data = started_stamp()
            raise ValidationError(gettext("That was very quick. Please check the form and "
                                          "send it again."))
