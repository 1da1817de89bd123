"""The outbox worker over time and in numbers: a mail server that is away for
a while loses nothing and duplicates nothing, and several workers sharing one
PostgreSQL outbox send every message exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tests.helpers import Inbox, free_port, rsvp_form
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.mail.delivery import LEASE, deliver_due, deliver_one
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.mail.transports import SmtpTransport


def rsvp_many(client, event, count: int, *, prefix: str = "person") -> list[str]:
    """``count`` online RSVPs, one address each; returns the addresses."""
    addresses = [f"{prefix}{number}@example.org" for number in range(count)]
    for number, address in enumerate(addresses):
        response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
            "online", name=f"Person {number}", email=address))
        assert response.status_code == 303
    return addresses


def test_smtp_server_down_for_a_while_then_every_message_arrives_once(
        app, client, make_event, fetch, outbox):
    event = make_event()
    addresses = rsvp_many(client, event, 5)
    message_ids = sorted(message["Message-ID"] for message in outbox())
    assert len(set(message_ids)) == 5

    port = free_port()  # nothing listens here yet
    transport = SmtpTransport("127.0.0.1", port, timeout=5)
    with app.app_context():
        start = utcnow()
        # Down: every due message is tried once, fails, and waits its backoff.
        first_round = []
        while (attempt := deliver_one(transport, now=start)) is not None:
            first_round.append(attempt)
        assert len(first_round) == 5
        for attempt in first_round:
            assert attempt.status is MessageStatus.PENDING
            assert attempt.attempts == 1
            assert attempt.next_attempt_at == start + timedelta(minutes=1)
            assert "ConnectionRefusedError" in attempt.last_error

        # Still down a minute and a half later: the second wait is longer.
        later = start + timedelta(minutes=1, seconds=30)
        second_round = []
        while (attempt := deliver_one(transport, now=later)) is not None:
            second_round.append(attempt)
        assert sorted(a.message_id for a in second_round) == sorted(
            a.message_id for a in first_round)
        assert {(a.status, a.attempts, a.next_attempt_at) for a in second_round} == {
            (MessageStatus.PENDING, 2, later + timedelta(minutes=2))}
        assert deliver_one(transport, now=later + timedelta(minutes=1)) is None  # not due yet

    rows = fetch(sa.select(OutboxMessage))
    assert {row.status for row in rows} == {MessageStatus.PENDING}
    assert all(row.mime for row in rows)  # nothing lost while it was away

    # The server comes back on the same port.
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            much_later = start + timedelta(hours=1)
            sent = []
            while (attempt := deliver_one(transport, now=much_later)) is not None:
                sent.append(attempt)
                assert len(sent) <= 5, "a message was delivered twice"
            assert {(a.status, a.attempts) for a in sent} == {(MessageStatus.SENT, 3)}
            # Nothing is due again, even after every lease and backoff runs out.
            assert deliver_one(transport, now=much_later + LEASE + timedelta(days=1)) is None
    finally:
        controller.stop()

    assert sorted(message["Message-ID"] for message in inbox.messages) == message_ids
    assert Counter(message["X-RcptTo"] for message in inbox.messages) == Counter(addresses)
    for message in inbox.messages:
        assert message["To"].addresses[0].addr_spec == message["X-RcptTo"]
    rows = fetch(sa.select(OutboxMessage))
    assert {row.status for row in rows} == {MessageStatus.SENT}
    assert all(row.mime is None and row.last_error is None for row in rows)
    assert all(row.sent_at is not None for row in rows)


class SlowTransport:
    """A mail server that takes its time, and remembers who sent what."""

    def __init__(self, delay: float = 0.02) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.sent: list[tuple[int, str]] = []

    def send(self, sender: str, recipient: str, mime: str, name: str) -> None:
        time.sleep(self.delay)
        with self.lock:
            self.sent.append((int(name), threading.current_thread().name))


@pytest.mark.slow
def test_three_workers_on_postgresql_send_every_message_exactly_once(
        app, client, make_event, fetch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("workers share the outbox through FOR UPDATE SKIP LOCKED: PostgreSQL "
                        "only (SQLite serialises writers)")
    event = make_event()
    rsvp_many(client, event, 30)
    ids = sorted(row.id for row in fetch(sa.select(OutboxMessage)))
    assert len(ids) == 30

    transport = SlowTransport()
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def work() -> None:
        try:
            with app.app_context():
                barrier.wait()
                deliver_due(transport)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, name=f"worker-{n}") for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    sent_ids = Counter(message_id for message_id, _ in transport.sent)
    assert sorted(sent_ids) == ids
    assert set(sent_ids.values()) == {1}, {i: n for i, n in sent_ids.items() if n > 1}
    # The work was shared, not done by one worker while the others waited.
    assert len({worker for _, worker in transport.sent}) >= 2
    rows = fetch(sa.select(OutboxMessage))
    assert {(row.status, row.attempts) for row in rows} == {(MessageStatus.SENT, 1)}
