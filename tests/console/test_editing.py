"""Coordinators create and edit events, venues and tasks; changes that email
people say how many first."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.helpers import invite_of, rsvp_form
from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.volunteers.models import Task

NEW_EVENT = {
    "title": "Vigil for the prisoners", "slug": "vigil", "description": "Bring *candles*.",
    "timezone": "America/New_York", "starts_at": "2027-10-02T18:00",
    "ends_at": "2027-10-02T20:00", "online": "y", "stream_url": "https://stream.example.org/v",
    "guest_limit": "2",
}


def test_a_new_event_is_a_draft_until_published(client, coordinator, fetch):
    response = coordinator.post("/console/events/new", data=NEW_EVENT)
    assert response.status_code == 303
    [event] = fetch(sa.select(Event))
    assert (event.status, event.starts_at) == (EventStatus.DRAFT, datetime(2027, 10, 2, 22,
                                                                          tzinfo=UTC))
    assert client.get("/events/vigil").status_code == 404

    coordinator.post(f"/console/events/{event.id}/venues/new", data={
        "name": "Union Square", "address": "Union Square, New York",
        "timezone": "America/New_York", "capacity": "100"})
    coordinator.post(f"/console/events/{event.id}/publish", data={"published": "1"})
    page = client.get("/events/vigil").get_data(as_text=True)
    assert "Union Square" in page and "<em>candles</em>" in page
    assert "Saturday 2 October 2027, 6:00 pm – 8:00 pm EDT" in page

    coordinator.post(f"/console/events/{event.id}/publish", data={"published": "0"})
    assert client.get("/events/vigil").status_code == 404
    actions = [e.action for e in fetch(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[1:] == ["event.create", "venue.add", "event.publish", "event.unpublish"]


def test_the_description_can_be_previewed_without_saving(coordinator, fetch):
    response = coordinator.post("/console/events/new", data={**NEW_EVENT, "preview": "1"})
    assert response.status_code == 200
    assert "<em>candles</em>" in response.get_data(as_text=True)
    assert fetch(sa.select(Event)) == []


def test_bad_event_forms_are_refused(coordinator, make_event, fetch):
    make_event(slug="taken")
    for changes, message in (
        ({"slug": "Not A Slug"}, "Lower-case letters, digits and single hyphens only."),
        ({"slug": "taken"}, "Another event already has this web address."),
        ({"ends_at": "2027-10-02T17:00"}, "The end must come after the start."),
        ({"starts_at": "2027-03-14T02:30", "ends_at": ""}, "does not exist on that day"),
        ({"starts_at": ""}, "Please give a start, or tick"),
        ({"stream_url": "javascript:alert(1)"}, "Please enter a"),
        ({"guest_limit": "500"}, "Between 0 and 50."),
        ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
    ):
        response = coordinator.post("/console/events/new", data={**NEW_EVENT, **changes})
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert len(fetch(sa.select(Event))) == 1


def test_moving_an_event_says_how_many_will_be_told_before_it_emails(
    client, coordinator, make_event, fetch, outbox
):
    event = make_event(timezone="America/New_York")
    for name in ("Ana", "Babak"):
        client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0], name=name,
                                                                  email=f"{name}@example.org"))
    form = {**NEW_EVENT, "title": event.title, "slug": event.slug,
            "starts_at": "2027-09-26T15:00", "ends_at": "2027-09-26T18:00"}

    ask = coordinator.post(f"/console/events/{event.id}/edit", data=form)
    assert ask.status_code == 200
    assert "This change will email <strong>2 people</strong>" in ask.get_data(as_text=True)
    assert fetch(sa.select(Event))[0].starts_at == event.starts_at  # not yet
    assert len(outbox()) == 2

    done = coordinator.post(f"/console/events/{event.id}/edit", data={**form, "confirmed": "1"})
    assert done.status_code == 303
    assert fetch(sa.select(Event))[0].starts_at == datetime(2027, 9, 26, 19, tzinfo=UTC)
    updates = outbox()[2:]
    assert len(updates) == 2 and {invite_of(m).sequence for m in updates} == {1}


def test_a_change_nobody_sees_needs_no_confirmation(coordinator, make_event, fetch, outbox):
    event = make_event()
    form = {**NEW_EVENT, "title": event.title, "slug": event.slug, "description": "New words",
            "starts_at": "2027-09-25T15:00", "ends_at": "2027-09-25T18:00"}
    assert coordinator.post(f"/console/events/{event.id}/edit", data=form).status_code == 303
    assert fetch(sa.select(Event))[0].description == "New words"


def test_cancelling_an_event_shows_the_count_then_tells_everyone(
    client, coordinator, make_event, fetch, outbox
):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    page = coordinator.get(f"/console/events/{event.id}/cancel").get_data(as_text=True)
    assert "<strong>1 email</strong>" in page
    assert fetch(sa.select(Event))[0].status is EventStatus.PUBLISHED
    assert coordinator.post(f"/console/events/{event.id}/cancel").status_code == 303
    assert fetch(sa.select(Event))[0].status is EventStatus.CANCELLED
    assert invite_of(outbox()[-1]).method == "CANCEL"


def test_venues_and_tasks_are_added_and_edited(coordinator, make_event, fetch):
    event = make_event()
    venue = event.venues[0]
    response = coordinator.post(f"/console/venues/{venue.id}/edit", data={
        "name": "Harlem", "address": "New address", "timezone": "America/New_York",
        "capacity": "5"})
    assert response.status_code == 303
    assert fetch(sa.select(Venue))[0].address == "New address"

    coordinator.post(f"/console/tasks/new?event={event.id}", data={
        "title": "Set up chairs", "venue_id": str(venue.id), "timezone": "America/New_York",
        "starts_at": "2027-09-25T13:30", "ends_at": "2027-09-25T15:00",
        "min_volunteers": "2", "max_volunteers": "4"})
    coordinator.post("/console/tasks/new", data={
        "title": "Translate", "venue_id": "0", "location": "From home",
        "timezone": "UTC", "min_volunteers": "1"})
    tasks = {t.title: t for t in fetch(sa.select(Task))}
    assert tasks["Set up chairs"].starts_at == datetime(2027, 9, 25, 17, 30, tzinfo=UTC)
    assert tasks["Translate"].event_id is None and tasks["Translate"].max_volunteers is None

    bad = coordinator.post(f"/console/tasks/{tasks['Translate'].id}/edit", data={
        "title": "Translate", "venue_id": "0", "timezone": "UTC", "min_volunteers": "5",
        "max_volunteers": "2"})
    assert bad.status_code == 422
    assert "At most cannot be fewer than at least." in bad.get_data(as_text=True)
    assert "Translate" in coordinator.get("/console/tasks").get_data(as_text=True)
