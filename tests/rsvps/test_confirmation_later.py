"""An RSVP books its place and reserves its confirmation in the outbox in one
short transaction; the confirmation (templates, MIME, invite) is written
outside the write lock, by the mail worker (CONFIRMATIONS_BY_WORKER, the
default) or by the request once the booking has committed. Nothing
half-written is ever sent, and later emails about the RSVP always follow
its confirmation."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.helpers import counting_queries, invite_of, manage_path, rsvp_form, text_of
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.delivery import deliver_due
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.mail.transports import transport_from_url
from volunteer_hub.rsvps import services
from volunteer_hub.rsvps.models import Rsvp


@pytest.fixture
def by_worker(app: Flask) -> Flask:
    app.config["CONFIRMATIONS_BY_WORKER"] = True
    return app


@pytest.fixture
def worker(app: Flask):
    """What ``flask send-mail`` does first each round: write what waits."""

    def write() -> int:
        with app.app_context():
            return services.write_waiting_confirmations()

    return write


def test_the_booking_reserves_the_confirmation_and_the_worker_writes_it(
        by_worker, worker, client, make_event, fetch, outbox):
    event = make_event()
    manage_path(client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0])))
    assert fetch(sa.select(OutboxMessage.compose)) == [services.CONFIRMATION_TO_WRITE]
    assert fetch(sa.select(OutboxMessage.mime)) == [None]
    assert len(fetch(sa.select(CalendarFeed.id))) == 1  # made with the booking

    assert worker() == 1
    [message] = outbox()
    assert message["Subject"] == f"RSVP confirmed: {event.title}"
    assert "/rsvp/" in text_of(message) and "webcal://" in text_of(message)
    invite = invite_of(message)
    assert invite is not None and invite.method == "REQUEST" and invite.sequence == 0
    # What composing changed was stored with it.
    assert fetch(sa.select(Rsvp.invite_sequence)) == [0]
    assert fetch(sa.select(Rsvp.invite_active)) == [True]
    assert fetch(sa.select(OutboxMessage.compose)) == [None]


def test_under_the_lock_a_booking_runs_its_statements_and_nothing_else(
        by_worker, app, make_event, fetch):
    """Keys, hashes and the calendar UID are made before the writers' lock
    is taken; under it run the booking's statements alone: one read (the
    event, the venue's count, an earlier sending of the form) and the inserts."""
    event = make_event()
    venue_id = event.venues[0].id
    with app.test_request_context(), counting_queries(app) as statements:
        booking = services.prepare_booking(
            event.id, name="Narges", email="Narges@Example.org", venue_id=venue_id, guests=1,
            keep_updated=False, submission_key="k" * 43)
        assert statements == []
        begin_write()
        result = services.book(booking, confirm_later=True)
        db.session.commit()
    # (SQLite's BEGIN IMMEDIATE is the dialect's, not a statement of the app's)
    first = [] if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else [
        ["SET", "LOCAL", "lock_timeout"], ["SELECT", "event.id", "FROM"]]  # the row lock
    assert [statement.split(None, 3)[:3] for statement in statements] == [
        *first, ["SELECT", "event.status,", "event.starts_at,"],  # with venue and earlier
        ["INSERT", "INTO", "rsvp"], ["INSERT", "INTO", "calendar_feed"],
        ["INSERT", "INTO", "outbox_message"]]
    assert result.created
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.email_key, rsvp.guests, rsvp.ical_uid) == (
        "narges@example.org", 1, booking.row["ical_uid"])
    assert fetch(sa.select(CalendarFeed.email_key)) == ["narges@example.org"]


def test_the_worker_writes_and_sends_it_and_never_sends_it_half_written(
        by_worker, app, client, make_event, runner, tmp_path):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    mail = tmp_path / "mail"
    with app.app_context():
        assert deliver_due(transport_from_url(str(mail))) == 0  # delivery alone skips it
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0, result.output
    [sent] = mail.glob("*.eml")
    text = sent.read_text()
    assert f"Subject: RSVP confirmed: {event.title}" in text and "BEGIN:VCALENDAR" in text


def test_a_confirmation_is_written_once(by_worker, app, client, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    [rsvp_id] = fetch(sa.select(Rsvp.id))
    with app.app_context():
        assert services.write_confirmation(rsvp_id) is True
        assert services.write_confirmation(rsvp_id) is False  # a second worker, a moment later
        assert services.write_waiting_confirmations() == 0
    assert len(fetch(sa.select(OutboxMessage.id))) == 1


def test_deleting_the_rsvp_first_leaves_nothing_to_write(by_worker, app, client, make_event,
                                                         fetch, outbox):
    event = make_event()
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0])))
    [rsvp_id] = fetch(sa.select(Rsvp.id))
    assert client.post(f"{path}/delete").status_code == 303
    with app.app_context():
        assert services.write_confirmation(rsvp_id) is False
    # No confirmation, and no goodbye either: their calendar never had the entry.
    assert outbox() == []


def test_a_change_before_the_worker_comes_follows_the_confirmation(
        by_worker, worker, client, make_event, outbox):
    event = make_event(venues=[{"name": "Harlem"}, {"name": "Brooklyn"}])
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0])))
    assert client.post(path, data={"attendance": str(event.venues[1].id), "guests": "0"}
                       ).status_code == 303
    assert worker() == 0  # the change wrote it first, as things stood before
    confirmation, change = outbox()
    assert confirmation["Subject"].startswith("RSVP confirmed")
    assert change["Subject"].startswith("RSVP updated")
    assert "Harlem" in text_of(confirmation) and "Brooklyn" in text_of(change)
    assert (invite_of(confirmation).sequence, invite_of(change).sequence) == (0, 1)


def test_an_invite_state_moved_meanwhile_is_composed_again_under_the_lock(
        by_worker, app, client, make_event, fetch, outbox, monkeypatch):
    """The RSVP changed between composing and storing: the confirmation is
    written again from what is stored, never over it."""
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    [rsvp_id] = fetch(sa.select(Rsvp.id))
    real_compose = services._compose_confirmation
    calls = []

    def compose_while_someone_changes_it(rsvp):
        message = real_compose(rsvp)
        if not calls:
            with db.engine.begin() as other:  # another server, another connection
                other.execute(sa.update(Rsvp).where(Rsvp.id == rsvp_id).values(
                    invite_sequence=4, invite_active=True, invite_fingerprint="x"))
        calls.append(rsvp.id)
        return message

    monkeypatch.setattr(services, "_compose_confirmation", compose_while_someone_changes_it)
    with app.app_context():
        assert services.write_confirmation(rsvp_id) is True
    assert len(calls) == 2
    [message] = outbox()
    assert invite_of(message).sequence == 5
    assert fetch(sa.select(Rsvp.invite_sequence)) == [5]


def test_without_the_worker_the_request_writes_it_after_the_booking(
        client, make_event, fetch, outbox):
    event = make_event()
    manage_path(client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0])))
    assert fetch(sa.select(OutboxMessage.compose)) == [None]  # written before the answer
    [message] = outbox()
    assert message["Subject"] == f"RSVP confirmed: {event.title}"
    assert invite_of(message).sequence == 0


def test_a_confirmation_the_request_failed_to_write_is_left_to_the_worker(
        worker, client, make_event, fetch, outbox, monkeypatch):
    event = make_event()

    def broken(rsvp_id: int) -> bool:
        raise RuntimeError("the template engine fell over")

    monkeypatch.setattr(services, "write_confirmation", broken)
    response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    assert response.status_code == 303  # the booking stands, and the person is told so
    monkeypatch.undo()
    assert fetch(sa.select(OutboxMessage.compose)) == [services.CONFIRMATION_TO_WRITE]
    assert worker() == 1
    [message] = outbox()
    assert message["Subject"] == f"RSVP confirmed: {event.title}"


def test_two_workers_at_once_write_it_once(by_worker, app, client, make_event, fetch,
                                           monkeypatch):
    """Both compose it at the same moment; the first to store it wins, the
    other waits for it (PostgreSQL row lock, SQLite write lock) and stops."""
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    [rsvp_id] = fetch(sa.select(Rsvp.id))
    both_composing = threading.Barrier(2, timeout=10)
    real_compose = services._compose_confirmation

    def compose_together(rsvp):
        message = real_compose(rsvp)
        both_composing.wait()
        return message

    monkeypatch.setattr(services, "_compose_confirmation", compose_together)
    results = []

    def worker() -> None:
        with app.app_context():
            results.append(services.write_confirmation(rsvp_id))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False, True]
    assert fetch(sa.select(OutboxMessage.compose)) == [None]
    assert len(fetch(sa.select(OutboxMessage.id))) == 1


def test_written_later_a_confirmation_still_tells_only_of_earlier_rsvps(
        by_worker, worker, client, make_event, outbox):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0], name="Shirin"))
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form("online", name="Impostor", email="SHIRIN@example.org"))
    assert worker() == 2
    first, second = outbox()
    assert "already had an RSVP" not in text_of(first)
    assert "already had an RSVP for this event" in text_of(second)


def test_one_confirmation_that_cannot_be_written_holds_up_no_other(
        by_worker, app, client, make_event, fetch, monkeypatch):
    event = make_event()
    for name in ("Shirin", "Narges"):
        client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
            event.venues[0], name=name, email=f"{name.lower()}@example.org"))
    broken_id, fine_id = fetch(sa.select(Rsvp.id).order_by(Rsvp.id))
    real_write = services.write_confirmation

    def write(rsvp_id: int) -> bool:
        if rsvp_id == broken_id:
            raise RuntimeError("a template fell over")
        return real_write(rsvp_id)

    monkeypatch.setattr(services, "write_confirmation", write)
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    with app.app_context():
        assert services.write_waiting_confirmations() == 1  # the other one
        assert services.write_waiting_confirmations() == 0
        assert services.write_waiting_confirmations() == 0  # given up: not tried again
    rows = {row.rsvp_id: row for row in fetch(sa.select(OutboxMessage))}
    assert rows[fine_id].compose is None and rows[fine_id].mime
    assert rows[broken_id].status.value == "failed" and rows[broken_id].attempts == 2
    assert "a template fell over" in rows[broken_id].last_error


def test_a_waitlisted_person_promoted_before_the_worker_comes_reads_both_in_order(
        by_worker, worker, client, make_event, outbox):
    event = make_event(venues=[{"name": "Hall", "capacity": 1}])
    first = manage_path(client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        event.venues[0], name="Shirin", email="shirin@example.org")))
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        event.venues[0], name="Narges", email="narges@example.org"))
    assert client.post(f"{first}/cancel").status_code == 303  # Narges moves up
    worker()
    narges = [message["Subject"] for message in outbox() if "narges" in message["To"]]
    assert narges == [f"You are on the waitlist: {event.title}",
                      f"A place is yours: {event.title}"]
