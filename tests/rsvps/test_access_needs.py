"""The optional access-needs question: asked on the RSVP form, changeable
from the manage link, seen by coordinators only, and gone with the rest of
the person's data."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.helpers import manage_path, rsvp_form
from volunteer_hub.extensions import db
from volunteer_hub.privacy.purge import purge_expired
from volunteer_hub.rsvps.models import Rsvp

NEEDS = "Step-free entry please; I use a wheelchair.\nA seat near the front."


def book(client, event, **fields):
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0], **fields)))


def test_the_question_is_on_the_form_with_a_label_and_is_optional(client, make_event, fetch):
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert '<label for="access_needs">Anything we should arrange so you can take part? ' \
           "(optional)</label>" in page
    assert 'aria-describedby="access_needs-hint"' in page
    assert "For example step-free access, a seat, an interpreter or captions." in page

    book(client, event)
    [rsvp] = fetch(sa.select(Rsvp))
    assert rsvp.access_needs == ""


def test_access_needs_are_stored_and_changeable_from_the_manage_link(
        client, make_event, fetch, outbox):
    event = make_event()
    path = book(client, event, access_needs=f"  {NEEDS}  ")
    [rsvp] = fetch(sa.select(Rsvp))
    assert rsvp.access_needs == NEEDS

    page = client.get(path).get_data(as_text=True)
    assert "Step-free entry please; I use a wheelchair." in page  # in the form, to change
    sent = len(outbox())
    response = client.post(path, data={"attendance": str(event.venues[0].id), "guests": "0",
                                       "access_needs": "An interpreter into Persian"})
    assert response.status_code == 303
    [rsvp] = fetch(sa.select(Rsvp))
    assert rsvp.access_needs == "An interpreter into Persian"
    assert len(outbox()) == sent  # nothing a calendar shows changed: no email

    client.post(path, data={"attendance": str(event.venues[0].id), "guests": "0",
                            "access_needs": ""})
    assert fetch(sa.select(Rsvp))[0].access_needs == ""


def test_an_answer_over_500_characters_is_refused_with_a_message(client, make_event, fetch):
    event = make_event()
    response = client.post(f"/events/{event.slug}/rsvp",
                           data=rsvp_form(event.venues[0], access_needs="x" * 501))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please keep this to 500 characters or fewer." in html
    assert 'href="#access_needs"' in html  # in the summary at the top, linked to the field
    assert fetch(sa.select(Rsvp)) == []

    path = book(client, event, access_needs="x" * 500)
    response = client.post(path, data={"attendance": "online", "guests": "0",
                                       "access_needs": "y" * 501})
    assert response.status_code == 422
    assert [(r.venue_id, r.access_needs) for r in fetch(sa.select(Rsvp))] == [
        (event.venues[0].id, "x" * 500)]


def test_coordinators_see_access_needs_and_the_public_never_does(
        client, coordinator, make_event, fetch):
    event = make_event()
    book(client, event, name="Shirin", access_needs=NEEDS)
    book(client, event, name="Babak", email="babak@example.org")
    [shirin] = fetch(sa.select(Rsvp).where(Rsvp.name == "Shirin"))

    for public in (f"/events/{event.slug}", "/"):
        assert "wheelchair" not in client.get(public).get_data(as_text=True)

    listing = coordinator.get(f"/console/events/{event.id}").get_data(as_text=True)
    assert listing.count(">Access needs</span>") == 1
    one = coordinator.get(f"/console/rsvps/{shirin.id}").get_data(as_text=True)
    assert "Step-free entry please; I use a wheelchair." in one
    attendance = coordinator.get(f"/console/events/{event.id}/attendance")
    assert attendance.status_code == 200
    sheet = attendance.get_data(as_text=True)
    assert "Access needs: <bdi>Step-free entry please; I use a wheelchair." in sheet
    assert sheet.count("Access needs:") == 1  # Babak asked for nothing

    # The console's own move form leaves the person's answer alone.
    coordinator.post(f"/console/rsvps/{shirin.id}/move",
                     data={"attendance": "online", "guests": "0"})
    [shirin] = fetch(sa.select(Rsvp).where(Rsvp.name == "Shirin"))
    assert (shirin.venue_id, shirin.access_needs) == (None, NEEDS)


def test_access_needs_are_in_the_download_and_go_with_delete_and_purge(
        app, client, make_event, fetch):
    event = make_event()
    path = book(client, event, access_needs=NEEDS)
    data = json.loads(client.get(f"{path}/data.json").get_data(as_text=True))
    assert data["rsvp"]["access_needs"] == NEEDS

    with app.app_context():
        purge_expired(SATURDAY_3PM_NEW_YORK + timedelta(days=365))
        db.session.commit()
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.name, rsvp.access_needs) == ("", "")

    other = make_event()
    path = book(client, other, access_needs="Captions, please")
    assert client.post(f"{path}/delete").status_code == 303
    assert fetch(sa.select(Rsvp).where(Rsvp.access_needs == "Captions, please")) == []
