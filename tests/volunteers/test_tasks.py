"""Tasks under load and under change: exact places, updated invites."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import invite_of, signup_form, signup_path
from volunteer_hub.database import begin_write
from volunteer_hub.events import changes as event_changes
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import changes
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Task

TWO_PM = datetime(2027, 9, 25, 18, 0, tzinfo=UTC)


@pytest.mark.slow
def test_fifty_simultaneous_sign_ups_fill_five_places_exactly(app, make_task, fetch):
    task = make_task(max_volunteers=5, min_volunteers=1)
    start = threading.Barrier(50)

    def sign_up(number: int) -> int:
        client = app.test_client()
        form = signup_form([task], name=f"Volunteer {number}", email=f"v{number}@example.org")
        start.wait()
        return client.post("/volunteer", data=form).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(sign_up, range(50)))

    assert codes == [303] * 50
    assignments = fetch(sa.select(Assignment))
    confirmed = [a for a in assignments if a.status is AssignmentStatus.CONFIRMED]
    assert len(assignments) == 50
    assert len(confirmed) == 5
    assert max(a.id for a in confirmed) < min(
        a.id for a in assignments if a.status is AssignmentStatus.WAITLISTED)


def mails_to(outbox, address):
    return [m for m in outbox() if m["To"].addresses[0].addr_spec == address]


def run(app, function, model, object_id, *args, **kwargs):
    with app.app_context():
        begin_write()
        told = function(db.session.get(model, object_id), *args, **kwargs)
        db.session.commit()
        return told


def test_moving_a_task_updates_its_volunteers_invites(app, client, make_event, make_task, outbox):
    event = make_event()
    task = make_task(event, starts_at=TWO_PM, ends_at=TWO_PM + timedelta(hours=1))
    client.post("/volunteer", data=signup_form([task]))

    later = TWO_PM + timedelta(hours=2)
    assert run(app, changes.update_task, Task, task, starts_at=later,
               ends_at=later + timedelta(hours=1)) == 1

    first, update = (invite_of(m) for m in outbox()[1:])
    assert update.uid == first.uid and update.sequence == first.sequence + 1
    assert update.starts_at == later
    assert outbox()[-1]["Subject"] == "Changed: " + outbox()[1]["Subject"].split(": ", 1)[1]


def test_more_places_let_the_waitlist_move_up(app, client, make_task, fetch):
    task = make_task(max_volunteers=1, min_volunteers=1)
    client.post("/volunteer", data=signup_form([task]))
    client.post("/volunteer", data=signup_form([task], name="B", email="b@example.org"))
    run(app, changes.update_task, Task, task, max_volunteers=2)
    assert {a.status for a in fetch(sa.select(Assignment))} == {AssignmentStatus.CONFIRMED}


def test_cancelling_a_task_cancels_its_invites(app, client, make_event, make_task, outbox):
    event = make_event()
    task = make_task(event, starts_at=TWO_PM, ends_at=TWO_PM + timedelta(hours=1))
    client.post("/volunteer", data=signup_form([task]))
    assert run(app, changes.cancel_task, Task, task) == 1
    assert run(app, changes.cancel_task, Task, task) == 0
    cancel = invite_of(outbox()[-1])
    assert (cancel.method, cancel.sequence) == ("CANCEL", 1)
    assert "Task 1" not in client.get("/volunteer").get_data(as_text=True)


def test_event_changes_reach_the_volunteers_of_its_tasks(
    app, client, make_event, make_task, outbox
):
    event = make_event(starts_at=None, ends_at=None)
    during = make_task(event, event.venues[0], title="Leaflets")  # at the event's time
    client.post("/volunteer", data=signup_form([during]))
    assert len(outbox()) == 1  # no date, no invite yet

    run(app, event_changes.reschedule, Event, event.id, TWO_PM, TWO_PM + timedelta(hours=1))
    announcement = mails_to(outbox, "leila@example.org")[-1]
    assert announcement["Subject"] == "Calendar invite: Leaflets"
    assert invite_of(announcement).starts_at == TWO_PM

    run(app, event_changes.cancel_event, Event, event.id)
    cancelled = mails_to(outbox, "leila@example.org")[-1]
    assert cancelled["Subject"] == "Cancelled: Leaflets"
    assert invite_of(cancelled).method == "CANCEL"


def test_the_personal_feed_lists_timed_tasks_under_their_invite_uid(
    client, make_event, make_task, outbox
):
    import re

    event = make_event()
    task = make_task(event, starts_at=TWO_PM, ends_at=TWO_PM + timedelta(hours=1))
    path = signup_path(client.post("/volunteer", data=signup_form([task])))
    confirmation, invite_mail = outbox()
    feed_path = re.search(r"https://hub\.example\.org(/calendar/[\w-]+\.ics)",
                          confirmation.get_body(("plain",)).get_content()).group(1)
    assert feed_path not in client.get(path).get_data(as_text=True)
    feed = client.get(feed_path).get_data(as_text=True)
    assert f"UID:{invite_of(invite_mail).uid}" in feed
