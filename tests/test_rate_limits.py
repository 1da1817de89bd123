"""Public forms and sign-in are rate limited per address, with a friendly
429 page; the counts can live in Redis for several servers."""

from __future__ import annotations

import os

import pytest

from tests.helpers import rsvp_form
from volunteer_hub import create_app
from volunteer_hub.extensions import db

REDIS_URL = os.environ.get("VOLUNTEER_HUB_TEST_REDIS_URL")


def limited_app(tmp_path, sqlite_template, **config):
    import shutil

    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "limits.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return create_app({"DATABASE_URL": f"sqlite:///{path}", "RATELIMIT_ENABLED": True,
                       "PUBLIC_POST_LIMIT": "3 per minute", "LOGIN_POST_LIMIT": "2 per minute",
                       **config}, instance_path=str(tmp_path))


def hammer(app):
    client = app.test_client()
    codes = [client.post("/find", data={"email": "someone@example.org"}).status_code
             for _ in range(4)]
    return codes, client


def test_a_public_form_answers_429_past_the_limit(tmp_path, sqlite_template):
    app = limited_app(tmp_path, sqlite_template)
    codes, client = hammer(app)
    assert codes == [303, 303, 303, 429]
    page = client.post("/find", data={"email": "someone@example.org"})
    assert "Too many requests from your connection" in page.get_data(as_text=True)
    assert client.get("/find").status_code == 200  # reading is not limited
    logins = [client.post("/console/login", data={"email": "x@example.org", "password": "y"})
              .status_code for _ in range(3)]
    assert logins[-1] == 429
    with app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(not REDIS_URL, reason="Redis tests need VOLUNTEER_HUB_TEST_REDIS_URL "
                                          "(.ci/run sets it)")
def test_counts_can_live_in_redis(tmp_path, sqlite_template):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first = limited_app(tmp_path / "a", sqlite_template, RATELIMIT_STORAGE_URL=REDIS_URL)
    second = limited_app(tmp_path / "b", sqlite_template, RATELIMIT_STORAGE_URL=REDIS_URL)
    client_a, client_b = first.test_client(), second.test_client()
    codes = [client.post("/find", data={"email": "someone@example.org"}).status_code
             for client in (client_a, client_b, client_a, client_b)]
    assert codes == [303, 303, 303, 429]  # two servers, one count
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def test_the_rsvp_form_is_limited_too(tmp_path, sqlite_template):
    app = limited_app(tmp_path, sqlite_template)
    client = app.test_client()
    codes = [client.post("/events/none/rsvp", data=rsvp_form("online")).status_code
             for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    with app.app_context():
        db.engine.dispose()


#: Console pages for people who are not signed in (yet).
SIGNED_OUT = {"coordinators.login", "coordinators.login_code", "coordinators.forgot_password",
              "coordinators.reset_with_link"}


def public_posts(app):
    """Every URL a visitor can post to, with sample arguments."""
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        if rule.rule.startswith("/console") and rule.endpoint not in SIGNED_OUT:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
        yield url


def test_every_public_post_is_limited(tmp_path, sqlite_template):
    app = limited_app(tmp_path, sqlite_template, LOGIN_POST_LIMIT="3 per minute")
    urls = list(public_posts(app))
    assert {"/events/x/rsvp", "/volunteer", "/find", "/appeal", "/contact",
            "/calendar/x/revoke", "/console/login", "/console/login/code",
            "/console/forgot-password", "/console/password-reset/x"} <= set(urls)
    for url in urls:
        client = app.test_client()  # a fresh cookie jar; the address is the same
        codes = [client.post(url, data={}).status_code for _ in range(4)]
        assert 429 not in codes[:3] and codes[3] == 429, (url, codes)
        assert "Too many requests" in client.post(url).get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
