"""The spam guard: honeypot and minimum fill time, with plain messages."""

from __future__ import annotations

import time

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from volunteer_hub import create_app
from volunteer_hub.spam import SpamGuardMixin, started_stamp


class GuardedForm(SpamGuardMixin, FlaskForm):
    pass


@pytest.fixture
def spam_app(tmp_path):
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                       "FORM_MIN_SECONDS": 3}, instance_path=str(tmp_path))


def check(app, **data):
    with app.test_request_context(method="POST", data=data):
        form = GuardedForm(formdata=MultiDict(data))
        return form.validate(), form.errors


def test_a_person_who_took_their_time_passes(spam_app, monkeypatch):
    with spam_app.test_request_context():
        stamp = started_stamp()
    later = time.time() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    ok, errors = check(spam_app, started=stamp, website="")
    assert ok, errors


def test_bots_are_told_plainly(spam_app):
    with spam_app.test_request_context():
        stamp = started_stamp()
    too_fast = check(spam_app, started=stamp, website="")[1]
    assert "That was very quick" in too_fast["started"][0]
    honeypot = check(spam_app, started="forged", website="http://spam.example")[1]
    assert "leave the last field empty" in honeypot["website"][0]
    assert "This form has expired" in honeypot["started"][0]


def test_a_stamp_is_checked_against_the_key_that_signed_it(spam_app, tmp_path):
    # The check of each stamp is remembered: per key, so that a stamp of
    # another app (another secret key) never passes here on the strength of
    # having passed there.
    other = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'y.sqlite3'}",
                        "SECRET_KEY": "another key", "FORM_MIN_SECONDS": 0},
                       instance_path=str(tmp_path))
    with other.test_request_context():
        stamp = started_stamp()
    assert check(other, started=stamp, website="")[0]
    spam_app.config["FORM_MIN_SECONDS"] = 0
    errors = check(spam_app, started=stamp, website="")[1]
    assert "This form has expired" in errors["started"][0]
    assert check(spam_app, started=stamp + "x", website="")[1]["started"]
