"""'Find my RSVPs and tasks': the same answer for every address, and a
short-lived emailed link that opens that address's commitments only."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form, signup_form, signup_path, text_of
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus


def ask(client, email):
    response = client.post("/find", data={"email": email})
    assert response.status_code == 303 and response.headers["Location"] == "/find/sent"
    return client.get("/find/sent").get_data(as_text=True)


def link_in(message) -> str:
    return re.search(r"https://hub\.example\.org(/find/[\w-]+)", text_of(message)).group(1)


def test_known_and_unknown_addresses_get_the_same_answer(client, make_event, outbox):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    sent_before = len(outbox())

    known = ask(client, "shirin@example.org")
    unknown = ask(client, "nobody@example.org")
    assert known == unknown
    assert "If we have anything for this address, we have emailed you a link" in known
    [message] = outbox()[sent_before:]
    assert message["To"].addresses[0].addr_spec == "shirin@example.org"


def test_the_link_opens_that_addresses_rsvps_and_tasks_only(
    client, make_event, make_task, outbox, fetch
):
    event = make_event(title="Afternoon of Solidarity")
    task = make_task(title="Translate the appeal")
    rsvp_path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                        data=rsvp_form(event.venues[0], email="Leila@Example.org")))
    task_path = signup_path(client.post("/volunteer", data=signup_form([task])))
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form(event.venues[0], name="Other Person", email="other@example.org"))

    ask(client, "leila@example.org")
    page = client.get(link_in(outbox()[-1]))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Afternoon of Solidarity" in html and "Translate the appeal" in html
    assert rsvp_path in html and task_path in html
    assert "Other Person" not in html

    # A task can be dropped right there.
    drop = re.search(r'action="(/signup/[\w-]+/drop/\d+)"', html).group(1)
    assert client.post(drop).status_code == 303
    assert fetch(sa.select(Assignment))[0].status is AssignmentStatus.DROPPED


def test_links_expire_and_forged_links_open_nothing(app, client, make_event, outbox):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    ask(client, "shirin@example.org")
    link = link_in(outbox()[-1])

    assert client.get("/find/" + "A" * 43).status_code == 404
    with app.app_context():
        from volunteer_hub.extensions import db

        for row in db.session.scalars(sa.select(LookupLink)):
            row.expires_at -= timedelta(hours=2)
        db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 404
    assert "This link has expired" in expired.get_data(as_text=True)


def test_one_link_per_address_every_few_minutes(client, make_event, outbox, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    before = len(outbox())
    for _ in range(5):
        ask(client, "shirin@example.org")
    assert len(outbox()) == before + 1
    assert len(fetch(sa.select(LookupLink))) == 1
    stored = fetch(sa.select(LookupLink))[0]
    assert link_in(outbox()[-1]).rsplit("/", 1)[1] not in stored.token_hash


def test_an_invalid_address_is_a_form_error(client, outbox):
    response = client.post("/find", data={"email": "not an address"})
    assert response.status_code == 422
    assert "Please enter a valid email address." in response.get_data(as_text=True)
    assert outbox() == []
