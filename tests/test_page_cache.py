"""The event page drawn once and shared, with each visitor's form keys made
afresh; and conditional answers (ETag, 304) for public pages alike for all."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask, abort
from flask.testing import FlaskClient
from werkzeug.exceptions import NotFound

from tests.helpers import counting_queries, rsvp_form
from volunteer_hub.caching import PageCache
from volunteer_hub.rsvps.models import Rsvp


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    """The app with CSRF on, as in production, and a page cache of 60
    seconds on a clock the test moves."""
    clock = Clock()
    app.config["WTF_CSRF_ENABLED"] = True
    app.extensions["page_cache"] = PageCache(60, clock=clock)
    return clock


def keys_of(html: str) -> dict[str, list[str]]:
    return {name: re.findall(rf'name="{name}"[^>]*value="([^"]*)"', html)
            for name in ("csrf_token", "submission_key", "started", "comment-csrf_token",
                         "comment-started")}


def test_visitors_share_one_drawing_and_each_gets_keys_of_their_own(
        app, clock, make_event, fetch):
    event = make_event()
    first, second = app.test_client(), app.test_client()
    page = first.get(f"/events/{event.slug}")
    with counting_queries(app) as statements:
        again = second.get(f"/events/{event.slug}")
    assert statements == []  # nothing asked of the database: the kept drawing
    mine, theirs = keys_of(page.get_data(as_text=True)), keys_of(again.get_data(as_text=True))
    # The RSVP and the comment form carry this visitor's token and stamp.
    assert theirs["csrf_token"] == theirs["comment-csrf_token"]
    assert theirs["started"] == theirs["comment-started"]
    for name in ("csrf_token", "submission_key"):
        assert mine[name][0] != theirs[name][0]
    assert again.headers["Cache-Control"] == "no-store"
    # Apart from the keys, both saw the same page.
    strip = re.compile(r'value="[A-Za-z0-9_.-]{20,}"')
    assert strip.sub("", page.get_data(as_text=True)) == strip.sub("", again.get_data(as_text=True))

    for client, keys, email in ((first, mine, "a@example.org"), (second, theirs, "b@example.org")):
        response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
            event.venues[0], email=email, csrf_token=keys["csrf_token"][0],
            submission_key=keys["submission_key"][0], started=keys["started"][0]))
        assert response.status_code == 303, response.get_data(as_text=True)
    assert len(fetch(sa.select(Rsvp.id))) == 2


def test_the_page_shows_a_change_once_its_seconds_are_over(app, clock, make_event):
    event = make_event(venues=[{"name": "Hall", "capacity": 10}])
    client, person = app.test_client(), app.test_client()
    assert "10 places left" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    keys = keys_of(person.get(f"/events/{event.slug}").get_data(as_text=True))
    assert person.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        event.venues[0], guests="2", csrf_token=keys["csrf_token"][0],
        submission_key=keys["submission_key"][0], started=keys["started"][0]),
        follow_redirects=True).status_code == 200

    clock.now += 59
    assert "10 places left" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    clock.now += 1
    assert "7 places left" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_one_request_draws_a_page_anew_while_the_others_serve_the_kept_one(app, clock):
    cache, drawn = app.extensions["page_cache"], []

    def draw(text: str):
        def render(keys) -> str:
            drawn.append(text)
            if text == "second":  # meanwhile, another visitor asks for the page
                assert "first" in cache.serve("page", draw("third"))
            return f"<p>{text}</p>"
        return render

    with app.test_request_context("/events/benchmark"):
        cache.serve("page", draw("first"))
        clock.now += 61
        assert cache.serve("page", draw("second")) == "<p>second</p>"
        assert cache.serve("page", draw("fourth")) == "<p>second</p>"
    assert drawn == ["first", "second"]


def test_a_page_that_is_gone_when_drawn_anew_is_not_served_again(app, clock):
    cache = app.extensions["page_cache"]

    def gone(keys) -> str:
        abort(404)

    with app.test_request_context("/events/benchmark"):
        cache.serve("page", lambda keys: "<p>published</p>")
        clock.now += 61
        for _ in range(2):
            with pytest.raises(NotFound):
                cache.serve("page", gone)


def test_languages_are_kept_apart(app, clock, make_event):
    event = make_event()
    client = app.test_client()
    english = client.get(f"/events/{event.slug}").get_data(as_text=True)
    persian = client.get(f"/events/{event.slug}",
                         headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="fa"' in persian
    client.set_cookie("language", "es")
    assert 'lang="es"' in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_message_for_one_visitor_is_never_kept_for_another(app, clock, make_event):
    event = make_event()
    app.test_client().get(f"/events/{event.slug}")  # the page is kept
    told = app.test_client()
    with told.session_transaction() as session:
        session["_flashes"] = [("success", "Your RSVP and everything we held about it")]
    assert "everything we held" in told.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "everything we held" not in app.test_client().get(
        f"/events/{event.slug}").get_data(as_text=True)


def test_addresses_with_a_query_and_unknown_events_are_drawn_every_time(
        app, clock, make_event):
    event = make_event()
    client = app.test_client()
    client.get(f"/events/{event.slug}")
    with counting_queries(app) as statements:
        assert client.get(f"/events/{event.slug}?utm_source=mail").status_code == 200
    assert statements
    for _ in range(2):
        assert client.get("/events/no-such-event").status_code == 404
    assert app.extensions["page_cache"]._pages.keys() == {(("events.detail", event.slug), "en")}


def _assert_revalidates(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    return etag


def test_pages_without_forms_answer_not_modified_until_they_change(app, make_event):
    event = make_event(title="Vigil for Narges")
    client = app.test_client()
    etag = _assert_revalidates(client, "/")
    assert "Vigil for Narges" in client.get("/").get_data(as_text=True)
    make_event(title="A second vigil")
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "A second vigil" in changed.get_data(as_text=True)
    # Each language has its own validator.
    assert client.get("/", headers={"Accept-Language": "fa"}).headers["ETag"] != etag
    assert "Accept-Language" in changed.headers["Vary"]
    assert event.slug  # used


def test_pages_with_a_form_a_message_or_a_signed_in_person_are_not_revalidated(
        app, coordinator, clock, make_event):
    event = make_event()
    client = app.test_client()
    page = client.get(f"/events/{event.slug}")
    assert "ETag" not in page.headers and page.headers["Cache-Control"] == "no-store"
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Done.")]
    told = client.get("/")
    assert "Done." in told.get_data(as_text=True) and "ETag" not in told.headers
    console = coordinator.get("/console/")
    assert console.status_code == 200 and "ETag" not in console.headers


def test_a_new_server_process_builds_the_feed_before_its_first_visitor(app, make_event):
    from volunteer_hub.caching import warm_up

    make_event(title="Vigil for Narges")
    warm_up(app)
    with counting_queries(app) as statements:
        response = app.test_client().get("/calendar.ics")
    assert response.status_code == 200 and b"Vigil for Narges" in response.data
    assert len(statements) <= 3  # the validator's check only: the feed was kept


def test_warming_up_without_a_database_only_logs(tmp_path, caplog):
    from volunteer_hub import create_app
    from volunteer_hub.caching import warm_up

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/none/hub.sqlite3"},
                     instance_path=str(tmp_path / "instance"))
    warm_up(app)  # no exception: the worker still starts
