"""The mail worker purges once a day, never holds up the mail for it, and
several workers on PostgreSQL do not purge at the same moment."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.privacy.conftest import book
from volunteer_hub import worker
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.privacy import purge as purge_module
from volunteer_hub.privacy.purge import PURGE_INTERVAL, PURGE_LOCK, purge_if_due
from volunteer_hub.rsvps.models import Rsvp


@pytest.fixture
def past_rsvp(client, make_event, set_event_times):
    """An RSVP to an event that ended 40 days ago."""
    event = make_event()
    path = book(client, event, name="Shirin", email="shirin@example.org")
    ended = utcnow() - timedelta(days=40)
    set_event_times(event.id, starts_at=ended - timedelta(hours=3), ends_at=ended)
    return path


class Stop(Exception):
    """Ends the worker's endless loop after its first round."""


def test_the_worker_purges_on_its_first_round_and_delivers_the_mail(
        app, client, make_event, past_rsvp, fetch, monkeypatch, caplog):
    later = make_event(title="Later")
    book(client, later, name="Farah", email="farah@example.org")

    def stop(_seconds: float) -> None:
        raise Stop

    monkeypatch.setattr(worker.time, "sleep", stop)
    with caplog.at_level(logging.INFO, logger="volunteer_hub.privacy.purge"):
        result = app.test_cli_runner().invoke(args=["send-mail"])
    assert isinstance(result.exception, Stop)
    assert client.get(past_rsvp).status_code == 404
    assert sorted(r.name for r in fetch(sa.select(Rsvp))) == ["", "Farah"]
    assert {m.status for m in fetch(sa.select(OutboxMessage))} == {MessageStatus.SENT}
    assert "RSVPs anonymised: 1" in caplog.text
    assert "shirin" not in caplog.text.casefold()


def test_the_once_mode_leaves_purging_to_the_command(app, past_rsvp, client):
    assert app.test_cli_runner().invoke(args=["send-mail", "--once"]).exit_code == 0
    assert client.get(past_rsvp).status_code == 200


def test_the_purge_runs_once_a_day(app, past_rsvp, client):
    now = utcnow()
    with app.app_context():
        assert purge_if_due(now + timedelta(hours=1), now) == now + timedelta(hours=1)
    assert client.get(past_rsvp).status_code == 200  # not due yet: nothing happened
    with app.app_context():
        assert purge_if_due(now, now) == now + PURGE_INTERVAL
    assert client.get(past_rsvp).status_code == 404


def test_a_failed_purge_is_logged_and_retried_within_the_hour(app, monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(purge_module, "purge_expired", broken)
    now = utcnow()
    with app.app_context(), caplog.at_level(logging.ERROR):
        assert purge_if_due(now, now) == now + timedelta(hours=1)
    assert "purging expired personal data failed" in caplog.text


def test_a_second_worker_skips_while_another_purges(app, past_rsvp, client, runner):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's write lock makes workers take turns; nothing to skip")
        with db.engine.connect() as other_worker:
            other_worker.execute(sa.select(sa.func.pg_advisory_lock(PURGE_LOCK)))
            result = runner.invoke(args=["purge-expired"])
            other_worker.execute(sa.select(sa.func.pg_advisory_unlock(PURGE_LOCK)))
            other_worker.commit()
    assert "Another purge is running right now; nothing was done." in result.output
    assert client.get(past_rsvp).status_code == 200
    assert "RSVPs anonymised: 1" in runner.invoke(args=["purge-expired"]).output
