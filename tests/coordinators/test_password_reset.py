"""Resetting a forgotten password by an emailed link: the same answer for
every address, a link that works once and not for long, and the lock-out
by other people's guessing lifted."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, sign_in
from tests.helpers import text_of
from tests.test_html_validity import assert_valid_html, vnu  # noqa: F401 (fixture)
from volunteer_hub.coordinators import services
from volunteer_hub.coordinators.models import AuditEntry, Coordinator, PasswordResetLink
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db

NEW_PASSWORD = "a completely new passphrase"
LINK = re.compile(r"https://hub\.example\.org/console/password-reset/([A-Za-z0-9_-]+)")


def text(response) -> str:
    return response.get_data(as_text=True)


def forgot(client, email: str):
    return client.post("/console/forgot-password", data={"email": email})


def links(outbox) -> list[str]:
    """The reset links emailed so far, as paths, oldest first."""
    found = []
    for message in outbox():
        match = LINK.search(text_of(message))
        assert match, text_of(message)
        found.append(f"/console/password-reset/{match.group(1)}")
    return found


def reset(client, path: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    return client.post(path, data={"password": password, "repeat": repeat or password})


def request_at(app, email: str, when) -> bool:
    """Ask for a link as if at ``when``: time is passed in, never slept."""
    with app.app_context():
        queued = services.request_password_reset(email, now=when)
        db.session.commit()
        return queued


def test_the_login_page_offers_a_reset(client):
    page = text(client.get("/console/login"))
    assert 'href="/console/forgot-password">Forgot your password?</a>' in page
    form = client.get("/console/forgot-password")
    assert form.status_code == 200 and '<label for="email">Email</label>' in text(form)


def test_every_address_gets_the_same_answer_and_only_an_active_account_an_email(
    app, make_coordinator, outbox
):
    make_coordinator("nasrin@example.org")
    disabled = make_coordinator("gone@example.org", name="Gone")
    with app.app_context():
        services.set_disabled(db.session.get_one(Coordinator, disabled), True)
        db.session.commit()

    answers = []
    for email in ("Nasrin@Example.org", "nobody@example.org", "gone@example.org"):
        client = app.test_client()
        response = forgot(client, email)
        assert response.status_code == 303 and response.headers["Location"] == "/console/login"
        answers.append(text(client.get("/console/login")))
    assert answers[0] == answers[1] == answers[2]
    assert "Check your email. If the address belongs to an active account" in answers[0]

    [message] = outbox()
    assert message["To"].addresses[0].addr_spec == "nasrin@example.org"
    assert "Reset your Volunteer Hub password" in message["Subject"]
    assert "within the next 60 minutes" in " ".join(text_of(message).split())


def test_an_empty_address_is_told_not_a_500(client):
    response = forgot(client, "")
    assert response.status_code == 422
    assert "Please enter your email address." in text(response)


def test_the_link_sets_a_new_password_once(app, make_coordinator, outbox, fetch):
    make_coordinator("nasrin@example.org")
    forgot(app.test_client(), "nasrin@example.org")
    [path] = links(outbox)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 random bits
    [stored] = fetch(sa.select(PasswordResetLink))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the hash

    client = app.test_client()
    for _ in range(2):  # opening the link (or a mail scanner doing so) does not use it up
        page = client.get(path)
        assert page.status_code == 200 and "Choose a new password" in text(page)
        assert '<label for="password">New password</label>' in text(page)

    short = reset(client, path, "too short")
    assert short.status_code == 422 and "at least 12 characters" in text(short)
    differ = reset(client, path, NEW_PASSWORD, "something else entirely")
    assert differ.status_code == 422 and "The two passwords differ." in text(differ)

    done = reset(client, path)
    assert done.status_code == 303 and done.headers["Location"] == "/console/login"
    assert "Your password is changed" in text(client.get("/console/login"))
    assert client.get("/console/").status_code == 302  # not signed in by the link
    assert sign_in(app.test_client(), "nasrin@example.org", PASSWORD).status_code == 422
    assert sign_in(app.test_client(), "nasrin@example.org", NEW_PASSWORD).status_code == 303

    for used in (client.get(path), reset(client, path, "yet another long passphrase")):
        assert used.status_code == 404 and "This link no longer works" in text(used)
    assert sign_in(app.test_client(), "nasrin@example.org", NEW_PASSWORD).status_code == 303
    assert "coordinator.password_reset" in [
        entry.action for entry in fetch(sa.select(AuditEntry))]


def test_a_reset_signs_out_every_other_browser(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, "nasrin@example.org").status_code == 303
    assert elsewhere.get("/console/").status_code == 200
    forgot(app.test_client(), "nasrin@example.org")
    [path] = links(outbox)
    assert reset(app.test_client(), path).status_code == 303
    assert elsewhere.get("/console/").status_code == 302


def test_the_link_expires(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    long_ago = utcnow() - timedelta(minutes=61)
    assert request_at(app, "nasrin@example.org", long_ago)
    [path] = links(outbox)
    client = app.test_client()
    assert client.get(path).status_code == 404
    assert reset(client, path).status_code == 404
    with app.app_context():
        token = path.rsplit("/", 1)[1]
        assert services.find_reset_link(token, now=long_ago + timedelta(minutes=59))
        assert services.find_reset_link(token, now=long_ago + timedelta(minutes=60)) is None
    assert sign_in(app.test_client(), "nasrin@example.org", PASSWORD).status_code == 303


def test_a_newer_link_retires_the_older_one(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    assert request_at(app, "nasrin@example.org", utcnow() - timedelta(minutes=10))
    forgot(app.test_client(), "nasrin@example.org")
    older, newer = links(outbox)
    client = app.test_client()
    assert client.get(older).status_code == 404
    assert reset(client, older).status_code == 404
    assert reset(client, newer).status_code == 303


def test_at_most_one_email_per_address_every_few_minutes(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    now = utcnow()
    assert request_at(app, "nasrin@example.org", now)
    assert not request_at(app, "nasrin@example.org", now + timedelta(minutes=4))
    response = forgot(app.test_client(), "nasrin@example.org")  # same answer all the same
    assert response.status_code == 303
    assert len(outbox()) == 1
    assert request_at(app, "nasrin@example.org", now + timedelta(minutes=6))
    assert len(outbox()) == 2


def test_a_disabled_account_cannot_reset(app, coordinator, make_coordinator, outbox, fetch):
    account = make_coordinator("nasrin@example.org")
    forgot(app.test_client(), "nasrin@example.org")
    [path] = links(outbox)
    coordinator.post(f"/console/admin/accounts/{account}/disable")
    client = app.test_client()
    assert client.get(path).status_code == 404
    assert reset(client, path).status_code == 404
    coordinator.post(f"/console/admin/accounts/{account}/disable")  # enabled again
    assert sign_in(app.test_client(), "nasrin@example.org", PASSWORD).status_code == 303


def test_a_reset_lifts_the_throttle_others_caused(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    make_coordinator("babak@example.org", name="Babak")
    attacker = app.test_client()
    for email in ("nasrin@example.org", "babak@example.org"):
        for _ in range(5):
            sign_in(attacker, email, "guessing guessing")
    throttled = sign_in(app.test_client(), "nasrin@example.org")
    assert throttled.status_code == 429
    assert "try again, or reset your password." in text(throttled)

    forgot(app.test_client(), "nasrin@example.org")
    [path] = links(outbox)
    assert reset(app.test_client(), path).status_code == 303
    assert sign_in(app.test_client(), "nasrin@example.org", NEW_PASSWORD).status_code == 303
    assert sign_in(app.test_client(), "babak@example.org").status_code == 429  # only hers


def test_a_reset_keeps_two_factor_sign_in(app, make_coordinator, enrol, outbox):
    enrolled = enrol(make_coordinator("nasrin@example.org"))
    forgot(app.test_client(), "nasrin@example.org")
    [path] = links(outbox)
    assert reset(app.test_client(), path).status_code == 303
    client = app.test_client()
    response = sign_in(client, "nasrin@example.org", NEW_PASSWORD)
    assert response.headers["Location"] == "/console/login/code"  # the email alone is not enough
    assert client.get("/console/").status_code == 302
    assert client.post("/console/login/code", data={"code": enrolled.code()}).status_code == 303


def test_two_posts_of_one_link_set_one_password(app, make_coordinator, outbox):
    make_coordinator("nasrin@example.org")
    forgot(app.test_client(), "nasrin@example.org")
    token = links(outbox)[0].rsplit("/", 1)[1]
    with app.app_context():
        services.reset_password(token, NEW_PASSWORD)
        with pytest.raises(services.InvalidResetLink):
            services.reset_password(token, "another long passphrase")
        db.session.commit()
    assert sign_in(app.test_client(), "nasrin@example.org", NEW_PASSWORD).status_code == 303


def test_no_link_or_password_reaches_the_logs(app, make_coordinator, outbox, caplog):
    make_coordinator("nasrin@example.org")
    with caplog.at_level(logging.DEBUG):
        forgot(app.test_client(), "nasrin@example.org")
        [path] = links(outbox)
        reset(app.test_client(), path)
    token = path.rsplit("/", 1)[1]
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text


@pytest.mark.slow
def test_password_reset_pages_are_valid_html(vnu, app, client, make_coordinator,  # noqa: F811
                                             outbox, tmp_path):
    make_coordinator("nasrin@example.org")
    pages = {
        "login": text(client.get("/console/login")),
        "forgot": text(client.get("/console/forgot-password")),
        "forgot-error": text(forgot(client, "")),
        "login-throttled": "",
    }
    forgot(client, "nasrin@example.org")
    pages["login-sent"] = text(client.get("/console/login"))
    [path] = links(outbox)
    pages["reset"] = text(client.get(path))
    pages["reset-error"] = text(reset(client, path, "short"))
    for _ in range(5):
        sign_in(client, "nasrin@example.org", "guessing guessing")
    pages["login-throttled"] = text(sign_in(client, "nasrin@example.org"))
    reset(client, path)
    pages["expired"] = text(client.get(path))
    assert_valid_html(vnu, pages, tmp_path / "pages")
