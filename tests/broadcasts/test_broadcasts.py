"""Coordinators email a segment, see who it goes to first, and watch it go out."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import rsvp_form, signup_form, text_of
from volunteer_hub.mail.models import OutboxMessage


def book(client, event, venue, name, email):
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(venue, name=name, email=email))


def test_preview_counts_then_each_person_gets_their_own_copy(
    app, client, coordinator, make_event, fetch, outbox, runner
):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    book(client, event, harlem, "Ana", "ana@example.org")
    book(client, event, harlem, "Babak", "babak@example.org")  # waitlisted
    book(client, event, berkeley, "Cyrus", "cyrus@example.org")
    book(client, event, berkeley, "Cyrus twice", "CYRUS@example.org")
    before = len(outbox())
    form = {"segment": "all", "subject": "Bring water", "body": "It will be hot.\n\nSee you!"}

    preview = coordinator.post(f"/console/events/{event.id}/message", data=form)
    html = preview.get_data(as_text=True)
    assert "<strong>3 people</strong>" in html  # Cyrus once
    assert len(outbox()) == before

    sent = coordinator.post(f"/console/events/{event.id}/message", data={**form, "confirmed": "1"})
    assert sent.status_code == 303
    copies = outbox()[before:]
    assert sorted(m["To"].addresses[0].addr_spec.lower() for m in copies) == [
        "ana@example.org", "babak@example.org", "cyrus@example.org"]
    ana = next(m for m in copies if m["To"].addresses[0].addr_spec == "ana@example.org")
    assert "It will be hot.\r\n\r\nSee you!" in text_of(ana)
    assert "/rsvp/" in text_of(ana)

    progress = coordinator.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in progress and "<dt>Queued</dt><dd>3</dd>" in progress
    runner.invoke(args=["send-mail", "--once"])
    done = coordinator.get(sent.headers["Location"]).get_data(as_text=True)
    assert "All 3 sent." in done and 'http-equiv="refresh"' not in done


def test_segments_venue_waitlist_and_task_volunteers(
    client, coordinator, make_event, make_task, outbox
):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    harlem = event.venues[0]
    book(client, event, harlem, "Ana", "ana@example.org")
    book(client, event, harlem, "Babak", "babak@example.org")
    task = make_task(event, title="Leaflets")
    client.post("/volunteer", data=signup_form([task], name="Vida", email="vida@example.org"))

    def count(segment):
        html = coordinator.post(f"/console/events/{event.id}/message", data={
            "segment": segment, "subject": "S", "body": "B"}).get_data(as_text=True)
        return html

    assert "<strong>1 person</strong>" in count(f"venue:{harlem.id}")
    assert "<strong>1 person</strong>" in count("waitlist")
    assert "Volunteers for “Leaflets”" in count(f"task:{task}")
    before = len(outbox())
    coordinator.post(f"/console/events/{event.id}/message", data={
        "segment": f"task:{task}", "subject": "Leaflets", "body": "Meet at 5", "confirmed": "1"})
    [copy] = outbox()[before:]
    assert copy["To"].addresses[0].addr_spec == "vida@example.org"
    assert "/signup/" in text_of(copy)


def test_bad_broadcasts_are_refused(coordinator, make_event, fetch):
    event = make_event()
    for form in ({"segment": "all", "subject": "", "body": "B"},
                 {"segment": "everyone!", "subject": "S", "body": "B"},
                 {"segment": "all", "subject": "S\r\nBcc: x@example.org", "body": "B"}):
        response = coordinator.post(f"/console/events/{event.id}/message", data=form)
        assert response.status_code == 422, form
    assert fetch(sa.select(OutboxMessage)) == []
    assert coordinator.get("/console/broadcasts/999").status_code == 404
