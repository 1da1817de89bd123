"""Each venue's count of people going (``Venue.people_going``) is kept by the
database, so capacity is decided by reading one row, and the count matches
the RSVPs whatever changed them."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import counting_queries, manage_path, rsvp_form
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def counted_and_actual(app, event) -> dict[str, tuple[int, int]]:
    """Per venue: the kept count, and the people going added up afresh."""
    actual = sa.select(sa.func.coalesce(sa.func.sum(1 + Rsvp.guests), 0)).where(
        Rsvp.venue_id == Venue.id, Rsvp.status == RsvpStatus.GOING).scalar_subquery()
    with app.app_context():
        return {name: (kept, real) for name, kept, real in db.session.execute(
            sa.select(Venue.name, Venue.people_going, actual).where(Venue.event_id == event.id))}


def assert_counts(app, event, **expected: int) -> None:
    counts = counted_and_actual(app, event)
    assert {name: kept for name, (kept, _) in counts.items()} == expected
    assert all(kept == real for kept, real in counts.values()), counts


def book(client, event, venue, name, **fields) -> str:
    return manage_path(client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        venue, name=name, email=f"{name.lower()}@example.org", **fields)))


def test_counts_follow_every_change_people_make(app, client, coordinator, make_event,
                                                 fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 4}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    ana = book(client, event, harlem, "Ana", guests="2")
    babak = book(client, event, harlem, "Babak", guests="1")  # 3 + 2 > 4: waitlisted
    book(client, event, "online", "Cyrus", guests="3")  # online takes no place
    assert_counts(app, event, Harlem=3, Berkeley=0)

    assert client.post(ana, data={"attendance": str(harlem.id), "guests": "0"}).status_code == 303
    assert_counts(app, event, Harlem=3, Berkeley=0)  # Ana 1, and Babak (2) moved up
    assert client.post(babak, data={"attendance": str(berkeley.id),
                                    "guests": "1"}).status_code == 303
    assert_counts(app, event, Harlem=1, Berkeley=2)
    assert client.post(f"{ana}/cancel").status_code == 303
    assert_counts(app, event, Harlem=0, Berkeley=2)
    assert client.post(f"{babak}/delete").status_code == 303
    assert_counts(app, event, Harlem=0, Berkeley=0)

    walk_in = f"/console/events/{event.id}/check-in/walk-in"
    assert coordinator.post(walk_in, data={"name": "Dara", "guests": "4",
                                           "place": harlem.id}).status_code == 303
    assert_counts(app, event, Harlem=5, Berkeley=0)  # the door may go past capacity
    book(client, event, harlem, "Elham")
    [elham] = fetch(sa.select(Rsvp).where(Rsvp.name == "Elham"))
    assert elham.status is RsvpStatus.WAITLISTED
    assert coordinator.post(f"/console/rsvps/{elham.id}/promote").status_code == 303
    assert_counts(app, event, Harlem=6, Berkeley=0)


def test_counts_follow_writes_that_bypass_the_services(app, client, make_event):
    event = make_event(venues=[{"name": "Harlem"}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    for name in ("Ana", "Babak", "Cyrus"):
        book(client, event, harlem, name, guests="1")
    with app.app_context():
        db.session.execute(sa.update(Rsvp).where(Rsvp.name == "Ana").values(venue_id=berkeley.id))
        db.session.execute(sa.update(Rsvp).where(Rsvp.name == "Babak").values(
            status=RsvpStatus.CANCELLED))
        db.session.execute(sa.update(Rsvp).where(Rsvp.name == "Cyrus").values(guests=5))
        db.session.commit()
    assert_counts(app, event, Harlem=6, Berkeley=2)
    with app.app_context():
        db.session.execute(sa.delete(Rsvp))
        db.session.commit()
    assert_counts(app, event, Harlem=0, Berkeley=0)


def test_deciding_capacity_reads_the_count_not_every_rsvp(app, client, make_event):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1000}])
    harlem = event.venues[0]
    for number in range(20):
        book(client, event, harlem, f"Early{number}")
    with counting_queries(app) as statements:
        book(client, event, harlem, "Late")
    assert statements and not any("sum(" in statement.lower() for statement in statements)
    assert "979 places left" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_form_checked_against_the_kept_page_is_booked_on_the_event_as_it_is_now(
        app, client, make_event, fetch):
    # The form is checked against the event as its page showed it, kept up to
    # PAGE_CACHE_SECONDS; the booking reads the event again under the lock.
    app.config["PAGE_CACHE_SECONDS"] = 60
    event = make_event(guest_limit=3, venues=[{"name": "Harlem", "capacity": 2}])
    harlem = event.venues[0]
    book(client, event, harlem, "Ana")  # the outline is kept from here on
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event.id).values(guest_limit=0))
        db.session.execute(sa.update(Venue).where(Venue.id == harlem.id).values(capacity=1))
        db.session.commit()

    refused = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        harlem, name="Babak", email="babak@example.org", guests="2"))
    assert refused.status_code == 422
    assert "This event has no places for guests." not in refused.get_data(as_text=True)
    assert "You can bring up to 0 guests." in refused.get_data(as_text=True)
    book(client, event, harlem, "Cyrus")  # capacity 1, Ana has it: the waitlist
    assert {r.name: r.status for r in fetch(sa.select(Rsvp))} == {
        "Ana": RsvpStatus.GOING, "Cyrus": RsvpStatus.WAITLISTED}

    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event.id).values(
            status=EventStatus.CANCELLED))
        db.session.commit()
    closed = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        harlem, name="Dara", email="dara@example.org"))
    assert closed.status_code == 422
    assert "This event has been cancelled." in closed.get_data(as_text=True)
    assert len(fetch(sa.select(Rsvp))) == 2
