"""Two-factor sign-in: enrolment with a QR code made on our own page, a code
after the password, codes that work once, recovery codes, and the rule that
admins must turn it on."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, sign_in
from tests.coordinators.conftest import csrf_token
from tests.coordinators.test_accounts import console_routes
from tests.test_html_validity import assert_valid_html, vnu  # noqa: F401 (fixture)
from volunteer_hub.coordinators import two_factor
from volunteer_hub.coordinators.auth import ENROLMENT_ENDPOINTS
from volunteer_hub.coordinators.models import AuditEntry, Coordinator, RecoveryCode
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True)


def account(fetch, email: str = "coordinator@example.org") -> Coordinator:
    [coordinator] = fetch(sa.select(Coordinator).where(Coordinator.email == email))
    return coordinator


def actions(fetch) -> list[tuple[str, str]]:
    return [(entry.action, entry.detail)
            for entry in fetch(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_enrolment_shows_a_qr_code_and_the_key_and_turns_on_with_a_current_code(
    coordinator, fetch
):
    page = coordinator.get("/console/two-factor")
    assert page.status_code == 200 and "Set up two-factor sign-in" in text(page)
    assert coordinator.post("/console/two-factor/start").status_code == 303

    setup = text(coordinator.get("/console/two-factor"))
    secret = account(fetch, "admin@example.org").totp_secret
    assert len(secret) == 32
    assert two_factor.spaced(secret) in setup  # for typing in by hand
    assert '<img src="data:image/svg+xml' in setup  # made here: no other host sees it
    assert "style=" not in setup and "<script" not in setup and "<style" not in setup
    assert account(fetch, "admin@example.org").totp_enabled_at is None  # not yet

    enrolled = pyotp.TOTP(secret)
    wrong = coordinator.post("/console/two-factor/confirm", data={"code": "12345"})
    assert wrong.status_code == 422 and "That code is not right" in text(wrong)
    assert account(fetch, "admin@example.org").totp_enabled_at is None

    done = coordinator.post("/console/two-factor/confirm", data={"code": enrolled.now()})
    assert done.status_code == 200
    shown = [line.strip()[len("<li><code>"):-len("</code></li>")]
             for line in text(done).splitlines() if line.strip().startswith("<li><code>")]
    assert len(shown) == 10 and len(set(shown)) == 10
    assert account(fetch, "admin@example.org").totp_enabled_at is not None

    stored = {code.code_hash for code in fetch(sa.select(RecoveryCode))}
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest()
                      for code in shown}  # only hashes are kept
    assert ("coordinator.2fa_on", "turned on two-factor sign-in") in actions(fetch)

    settings = text(coordinator.get("/console/two-factor"))
    assert "Two-factor sign-in is on" in settings and "10 unused recovery codes" in settings
    assert shown[0] not in settings  # shown once only


def test_a_code_from_long_ago_or_far_ahead_does_not_confirm_enrolment(app, make_coordinator):
    coordinator_id = make_coordinator()
    now = utcnow()
    with app.app_context():
        coordinator = db.session.get_one(Coordinator, coordinator_id)
        totp = pyotp.TOTP(two_factor.start_enrolment(coordinator))
        for off in (timedelta(minutes=-2), timedelta(minutes=2)):
            with pytest.raises(two_factor.TwoFactorError, match="not right"):
                two_factor.confirm_enrolment(coordinator, totp.at(now + off), now=now)
        # a phone clock 30 seconds off is fine
        assert len(two_factor.confirm_enrolment(
            coordinator, totp.at(now + timedelta(seconds=30)), now=now)) == 10
        with pytest.raises(two_factor.TwoFactorError, match="already on"):
            two_factor.start_enrolment(coordinator)


def test_sign_in_asks_for_the_code_and_the_console_stays_shut_until_then(
    app, make_coordinator, enrol, fetch
):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    response = sign_in(client, "coordinator@example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/console/login/code"

    for method, url in console_routes(app):
        refused = client.open(url, method=method)
        assert refused.status_code == 302, (method, url)
        assert refused.headers["Location"].startswith("/console/login")
    assert account(fetch).last_login_at is None

    page = client.get("/console/login/code")
    assert page.status_code == 200 and '<label for="code">Code</label>' in text(page)
    wrong = client.post("/console/login/code", data={"code": enrolled.wrong_code()})
    assert wrong.status_code == 422 and "That code is not right" in text(wrong)
    assert client.get("/console/").status_code == 302

    right = client.post("/console/login/code", data={"code": enrolled.code()})
    assert right.status_code == 303 and right.headers["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert account(fetch).last_login_at is not None
    assert ("coordinator.login", "with app") in actions(fetch)
    assert client.get("/console/login/code").status_code == 303  # nothing pending any more


def test_the_code_step_keeps_where_the_person_was_going(app, make_coordinator, enrol):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    client.post("/console/login?next=/console/offers",
                data={"email": "coordinator@example.org", "password": PASSWORD})
    response = client.post("/console/login/code", data={"code": enrolled.code()})
    assert response.headers["Location"] == "/console/offers"


def test_a_code_that_was_used_cannot_be_used_again(app, make_coordinator, enrol):
    enrolled = enrol(make_coordinator())
    code = enrolled.code()
    first, second = app.test_client(), app.test_client()
    sign_in(first, "coordinator@example.org")
    sign_in(second, "coordinator@example.org")
    assert first.post("/console/login/code", data={"code": code}).status_code == 303
    replayed = second.post("/console/login/code", data={"code": code})
    assert replayed.status_code == 422 and "has been used already" in text(replayed)
    assert second.get("/console/").status_code == 302


def test_each_time_step_is_accepted_once_and_only_after_the_last_one_used(
    app, make_coordinator, enrol
):
    enrolled = enrol(make_coordinator())
    now = utcnow()
    with app.app_context():
        coordinator = db.session.scalar(sa.select(Coordinator))
        assert two_factor.verify(coordinator, enrolled.code(now), now=now) == "app"
        assert two_factor.verify(coordinator, enrolled.code(now), now=now) is None
        earlier = enrolled.code(now - timedelta(seconds=30))
        assert two_factor.verify(coordinator, earlier, now=now) is None  # older than the last
        later = now + timedelta(seconds=30)
        assert two_factor.verify(coordinator, enrolled.code(later), now=later) == "app"
        assert two_factor.verify(coordinator, "12 34 56x", now=now) is None
        assert two_factor.verify(coordinator, "", now=now) is None


def test_a_recovery_code_signs_in_once(app, make_coordinator, enrol, fetch):
    enrolled = enrol(make_coordinator())
    code = enrolled.recovery_codes[3]
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    # typed in capitals with spaces instead of hyphens: still the same code
    typed = code.upper().replace("-", " ")
    response = client.post("/console/login/code", data={"code": typed}, follow_redirects=True)
    assert response.status_code == 200
    assert "You signed in with a recovery code: 9 left." in text(response)
    assert len(fetch(sa.select(RecoveryCode))) == 9
    assert ("coordinator.login", "with recovery code") in actions(fetch)

    again = app.test_client()
    sign_in(again, "coordinator@example.org")
    assert again.post("/console/login/code", data={"code": code}).status_code == 422
    assert again.get("/console/").status_code == 302


def test_the_code_step_runs_out_after_a_few_minutes(app, make_coordinator, enrol):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    with client.session_transaction() as session:
        state = session["pending_sign_in"]
    with app.app_context():
        later = utcnow() + timedelta(minutes=two_factor.PENDING_MINUTES, seconds=1)
        assert two_factor.pending_coordinator(state) is not None
        assert two_factor.pending_coordinator(state, now=later) is None
        assert two_factor.pending_coordinator({"until": "soon"}) is None
    with client.session_transaction() as session:
        session["pending_sign_in"] = {**state, "until": utcnow().timestamp() - 1}
    late = client.post("/console/login/code", data={"code": enrolled.code()},
                       follow_redirects=True)
    assert "the time to enter a code has run out" in text(late)
    assert client.get("/console/").status_code == 302


def test_a_password_change_in_between_ends_the_code_step(app, make_coordinator, enrol):
    coordinator_id = make_coordinator()
    enrolled = enrol(coordinator_id)
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    with app.app_context():
        from volunteer_hub.coordinators.services import set_password

        set_password(db.session.get_one(Coordinator, coordinator_id), "a brand new passphrase")
        db.session.commit()
    response = client.post("/console/login/code", data={"code": enrolled.code()})
    assert response.status_code == 303 and response.headers["Location"] == "/console/login"
    assert client.get("/console/").status_code == 302


def test_wrong_codes_are_throttled_like_wrong_passwords(app, make_coordinator, enrol):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    codes = [client.post("/console/login/code", data={"code": enrolled.wrong_code()})
             .status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]
    throttled = client.post("/console/login/code", data={"code": enrolled.code()})
    assert throttled.status_code == 429  # even the right code
    assert "or reset your password" in text(throttled)
    assert sign_in(app.test_client(), "coordinator@example.org").status_code == 429


def test_an_empty_or_overlong_code_is_told_not_a_500(app, make_coordinator, enrol):
    enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    empty = client.post("/console/login/code", data={"code": ""})
    assert empty.status_code == 422 and "Please enter the code." in text(empty)
    long = client.post("/console/login/code", data={"code": "9" * 65})
    assert long.status_code == 422 and "That code is too long." in text(long)


def test_admins_must_enrol_when_two_factor_is_required(app, make_coordinator, fetch):
    app.config["REQUIRE_2FA"] = True
    make_coordinator("admin@example.org", name="Admin", admin=True)
    make_coordinator("plain@example.org")
    plain = app.test_client()
    assert sign_in(plain, "plain@example.org").headers["Location"] == "/console/"
    assert plain.get("/console/").status_code == 200  # the rule is for admins

    admin = app.test_client()
    response = sign_in(admin, "admin@example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/console/two-factor"
    for method, url in console_routes(app):
        endpoint = app.url_map.bind("localhost").match(url, method=method)[0]
        if endpoint in ENROLMENT_ENDPOINTS:
            continue
        refused = admin.open(url, method=method)
        assert refused.status_code == 303, (method, url)
        assert refused.headers["Location"] == "/console/two-factor", (method, url)
    page = admin.get("/console/two-factor")
    assert page.status_code == 200
    assert "The campaign requires two-factor sign-in for admins" in text(page)

    admin.post("/console/two-factor/start")
    secret = account(fetch, "admin@example.org").totp_secret
    codes = admin.post("/console/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert codes.status_code == 200 and "Your recovery codes" in text(codes)
    assert admin.get("/console/").status_code == 200
    assert admin.get("/console/admin/accounts").status_code == 200


def test_turning_two_factor_off_needs_the_password_and_a_code(
    app, make_coordinator, enrol, fetch
):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    client.post("/console/login/code", data={"code": enrolled.recovery_codes[0]})

    def turn_off(password: str, code: str):
        return client.post("/console/two-factor/off",
                           data={"disable-password": password, "disable-code": code})

    wrong_password = turn_off("not my password", enrolled.code())
    assert wrong_password.status_code == 422
    assert "That is not your password." in text(wrong_password)
    wrong_code = turn_off(PASSWORD, enrolled.wrong_code())
    assert wrong_code.status_code == 422 and "That code is not right" in text(wrong_code)
    assert account(fetch).totp_enabled_at is not None

    done = turn_off(PASSWORD, enrolled.code())
    assert done.status_code == 303
    assert "Two-factor sign-in is off" in text(client.get("/console/two-factor"))
    off = account(fetch)
    assert off.totp_enabled_at is None and off.totp_secret is None
    assert fetch(sa.select(RecoveryCode)) == []
    assert ("coordinator.2fa_off", "turned off two-factor sign-in") in actions(fetch)
    assert sign_in(app.test_client(), "coordinator@example.org").headers["Location"] == \
        "/console/"


def test_new_recovery_codes_replace_the_old_ones(app, make_coordinator, enrol, fetch):
    enrolled = enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    client.post("/console/login/code", data={"code": enrolled.recovery_codes[0]})
    missing = client.post("/console/two-factor/recovery-codes", data={})
    assert missing.status_code == 422 and "Please enter your password." in text(missing)

    response = client.post("/console/two-factor/recovery-codes", data={
        "regenerate-password": PASSWORD, "regenerate-code": enrolled.recovery_codes[1]})
    assert response.status_code == 200 and "Your recovery codes" in text(response)
    assert enrolled.recovery_codes[2] not in text(response)
    assert len(fetch(sa.select(RecoveryCode))) == 10
    with app.app_context():
        coordinator = db.session.scalar(sa.select(Coordinator))
        assert two_factor.verify(coordinator, enrolled.recovery_codes[2]) is None


def test_an_admin_can_turn_off_two_factor_for_someone_who_lost_their_phone(
    app, coordinator, make_coordinator, enrol, fetch
):
    colleague = make_coordinator("lost@example.org", name="Lost")
    enrol(colleague)
    page = text(coordinator.get("/console/admin/accounts"))
    assert "Turn off two-factor" in page
    path = f"/console/admin/accounts/{colleague}/two-factor-off"
    assert "Your password" in text(coordinator.get(path))
    # an open admin session alone is not enough: the admin's own password is asked
    assert coordinator.post(path).status_code == 422
    wrong = coordinator.post(path, data={"password": "not the password"})
    assert wrong.status_code == 422 and "That is not your password." in text(wrong)
    assert account(fetch, "lost@example.org").totp_enabled_at is not None
    response = coordinator.post(path, data={"password": PASSWORD})
    assert response.status_code == 303
    assert account(fetch, "lost@example.org").totp_enabled_at is None
    assert ("account.2fa_off", "turned off Lost's two-factor sign-in") in actions(fetch)
    assert sign_in(app.test_client(), "lost@example.org").headers["Location"] == "/console/"


def test_with_csrf_on_every_two_factor_form_works(csrf_app, fetch):
    with csrf_app.app_context():
        from volunteer_hub.coordinators.services import create_coordinator

        create_coordinator("admin@example.org", "Admin", PASSWORD, admin=True)
        db.session.commit()
    client = csrf_app.test_client()
    login = text(client.get("/console/login"))
    assert client.post("/console/login", data={
        "email": "admin@example.org", "password": PASSWORD, "csrf_token": csrf_token(login),
    }).status_code == 303
    page = text(client.get("/console/two-factor"))
    assert client.post("/console/two-factor/start", data={}).status_code == 400
    assert client.post("/console/two-factor/start",
                       data={"csrf_token": csrf_token(page)}).status_code == 303
    page = text(client.get("/console/two-factor"))
    with csrf_app.app_context():
        totp = pyotp.TOTP(db.session.scalar(sa.select(Coordinator.totp_secret)))
    assert client.post("/console/two-factor/confirm", data={
        "code": totp.now(), "csrf_token": csrf_token(page)}).status_code == 200

    settings = text(client.get("/console/two-factor"))
    later = utcnow() + timedelta(seconds=30)
    fresh = client.post("/console/two-factor/recovery-codes", data={
        "regenerate-password": PASSWORD, "regenerate-code": totp.at(later),
        "regenerate-csrf_token": csrf_token(settings, "regenerate-csrf_token"),
    })
    assert fresh.status_code == 200
    recovery = re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>", text(fresh))
    assert len(recovery) == 10

    settings = text(client.get("/console/two-factor"))
    off = {"disable-password": PASSWORD, "disable-code": recovery[0]}
    assert client.post("/console/two-factor/off", data=off).status_code == 400  # no token
    off["disable-csrf_token"] = csrf_token(settings, "disable-csrf_token")
    assert client.post("/console/two-factor/off", data=off).status_code == 303
    assert fetch(sa.select(Coordinator))[0].totp_enabled_at is None


@pytest.mark.slow
def test_two_factor_pages_are_valid_html(vnu, app, coordinator, make_coordinator,  # noqa: F811
                                         enrol, tmp_path):
    pages = {"setup-start": text(coordinator.get("/console/two-factor"))}
    coordinator.post("/console/two-factor/start")
    pages["setup"] = text(coordinator.get("/console/two-factor"))
    pages["setup-error"] = text(coordinator.post("/console/two-factor/confirm",
                                                 data={"code": "x"}))
    with app.app_context():
        secret = db.session.scalar(sa.select(Coordinator.totp_secret))
    pages["recovery-codes"] = text(coordinator.post(
        "/console/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()}))
    pages["settings"] = text(coordinator.get("/console/two-factor"))
    pages["settings-errors"] = text(coordinator.post("/console/two-factor/off", data={}))
    pages["accounts"] = text(coordinator.get("/console/admin/accounts"))

    enrolled = enrol(make_coordinator())
    client = app.test_client()
    sign_in(client, "coordinator@example.org")
    pages["code"] = text(client.get("/console/login/code"))
    pages["code-error"] = text(client.post("/console/login/code",
                                           data={"code": enrolled.wrong_code()}))
    assert_valid_html(vnu, pages, tmp_path / "pages")
