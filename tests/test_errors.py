"""Friendly error pages instead of stack traces."""

from __future__ import annotations

import pytest


@pytest.fixture
def failing_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    return app


def test_500_page_is_friendly_and_reveals_nothing(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert "kaboom" not in html and "Traceback" not in html


def test_404_and_405_pages(client):
    not_found = client.get("/nowhere")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.get_data(as_text=True)
    wrong_method = client.delete("/")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"]


def test_oversized_request_is_a_friendly_413(client, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/rsvp", data={"name": "x" * 2_000_000})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


def test_session_cookies_are_secure_exactly_when_served_over_https(tmp_path):
    from volunteer_hub import create_app

    def secure(base_url):
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
                          "BASE_URL": base_url, "SESSION_COOKIE_SECURE": None},
                         instance_path=str(tmp_path))
        return app.config["SESSION_COOKIE_SECURE"], app.config["SESSION_COOKIE_HTTPONLY"], \
            app.config["SESSION_COOKIE_SAMESITE"]

    assert secure("https://hub.example.org") == (True, True, "Lax")
    assert secure("http://127.0.0.1:5000") == (False, True, "Lax")
