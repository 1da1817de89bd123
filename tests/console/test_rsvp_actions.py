"""Coordinators act for people: move, promote, cancel, merge duplicates."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import invite_of, rsvp_form
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def book(client, event, venue, name, **fields):
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(venue, name=name, **fields))


def by_name(fetch):
    return {r.name: r for r in fetch(sa.select(Rsvp))}


def test_promote_move_and_cancel_on_someones_behalf(client, coordinator, make_event, fetch,
                                                    outbox):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    book(client, event, harlem, "Ana")
    book(client, event, harlem, "Babak", email="babak@example.org")
    babak = by_name(fetch)["Babak"]
    assert babak.status is RsvpStatus.WAITLISTED

    page = coordinator.get(f"/console/rsvps/{babak.id}").get_data(as_text=True)
    assert "Promote from the waitlist" in page and "babak@example.org" in page

    assert coordinator.post(f"/console/rsvps/{babak.id}/promote").status_code == 303
    assert by_name(fetch)["Babak"].status is RsvpStatus.GOING  # past capacity, by choice
    assert invite_of(outbox()[-1]).method == "REQUEST"

    coordinator.post(f"/console/rsvps/{babak.id}/move",
                     data={"attendance": str(berkeley.id), "guests": "0"})
    assert by_name(fetch)["Babak"].venue_id == berkeley.id

    coordinator.post(f"/console/rsvps/{babak.id}/cancel")
    assert by_name(fetch)["Babak"].status is RsvpStatus.CANCELLED
    assert invite_of(outbox()[-1]).method == "CANCEL"

    again = coordinator.post(f"/console/rsvps/{babak.id}/promote")
    assert "Only someone on the waitlist can be promoted." in coordinator.get(
        again.headers["Location"]).get_data(as_text=True)


def test_duplicates_are_flagged_and_merged(client, coordinator, make_event, fetch, outbox):
    event = make_event()
    book(client, event, event.venues[0], "Shirin", email="shirin@example.org")
    book(client, event, "online", "Shirin again", email="SHIRIN@example.org")
    rsvps = by_name(fetch)
    keep, duplicate = rsvps["Shirin"], rsvps["Shirin again"]

    listing = coordinator.get(f"/console/events/{event.id}").get_data(as_text=True)
    assert listing.count("Possible duplicate") == 2
    page = coordinator.get(f"/console/rsvps/{keep.id}").get_data(as_text=True)
    assert "Shirin again" in page and "Merge into this one" in page

    coordinator.post(f"/console/rsvps/{keep.id}/merge/{duplicate.id}")
    rsvps = by_name(fetch)
    assert (rsvps["Shirin"].status, rsvps["Shirin again"].status) == (
        RsvpStatus.GOING, RsvpStatus.CANCELLED)
    assert outbox()[-1]["Subject"].startswith("Two RSVPs made one")
    assert "Possible duplicate" not in coordinator.get(
        f"/console/events/{event.id}").get_data(as_text=True)


def test_a_merge_of_different_people_is_refused(client, coordinator, make_event, fetch):
    event = make_event()
    book(client, event, event.venues[0], "Ana", email="ana@example.org")
    book(client, event, event.venues[0], "Babak", email="babak@example.org")
    rsvps = by_name(fetch)
    response = coordinator.post(f"/console/rsvps/{rsvps['Ana'].id}/merge/{rsvps['Babak'].id}")
    assert "Only two RSVPs with the same email address" in coordinator.get(
        response.headers["Location"]).get_data(as_text=True)
    assert by_name(fetch)["Babak"].status is RsvpStatus.GOING
    assert coordinator.get("/console/rsvps/9999").status_code == 404
