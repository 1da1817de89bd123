"""Session cookies and CSRF tokens signed with kept serializers are the ones
Flask and Flask-WTF read and check."""

from __future__ import annotations

import pytest
from flask import session
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

from volunteer_hub.signing import csrf_token


def test_a_token_made_here_passes_flask_wtfs_check_and_is_the_requests_one(app):
    with app.test_request_context("/"):
        token = csrf_token()
        assert generate_csrf() == token == csrf_token()
        validate_csrf(token)
        raw = session["csrf_token"]
    with app.test_request_context("/"):
        session["csrf_token"] = raw  # the same visitor, a later request
        validate_csrf(token)
        session["csrf_token"] = "another visitor's"
        with pytest.raises(ValidationError):
            validate_csrf(token)


def test_the_session_cookie_survives_a_new_secret_key_only_as_a_fallback(app):
    client = app.test_client()
    with client.session_transaction() as stored:
        stored["language_seen"] = "fa"
    old_key = app.secret_key
    app.secret_key = "a-new-key-for-every-server-" + "x" * 20
    with client.session_transaction() as read:
        assert "language_seen" not in read  # signed with the old key: refused
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    with client.session_transaction() as read:
        assert read["language_seen"] == "fa"
