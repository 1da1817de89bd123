"""Session cookies and CSRF tokens signed with kept serializers are the ones
Flask and Flask-WTF read and check."""

from __future__ import annotations

import secrets

import pytest
from flask import Response, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf, validate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import ValidationError

from volunteer_hub.signing import COMPRESS_FROM, CSRF_SALT, KeptSerializer, csrf_token


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


@pytest.mark.parametrize("data", [{"csrf_token": "ab" * 20},
                                  {"_flashes": [("rsvp", "created " * 100)]}],
                         ids=["small, left uncompressed", "large, compressed"])
def test_cookies_read_and_written_here_are_flasks_own(app, data):
    """What the kept serializer writes, Flask's stock serializer reads, and
    the other way round; a cookie changed on the way is refused."""
    ours = app.session_interface.get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    cookie = ours.dumps(data)
    assert cookie.startswith(".") == (len(str(data)) > COMPRESS_FROM)
    assert flasks.loads(cookie) == data
    assert ours.loads(flasks.dumps(data)) == data
    tampered = cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB")
    with pytest.raises(BadSignature):
        ours.loads(tampered)


def test_a_token_signed_with_an_old_key_is_checked_with_that_key(app):
    signer = KeptSerializer(["the-old-key-" + "x" * 20, "the-new-key-" + "y" * 20],
                            salt=CSRF_SALT)
    old = URLSafeTimedSerializer("the-old-key-" + "x" * 20, salt=CSRF_SALT).dumps("raw")
    new = signer.dumps("raw")
    assert signer.loads(old) == signer.loads(new) == "raw"
    assert URLSafeTimedSerializer("the-new-key-" + "y" * 20, salt=CSRF_SALT).loads(new) == "raw"
    with pytest.raises(BadSignature):
        KeptSerializer("the-new-key-" + "y" * 20, salt=CSRF_SALT).loads(old)


def _session(state: str) -> SecureCookieSession:
    session = SecureCookieSession({} if state in ("new", "untouched") else {"csrf_token": "a1"})
    if state in ("new", "permanent"):
        session["csrf_token"] = "b2"
    if state == "permanent":
        session.permanent = True
    if state == "emptied":
        session.clear()
    if state == "read":
        session.get("csrf_token")
    return session


@pytest.mark.parametrize("state", ["new", "permanent", "emptied", "read", "untouched"])
@pytest.mark.parametrize("vary", [None, "Accept-Language", "accept-language, cookie"])
def test_saving_a_session_sends_the_headers_flask_would(app, state, vary):
    def saved(interface: SecureCookieSessionInterface) -> Response:
        response = Response("page")
        if vary:
            response.headers["Vary"] = vary
        with app.test_request_context("/"):
            interface.save_session(app, _session(state), response)
        return response

    ours, flasks = saved(app.session_interface), saved(SecureCookieSessionInterface())
    assert [cookie.split(";", 1)[1] for cookie in ours.headers.getlist("Set-Cookie")] == [
        cookie.split(";", 1)[1] for cookie in flasks.headers.getlist("Set-Cookie")]
    assert {part.strip().lower() for part in ours.headers.get("Vary", "").split(",")} == {
        part.strip().lower() for part in flasks.headers.get("Vary", "").split(",")}
    for cookie in ours.headers.getlist("Set-Cookie"):
        value = cookie.split(";", 1)[0].split("=", 1)[1]
        if value:
            assert SecureCookieSessionInterface().get_signing_serializer(app).loads(value) == dict(
                _session(state))


def test_a_form_signs_its_token_only_when_it_is_shown(csrf_app):
    from flask import g

    from volunteer_hub.forms import Form

    class Example(Form):
        pass

    class OwnKey(Form):
        class Meta:
            csrf_secret = b"a key of this form's own"

    with csrf_app.test_request_context("/", method="POST"):
        form = Example()
        assert "csrf_token" not in g and "csrf_token" not in session  # a redirect needs none
        shown = form.csrf_token()
        assert g.csrf_token == csrf_token() and f'value="{g.csrf_token}"' in shown
        validate_csrf(g.csrf_token)
    with csrf_app.test_request_context("/"):
        token = str(OwnKey().csrf_token.current_token)
        validate_csrf(token, secret_key=b"a key of this form's own")
        with pytest.raises(ValidationError):
            validate_csrf(token)


@pytest.mark.parametrize("data", [
    {"csrf_token": "ab" * 20, "_fresh": False, "n": 3, "none": None, "fa": "سلام"},
    {"csrf_token": "ab" * 20, "_flashes": [("rsvp", "created")]},
    {"when": ("a", "tuple")},
], ids=["plain values", "flashes", "a tuple"])
def test_the_session_is_written_in_the_bytes_of_flasks_tagged_json(app, data):
    from flask.json.tag import TaggedJSONSerializer

    ours = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        assert ours.serializer.dumps(data) == TaggedJSONSerializer().dumps(data)
    assert ours.serializer.loads(ours.serializer.dumps(data)) == data


@pytest.mark.parametrize("settings", [
    {},
    {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_DOMAIN": "hub.example.org",
     "SESSION_COOKIE_SAMESITE": "Strict", "SESSION_COOKIE_PATH": "/app"},
], ids=["defaults", "secure, domain, path, strict"])
def test_the_session_cookie_is_the_one_werkzeug_writes(app, settings):
    app.config.update(settings)
    interface = app.session_interface
    with app.test_request_context("/"):
        stored = SecureCookieSession({"csrf_token": "ab" * 20})
        stored.modified = True
        ours, flasks = Response(), Response()
        interface.save_session(app, stored, ours)
        SecureCookieSessionInterface.save_session(interface, app, stored, flasks)
    assert ours.headers.getlist("Set-Cookie") == flasks.headers.getlist("Set-Cookie")
    assert "Cookie" in ours.headers["Vary"]


def test_a_session_cookie_too_large_is_left_to_werkzeug_which_warns(app):
    interface = app.session_interface
    with app.test_request_context("/"):
        stored = SecureCookieSession({"note": secrets.token_urlsafe(4000)})
        stored.modified = True
        response = Response()
        with pytest.warns(UserWarning, match="cookie is too large"):
            interface.save_session(app, stored, response)
