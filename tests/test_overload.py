"""Under overload people get a quick "busy, try again" (503) instead of a
page that never comes, and nothing is acknowledged that was not saved."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.helpers import rsvp_form
from volunteer_hub import create_app
from volunteer_hub.comments.models import Comment
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.models import Rsvp

BUSY = "We are very busy right now"


@contextmanager
def write_lock_held(app: Flask, event_id: int) -> Iterator[None]:
    """Another server holding what an RSVP to the event must wait for:
    SQLite's write lock, or the event's row on PostgreSQL."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = sa.create_engine(url)
    with engine.connect() as other:
        other.execute(sa.text("SELECT id FROM event WHERE id = :id FOR UPDATE"), {"id": event_id})
        try:
            yield
        finally:
            other.rollback()
    engine.dispose()


@pytest.fixture
def impatient(app: Flask) -> Flask:
    """Writers give up after a tenth of a second."""
    app.config["LOCK_TIMEOUT_MS"] = 100
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", lambda connection, _record: connection.execute(
                "PRAGMA busy_timeout=100"))
            engine.dispose()
    return app


def test_an_rsvp_that_cannot_get_the_lock_is_given_back_and_nothing_is_saved(
        impatient, make_event, fetch):
    event = make_event()
    client = impatient.test_client()
    form = rsvp_form(event.venues[0], name="Shirin Ebadi")
    with write_lock_held(impatient, event.id):
        started = time.monotonic()
        response = client.post(f"/events/{event.slug}/rsvp", data=form)
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Nothing you sent was saved" in page
    # The form comes back as filled in, with the same one-time key.
    assert 'value="Shirin Ebadi"' in page and form["submission_key"] in page
    assert waited < 5
    assert fetch(sa.select(Rsvp.id)) == [] and fetch(sa.select(OutboxMessage.id)) == []

    again = client.post(f"/events/{event.slug}/rsvp", data=form)
    assert again.status_code == 303
    assert len(fetch(sa.select(Rsvp.id))) == 1 and len(fetch(sa.select(OutboxMessage.id))) == 1


def test_any_other_form_gets_the_busy_page(impatient, make_event, fetch):
    event = make_event()
    with impatient.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL writes of comments take no lock that another server holds")
    with write_lock_held(impatient, event.id):
        response = impatient.test_client().post(f"/events/{event.slug}/comments", data={
            "comment-name": "Sara", "comment-body": "We will be there."})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert BUSY in response.get_data(as_text=True)
    assert fetch(sa.select(Comment.id)) == []


@pytest.mark.parametrize(("header", "shed"), [
    (lambda now: f"t={now - 60:.3f}", True),
    (lambda now: f"t={int((now - 60) * 1000)}", True),  # milliseconds
    (lambda now: f"t={now:.3f}", False),
    (lambda now: "t=soon", False),
])
def test_a_request_that_waited_too_long_in_the_queue_is_answered_at_once(app, header, shed):
    response = app.test_client().get("/", headers={"X-Request-Start": header(time.time())})
    assert response.status_code == (503 if shed else 200)
    if shed:
        assert BUSY in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "30"


def test_shedding_can_be_turned_off(app):
    app.config["QUEUE_TIMEOUT_SECONDS"] = 0
    old = f"t={time.time() - 3600:.3f}"
    assert app.test_client().get("/", headers={"X-Request-Start": old}).status_code == 200


def test_an_unreachable_database_gives_the_busy_page(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/hub.sqlite3"},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert BUSY in response.get_data(as_text=True)


def test_writers_take_turns_in_one_server_and_give_up_politely(impatient, make_event, fetch):
    """On SQLite the writers of one process queue for their turn rather than
    poll SQLite's lock; one that gets no turn in time is told so."""
    event = make_event()
    with impatient.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL writers wait on the event's row lock, tested above")
    writing, finish = threading.Event(), threading.Event()

    def other_writer() -> None:
        with impatient.app_context():
            begin_write()
            writing.set()
            finish.wait(10)
            db.session.rollback()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert writing.wait(10)
    client, form = impatient.test_client(), rsvp_form(event.venues[0])
    try:
        response = client.post(f"/events/{event.slug}/rsvp", data=form)
    finally:
        finish.set()
        thread.join()
    assert response.status_code == 503
    assert "Nothing you sent was saved" in response.get_data(as_text=True)
    assert fetch(sa.select(Rsvp.id)) == []
    assert client.post(f"/events/{event.slug}/rsvp", data=form).status_code == 303


def test_writers_in_other_processes_take_turns_too(impatient, make_event, fetch, tmp_path):
    event = make_event()
    with impatient.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the turns are SQLite's; PostgreSQL locks rows")
        turns = db.engine.url.database + "-writers"
    other = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({turns!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('writing', flush=True)\n"
        "sys.stdin.readline()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "writing"
        client, form = impatient.test_client(), rsvp_form(event.venues[0])
        assert client.post(f"/events/{event.slug}/rsvp", data=form).status_code == 503
    finally:
        other.communicate("done\n", timeout=10)
    assert client.post(f"/events/{event.slug}/rsvp", data=form).status_code == 303
    assert len(fetch(sa.select(Rsvp.id))) == 1


def test_a_database_mistake_is_a_server_error_not_busy(tmp_path):
    """A missing table (a migration not run, say) is logged and answered
    500: "try again in a minute" would never come true."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/unmigrated.sqlite3"},
                     instance_path=str(tmp_path / "instance"))
    response = app.test_client().get("/")
    assert response.status_code == 500
    assert BUSY not in response.get_data(as_text=True)
