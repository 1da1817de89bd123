"""Edge cases found in review: each once gave a wrong answer or a 500."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import rsvp_form
from volunteer_hub.broadcasts.models import Broadcast
from volunteer_hub.markup import linkify
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def test_linkify_keeps_quotes_brackets_and_ampersands_out_of_links():
    assert str(linkify('"https://example.org"')) == (
        '&#34;<a href="https://example.org" rel="nofollow ugc noopener noreferrer">'
        'https://example.org</a>&#34;')
    assert 'href="https://x.org/a?b=1&amp;c=2"' in str(linkify("https://x.org/a?b=1&c=2 z"))
    assert "<a" not in str(linkify("javascript:alert(1)"))


def test_odd_digits_and_far_dates_are_no_500(coordinator, make_event):
    event = make_event()
    assert coordinator.get(f"/console/events/{event.id}?place=²").status_code == 200
    response = coordinator.post("/console/events/new", data={
        "title": "Far", "slug": "far", "timezone": "America/New_York",
        "starts_at": "9999-12-31T23:00", "guest_limit": "0"})
    assert response.status_code == 422


def test_a_cancelled_rsvp_cannot_absorb_its_duplicate(client, coordinator, make_event, fetch):
    event = make_event()
    for name in ("Shirin", "Shirin again"):
        client.post(f"/events/{event.slug}/rsvp",
                    data=rsvp_form(event.venues[0], name=name, email="shirin@example.org"))
    keep, duplicate = fetch(sa.select(Rsvp).order_by(Rsvp.id))
    coordinator.post(f"/console/rsvps/{keep.id}/cancel")
    coordinator.post(f"/console/rsvps/{keep.id}/merge/{duplicate.id}")
    assert fetch(sa.select(Rsvp).order_by(Rsvp.id))[1].status is RsvpStatus.GOING


def test_door_counts_leave_out_people_who_cancelled(client, coordinator, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    [rsvp] = fetch(sa.select(Rsvp))
    coordinator.post(f"/console/events/{event.id}/check-in/{rsvp.id}", data={"checked_in": "1"})
    coordinator.post(f"/console/rsvps/{rsvp.id}/cancel")
    html = coordinator.get(f"/console/events/{event.id}/check-in").get_data(as_text=True)
    assert "<strong data-checked-in>0</strong> of <strong data-going>0</strong>" in html


def test_a_double_clicked_broadcast_goes_out_once(client, coordinator, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    form = {"segment": "all", "subject": "Hello", "body": "Hi", "confirmed": "1"}
    first = coordinator.post(f"/console/events/{event.id}/message", data=form)
    second = coordinator.post(f"/console/events/{event.id}/message", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(fetch(sa.select(Broadcast))) == 1


def test_more_places_count_the_promoted_people_before_saving(client, coordinator, make_event,
                                                            fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    venue = event.venues[0]
    for name in ("Ana", "Babak"):
        client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(venue, name=name))
    form = {"name": "Harlem", "address": venue.address, "timezone": "America/New_York",
            "capacity": "5"}
    ask = coordinator.post(f"/console/venues/{venue.id}/edit", data=form)
    assert "This change will email <strong>1 person</strong>" in ask.get_data(as_text=True)
    assert fetch(sa.select(Rsvp).where(Rsvp.name == "Babak"))[0].status is RsvpStatus.WAITLISTED
