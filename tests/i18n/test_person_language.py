"""A person's language is the one of the page they used: stored with their
RSVP or sign-up, taken again when they change their RSVP themselves, and
left alone by a coordinator's change."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form, signup_form
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.volunteers.models import Signup

PERSIAN = {"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"}


def test_an_rsvp_keeps_the_language_of_its_page(client, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN,
                data=rsvp_form(event.venues[0]))
    client.get("/language/es")
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form("online", name="Ana", email="ana@example.org"))
    client.delete_cookie("language")
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form("online", name="Babak", email="babak@example.org"))
    languages = {rsvp.name: rsvp.language for rsvp in fetch(sa.select(Rsvp))}
    assert languages == {"Shirin": "fa", "Ana": "es", "Babak": "en"}


def test_a_sign_up_keeps_the_language_of_its_page(client, make_task, fetch):
    task_id = make_task()
    response = client.post("/volunteer", headers=PERSIAN, data=signup_form([task_id]))
    assert response.status_code == 303
    [signup] = fetch(sa.select(Signup))
    assert signup.language == "fa"


def test_the_person_changing_their_rsvp_sets_its_language_a_coordinator_does_not(
        client, coordinator, make_event, fetch):
    event = make_event()
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0])))
    [rsvp] = fetch(sa.select(Rsvp))
    assert rsvp.language == "en"

    response = client.post(path, headers=PERSIAN, data={"attendance": "online", "guests": "0"})
    assert response.status_code == 303
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.venue_id, rsvp.language) == (None, "fa")

    coordinator.post(f"/console/rsvps/{rsvp.id}/move",
                     data={"attendance": str(event.venues[0].id), "guests": "0"})
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.venue_id, rsvp.language) == (event.venues[0].id, "fa")
