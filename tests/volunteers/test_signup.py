"""Volunteers see where help is needed, pick tasks in one go, and get an
invite for every task that has a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import invite_of, rsvp_form, signup_form, signup_path, text_of
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.volunteers.models import (
    Assignment,
    AssignmentStatus,
    HelpOffer,
    Signup,
    TaskStatus,
)

TWO_PM = datetime(2027, 9, 25, 18, 0, tzinfo=UTC)  # 2:00 pm EDT


def statuses(fetch):
    return {(a.signup_id, a.task_id): a.status for a in fetch(sa.select(Assignment))}


def test_volunteer_page_groups_tasks_and_shows_counts_only(client, make_event, make_task):
    event = make_event(title="Afternoon of Solidarity")
    chairs = make_task(event, event.venues[0], title="Set up chairs", min_volunteers=1,
                       max_volunteers=1, starts_at=TWO_PM, ends_at=TWO_PM + timedelta(hours=1))
    make_task(event, title="Staff the literature table", min_volunteers=3, max_volunteers=4)
    make_task(title="Translate the appeal into Farsi", max_volunteers=None, min_volunteers=1)
    make_task(title="Cancelled task", status=TaskStatus.CANCELLED)
    client.post("/volunteer", data=signup_form([chairs], name="Secret Volunteer",
                                               email="secret@example.org", phone="555 0100"))

    html = client.get("/volunteer").get_data(as_text=True)
    assert html.index("Afternoon of Solidarity") < html.index("Ongoing: help any time")
    assert html.index("Set up chairs") < html.index("Translate the appeal into Farsi")
    assert "Full: join the waitlist" in html  # chairs
    assert "Needs 4 more" in html  # literature table
    assert "Short of people" in html  # literature table has 0 of at least 3
    assert "Saturday 25 September 2027, 2:00 pm – 3:00 pm EDT" in html
    assert "Any time" in html
    assert "Cancelled task" not in html
    for page in ("/volunteer", f"/events/{event.slug}", "/"):
        text = client.get(page).get_data(as_text=True)
        assert "Secret Volunteer" not in text and "secret@example.org" not in text
        assert "555 0100" not in text
    assert "Volunteer for this event" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_signing_up_for_two_tasks_sends_one_invite_for_the_timed_one(
    client, make_event, make_task, fetch, outbox
):
    event = make_event()
    timed = make_task(event, event.venues[0], title="Set up chairs", starts_at=TWO_PM,
                      ends_at=TWO_PM + timedelta(hours=1))
    untimed = make_task(title="Translate the appeal")

    path = signup_path(client.post("/volunteer", data=signup_form(
        [timed, untimed], phone="+1 (555) 010-0100", languages="Farsi, English",
        skills="translation", note="Evenings are best")))

    page = client.get(path).get_data(as_text=True)
    assert "Thank you for volunteering!" in page
    assert "Set up chairs" in page and "Translate the appeal" in page
    [signup] = fetch(sa.select(Signup))
    assert (signup.phone, signup.languages, signup.note) == (
        "+1 (555) 010-0100", "Farsi, English", "Evenings are best")

    confirmation, invite_mail = outbox()
    assert confirmation["Subject"] == "Thank you for volunteering"
    assert invite_of(confirmation) is None
    assert "Set up chairs" in text_of(confirmation) and "Any time" in text_of(confirmation)
    assert f"https://hub.example.org{path}" in text_of(confirmation)
    assert invite_mail["Subject"] == "Calendar invite: Set up chairs"
    invite = invite_of(invite_mail)
    assert (invite.method, invite.sequence, invite.starts_at) == ("REQUEST", 0, TWO_PM)
    assert invite.summary == "Volunteer: Set up chairs"
    assert invite.uid.startswith("task-")
    assert f"https://hub.example.org{path}" in invite.description


def test_a_task_that_just_filled_puts_that_one_on_the_waitlist_and_says_so(
    client, make_task, fetch, outbox
):
    a, b = make_task(title="Task A"), make_task(title="Task B")
    full = make_task(title="Task C", max_volunteers=1, min_volunteers=1)
    client.post("/volunteer", data=signup_form([full], name="First", email="first@example.org"))

    path = signup_path(client.post("/volunteer", data=signup_form([a, b, full])))

    assert statuses(fetch) == {
        (1, full): AssignmentStatus.CONFIRMED,
        (2, a): AssignmentStatus.CONFIRMED,
        (2, b): AssignmentStatus.CONFIRMED,
        (2, full): AssignmentStatus.WAITLISTED,
    }
    assert "On the waitlist" in client.get(path).get_data(as_text=True)
    assert "ON THE WAITLIST. This task filled up just before you" in text_of(outbox()[-1])


def test_a_closed_task_refuses_the_whole_form(app, client, make_task, fetch):
    open_task = make_task(title="Open")
    closed = make_task(title="Closed")
    form = signup_form([open_task, closed])
    with app.app_context():
        from volunteer_hub.extensions import db
        from volunteer_hub.volunteers.models import Task

        db.session.get(Task, closed).status = TaskStatus.CANCELLED
        db.session.commit()

    response = client.post("/volunteer", data=form)
    assert response.status_code == 422
    assert "One of the tasks you chose is no longer open" in response.get_data(as_text=True)
    assert fetch(sa.select(Signup)) == [] and fetch(sa.select(OutboxMessage)) == []


def test_dropping_a_task_cancels_its_invite_and_promotes_the_next(
    client, make_event, make_task, fetch, outbox
):
    event = make_event()
    task = make_task(event, event.venues[0], max_volunteers=1, min_volunteers=1,
                     starts_at=TWO_PM, ends_at=TWO_PM + timedelta(hours=1))
    first = signup_path(client.post("/volunteer", data=signup_form([task], name="Ana",
                                                                   email="ana@example.org")))
    signup_path(client.post("/volunteer", data=signup_form([task], name="Babak",
                                                           email="babak@example.org")))

    assert client.get(f"{first}/drop/{task}").status_code == 405  # a GET changes nothing
    response = client.post(f"{first}/drop/{task}")
    assert response.status_code == 303
    assert statuses(fetch) == {(1, task): AssignmentStatus.DROPPED,
                               (2, task): AssignmentStatus.CONFIRMED}

    ana_mails = [m for m in outbox() if m["To"].addresses[0].addr_spec == "ana@example.org"]
    babak_mails = [m for m in outbox() if m["To"].addresses[0].addr_spec == "babak@example.org"]
    first_invite, cancel = invite_of(ana_mails[1]), invite_of(ana_mails[2])
    assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", first_invite.uid, 1)
    assert babak_mails[-1]["Subject"].startswith("A place is yours")
    assert invite_of(babak_mails[-1]).method == "REQUEST"
    assert client.post(f"{first}/drop/9999").status_code == 404


def test_the_same_form_sent_twice_is_one_sign_up(client, make_task, fetch):
    task = make_task()
    form = signup_form([task])
    assert signup_path(client.post("/volunteer", data=form)) == signup_path(
        client.post("/volunteer", data=form))
    assert len(fetch(sa.select(Signup))) == 1
    form["email"] = "someone-else@example.org"
    assert client.post("/volunteer", data=form).status_code == 422


BAD_FIELDS = {
    "no task": {"tasks": []},
    "unknown task": {"tasks": ["99999"]},
    "task not a number": {"tasks": ["chairs"]},
    "empty name": {"name": ""},
    "line break in name": {"name": "Leila\r\nBcc: x@example.org"},
    "invalid email": {"email": "leila"},
    "letters in phone": {"phone": "call me maybe"},
    "huge phone": {"phone": "1" * 100},
    "huge note": {"note": "x" * 5000},
    "huge skills": {"skills": "x" * 5000},
    "control characters in languages": {"languages": "Farsi\x00"},
    "missing one-time key": {"submission_key": ""},
}


@pytest.mark.parametrize("fields", BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_bad_sign_up_is_refused_and_nothing_stored(client, make_task, fetch, fields):
    task = make_task()
    response = client.post("/volunteer", data=signup_form([task], **fields))
    assert response.status_code == 422
    assert "Please check the form" in response.get_data(as_text=True)
    assert fetch(sa.select(Signup)) == [] and fetch(sa.select(OutboxMessage)) == []


def test_deleting_a_sign_up_erases_it_and_clears_calendars(
    app, client, make_event, make_task, fetch, outbox
):
    event = make_event()
    task = make_task(event, max_volunteers=1, min_volunteers=1, starts_at=TWO_PM,
                     ends_at=TWO_PM + timedelta(hours=1))
    path = signup_path(client.post("/volunteer", data=signup_form([task], phone="5550100")))
    client.post("/volunteer", data=signup_form([task], name="Babak", email="babak@example.org"))

    assert "Yes, delete my data" in client.get(f"{path}/delete").get_data(as_text=True)
    assert client.post(f"{path}/delete").status_code == 303

    [remaining] = fetch(sa.select(Signup))
    assert remaining.name == "Babak"
    assert statuses(fetch) == {(2, task): AssignmentStatus.CONFIRMED}
    # Her mail is gone but for one CANCEL for her calendar, forgotten once sent.
    leftovers = fetch(sa.select(OutboxMessage).where(
        OutboxMessage.recipient == "leila@example.org"))
    assert [(m.subject, m.forget_recipient, m.signup_id) for m in leftovers] == [
        ("Your data is deleted: Task 1", True, None)]
    assert "METHOD:CANCEL" in leftovers[0].mime.replace("=\r\n", "")
    assert all("5550100" not in (m.mime or "") for m in fetch(sa.select(OutboxMessage)))
    assert client.get(path).status_code == 404


def test_general_offers_of_help_are_stored_and_thanked(client, fetch, outbox):
    response = client.post("/volunteer/offer", data={
        "offer-name": "Darius", "offer-email": "darius@example.org",
        "offer-skills": "design", "offer-availability": "weekends"})
    assert response.status_code == 303
    [offer] = fetch(sa.select(HelpOffer))
    assert (offer.name, offer.skills, offer.availability) == ("Darius", "design", "weekends")
    assert outbox()[0]["Subject"] == "Thank you for offering to help"
    assert "Thank you for offering to help" in client.get("/volunteer").get_data(as_text=True)

    bad = client.post("/volunteer/offer", data={"offer-name": "", "offer-email": "x"})
    assert bad.status_code == 422
    assert len(fetch(sa.select(HelpOffer))) == 1


def test_rsvp_and_volunteer_forms_keep_separate_one_time_keys(client, make_event, make_task):
    event = make_event()
    task = make_task(event)
    key = rsvp_form(event.venues[0])["submission_key"]
    assert client.post(f"/events/{event.slug}/rsvp",
                       data=rsvp_form(event.venues[0], submission_key=key)).status_code == 303
    response = client.post("/volunteer", data=signup_form([task], submission_key=key))
    assert response.status_code == 303
