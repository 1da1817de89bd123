"""Checking people in at the door, with and without JavaScript."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.helpers import rsvp_form
from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def book(client, event, venue, name, **fields):
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(venue, name=name, **fields))


def test_door_lists_who_is_going_here_alphabetically(client, coordinator, make_event):
    event = make_event(venues=[{"name": "Harlem", "capacity": 3}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    book(client, event, harlem, "Zahra", guests="1")
    book(client, event, harlem, "ali")
    book(client, event, harlem, "Waiting Person")  # waitlisted
    book(client, event, berkeley, "Babak")

    html = coordinator.get(f"/console/events/{event.id}/check-in?place={harlem.id}").get_data(
        as_text=True)
    assert html.index('data-name="ali"') < html.index('data-name="zahra"')
    assert "+1" in html
    assert "Waiting Person" not in html and "Babak" not in html
    assert re.search(r"<strong data-checked-in>0</strong> of <strong data-going>2</strong>", html)
    assert "js/checkin.js" in html


def test_one_tap_checks_in_and_another_undoes_it(client, coordinator, make_event, fetch):
    event = make_event()
    book(client, event, event.venues[0], "Shirin")
    [rsvp] = fetch(sa.select(Rsvp))
    url = f"/console/events/{event.id}/check-in/{rsvp.id}"

    response = coordinator.post(url, data={"checked_in": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#rsvp-{rsvp.id}")
    assert fetch(sa.select(Rsvp))[0].checked_in_at is not None
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Undo" in page and "<strong data-checked-in>1</strong>" in page

    undo = coordinator.post(url, data={"checked_in": "0"}, headers={"Accept": "application/json"})
    assert undo.get_json() == {"checked_in": False, "checked_in_count": 0, "going": 1}
    assert fetch(sa.select(Rsvp))[0].checked_in_at is None
    assert [e.action for e in fetch(sa.select(AuditEntry))][-2:] == [
        "rsvp.check_in", "rsvp.check_in_undo"]


def test_search_without_javascript(client, coordinator, make_event):
    event = make_event()
    book(client, event, event.venues[0], "Shirin")
    book(client, event, event.venues[0], "Babak")
    html = coordinator.get(f"/console/events/{event.id}/check-in?q=shi").get_data(as_text=True)
    assert "Shirin" in html and "Babak" not in html
    nobody = coordinator.get(f"/console/events/{event.id}/check-in?q=zzz").get_data(as_text=True)
    assert "Add them as a walk-in below" in nobody


def test_walk_ins_are_added_and_checked_in_even_when_full(coordinator, make_event, fetch,
                                                          outbox):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    harlem = event.venues[0]
    url = f"/console/events/{event.id}/check-in/walk-in"
    for name in ("First Walk-in", "Second Walk-in"):
        response = coordinator.post(url, data={"name": name, "guests": "1", "place": harlem.id})
        assert response.status_code == 303
    rsvps = fetch(sa.select(Rsvp).order_by(Rsvp.id))
    assert [(r.name, r.status, r.guests, r.venue_id) for r in rsvps] == [
        ("First Walk-in", RsvpStatus.GOING, 1, harlem.id),
        ("Second Walk-in", RsvpStatus.GOING, 1, harlem.id)]
    assert all(r.checked_in_at is not None for r in rsvps)
    assert outbox() == []  # walk-ins get no email

    bad = coordinator.post(url, data={"name": "", "guests": "-1", "place": harlem.id})
    assert bad.status_code == 422
    assert len(fetch(sa.select(Rsvp))) == 2


def test_door_refuses_other_events_rsvps_and_unknown_ids(client, coordinator, make_event,
                                                          fetch):
    event, other = make_event(), make_event()
    book(client, other, other.venues[0], "Elsewhere")
    [rsvp] = fetch(sa.select(Rsvp))
    assert coordinator.post(f"/console/events/{event.id}/check-in/{rsvp.id}",
                            data={"checked_in": "1"}).status_code == 404
    assert coordinator.get("/console/events/999/check-in").status_code == 404
    assert coordinator.get(f"/console/events/{event.id}/check-in?place=nonsense").status_code == 200
