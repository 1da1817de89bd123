"""Behind nginx (VOLUNTEER_HUB_PROXY_COUNT=1) the app sees each client's own
address, for the rate limits, and knows the page came over HTTPS; without
the setting nobody can pose as another address with a header."""

from __future__ import annotations

from tests.test_rate_limits import limited_app
from volunteer_hub.extensions import db


def post_find(client, address: str) -> int:
    return client.post("/find", data={"email": "someone@example.org"},
                       headers={"X-Forwarded-For": address}).status_code


def test_behind_one_proxy_each_client_has_its_own_rate_limit(tmp_path, sqlite_template):
    app = limited_app(tmp_path, sqlite_template, PROXY_COUNT=1)
    client = app.test_client()
    assert [post_find(client, "192.0.2.1") for _ in range(3)] == [303, 303, 303]
    assert post_find(client, "192.0.2.1") == 429
    assert post_find(client, "198.51.100.7") == 303  # someone else behind the same proxy
    # nginx replaces what a client sent: only the last address counts
    assert post_find(client, "198.51.100.7, 192.0.2.1") == 429
    with app.app_context():
        db.engine.dispose()


def test_without_the_setting_a_forwarded_address_changes_nothing(tmp_path, sqlite_template):
    app = limited_app(tmp_path, sqlite_template)
    client = app.test_client()
    codes = [post_find(client, f"192.0.2.{n}") for n in range(4)]
    assert codes == [303, 303, 303, 429]  # one client, whatever it claims
    with app.app_context():
        db.engine.dispose()


def test_https_at_the_proxy_is_https_for_the_app(tmp_path, sqlite_template):
    behind = limited_app(tmp_path / "behind", sqlite_template, PROXY_COUNT=1)
    direct = limited_app(tmp_path / "direct", sqlite_template)
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"}
    assert "Strict-Transport-Security" in behind.test_client().get("/", headers=https).headers
    assert "Strict-Transport-Security" not in direct.test_client().get(
        "/", headers=https).headers
    for app in (behind, direct):
        with app.app_context():
            db.engine.dispose()
