"""Several mail workers queue each reminder once: the worker's reminder step
takes turns with the others (an advisory lock on PostgreSQL, the write lock
on SQLite)."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.helpers import rsvp_form
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.services import queue_due_reminders
from volunteer_hub.worker import REMINDER_LOCK, queue_reminders

DAY_BEFORE = SATURDAY_3PM_NEW_YORK - timedelta(hours=23)


def reminders(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.subject.like("Reminder%")))


def test_a_second_worker_queues_no_reminder_while_the_first_is_queueing_them(
        app, client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
    second: dict[str, int | None] = {}

    def second_worker() -> None:
        with app.app_context():
            second["queued"] = queue_reminders(DAY_BEFORE)

    with app.app_context():
        # The first worker has read the due RSVP and queued its reminder, but
        # not yet committed, when the second one looks.
        begin_write()
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(REMINDER_LOCK)))
        assert queue_due_reminders(DAY_BEFORE) == 1
        thread = threading.Thread(target=second_worker)
        thread.start()
        thread.join(timeout=0.5)  # PostgreSQL: it gives up at once; SQLite: it waits
        db.session.commit()
    thread.join(timeout=30)
    assert not thread.is_alive()

    # PostgreSQL: the second worker left the round to the first (None);
    # SQLite: it waited for the write lock and then found nothing due (0).
    assert second["queued"] in (None, 0)
    assert reminders(app) == 1
    with app.app_context():
        assert queue_reminders(DAY_BEFORE) == 0  # the next round: nothing left
    assert reminders(app) == 1
