"""Coordinators describe each venue's accessibility in the venue editor."""

from __future__ import annotations

import sqlalchemy as sa

from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.events.models import Venue

ACCESS = ("Step-free entrance from the side street.\n"
          "Captions on the screen; plan: https://example.org/access <b>bold</b>")
VENUE = {"name": "Revolution Books Harlem", "address": "437 Malcolm X Blvd, New York",
         "timezone": "America/New_York", "capacity": "60"}


def test_venue_accessibility_is_edited_in_the_console(
        coordinator, make_event, fetch, outbox):
    event = make_event()
    venue = event.venues[0]
    form = coordinator.get(f"/console/venues/{venue.id}/edit").get_data(as_text=True)
    assert ("Accessibility: step-free entry, seating, toilets, captions or interpretation"
            in form)

    response = coordinator.post(f"/console/venues/{venue.id}/edit",
                                data={**VENUE, "accessibility": ACCESS})
    assert response.status_code == 303
    [saved] = fetch(sa.select(Venue))
    assert saved.accessibility == ACCESS
    assert outbox() == []  # nothing a calendar shows changed
    assert fetch(sa.select(AuditEntry.action).where(AuditEntry.action == "venue.update"))

    assert coordinator.get(f"/console/venues/{venue.id}/edit").get_data(
        as_text=True).count("Step-free entrance from the side street.") == 1


def test_a_new_venue_takes_accessibility(
        coordinator, make_event, fetch):
    event = make_event(venues=[])
    coordinator.post(f"/console/events/{event.id}/venues/new",
                     data={**VENUE, "accessibility": "Seats for everyone."})
    coordinator.post(f"/console/events/{event.id}/venues/new",
                     data={**VENUE, "name": "Revolution Books Berkeley"})
    assert [v.accessibility for v in fetch(sa.select(Venue).order_by(Venue.id))] == [
        "Seats for everyone.", ""]


def test_overlong_accessibility_is_refused(coordinator, make_event, fetch):
    event = make_event()
    venue = event.venues[0]
    response = coordinator.post(f"/console/venues/{venue.id}/edit",
                                data={**VENUE, "accessibility": "x" * 2001})
    assert response.status_code == 422
    assert "Field cannot be longer than 2000 characters." in response.get_data(as_text=True)
    assert fetch(sa.select(Venue.accessibility)) == [""]
