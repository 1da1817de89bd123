"""Venues fill up in people (attendee plus guests); the waitlist moves up
first come, first served."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def post_rsvp(client, event, venue, **fields):
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(venue, **fields)))


def statuses(fetch):
    return {r.name: r.status for r in fetch(sa.select(Rsvp))}


def test_full_venue_puts_new_rsvps_on_the_waitlist_and_says_so(client, make_event, fetch, outbox):
    event = make_event(venues=[{"name": "Harlem", "capacity": 3}])
    harlem = event.venues[0]
    post_rsvp(client, event, harlem, name="Ana", guests="2")
    waiting = post_rsvp(client, event, harlem, name="Babak")

    assert statuses(fetch) == {"Ana": RsvpStatus.GOING, "Babak": RsvpStatus.WAITLISTED}
    assert "You are on the waitlist" in client.get(waiting).get_data(as_text=True)
    assert "Full: new RSVPs join the waitlist" in client.get(
        f"/events/{event.slug}").get_data(as_text=True)
    assert outbox()[-1]["Subject"] == f"You are on the waitlist: {event.title}"


def test_event_page_counts_places_left_in_people(client, make_event):
    event = make_event(venues=[{"name": "Harlem", "capacity": 10}, {"name": "Berkeley"}])
    post_rsvp(client, event, event.venues[0], guests="3")
    post_rsvp(client, event, "online", guests="2")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "6 places left" in html
    assert html.count("places left") == 1  # Berkeley has no limit, online is not counted


def test_cancelling_promotes_the_first_waitlisted_rsvp_that_fits(client, make_event, fetch, outbox):
    event = make_event(venues=[{"name": "Harlem", "capacity": 3}])
    harlem = event.venues[0]
    first = post_rsvp(client, event, harlem, name="Ana", guests="1")
    post_rsvp(client, event, harlem, name="Babak")
    post_rsvp(client, event, harlem, name="Cyrus", guests="2")  # needs 3: waits
    post_rsvp(client, event, harlem, name="Dara", guests="1")  # needs 2: waits
    post_rsvp(client, event, harlem, name="Elham")  # needs 1: waits
    assert statuses(fetch)["Cyrus"] is RsvpStatus.WAITLISTED

    client.post(f"{first}/cancel")

    # Two places freed: Cyrus (3) does not fit, Dara (2) is next in line and does.
    assert statuses(fetch) == {
        "Ana": RsvpStatus.CANCELLED, "Babak": RsvpStatus.GOING,
        "Cyrus": RsvpStatus.WAITLISTED, "Dara": RsvpStatus.GOING,
        "Elham": RsvpStatus.WAITLISTED,
    }
    promoted = [m for m in outbox() if m["Subject"].startswith("A place is yours")]
    assert [m["To"].addresses[0].display_name for m in promoted] == ["Dara"]


def test_fewer_guests_frees_places_for_the_waitlist(client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 4}])
    harlem = event.venues[0]
    ana = post_rsvp(client, event, harlem, name="Ana", guests="3")
    post_rsvp(client, event, harlem, name="Babak", guests="1")

    response = client.post(ana, data={"attendance": str(harlem.id), "guests": "1"})
    assert response.status_code == 303
    assert statuses(fetch) == {"Ana": RsvpStatus.GOING, "Babak": RsvpStatus.GOING}


def test_switching_venue_frees_the_old_place(client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}, {"name": "Berkeley"}])
    harlem, berkeley = event.venues
    ana = post_rsvp(client, event, harlem, name="Ana")
    post_rsvp(client, event, harlem, name="Babak")

    client.post(ana, data={"attendance": str(berkeley.id), "guests": "0"})
    rsvps = {r.name: (r.status, r.venue_id) for r in fetch(sa.select(Rsvp))}
    assert rsvps == {"Ana": (RsvpStatus.GOING, berkeley.id),
                     "Babak": (RsvpStatus.GOING, harlem.id)}


def test_a_change_that_does_not_fit_is_refused_and_the_place_kept(client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 2}, {"name": "Berkeley",
                                                                     "capacity": 1}])
    harlem, berkeley = event.venues
    ana = post_rsvp(client, event, harlem, name="Ana")
    post_rsvp(client, event, berkeley, name="Babak")

    more_guests = client.post(ana, data={"attendance": str(harlem.id), "guests": "2"})
    full_venue = client.post(ana, data={"attendance": str(berkeley.id), "guests": "0"})

    assert more_guests.status_code == full_venue.status_code == 422
    assert ("Harlem does not have room for 3 people (2 places free, counting yours). "
            "Your RSVP is unchanged.") in more_guests.get_data(as_text=True)
    assert "Berkeley does not have room for 1 person (0 places free)" in full_venue.get_data(
        as_text=True)
    [ana_rsvp] = fetch(sa.select(Rsvp).where(Rsvp.name == "Ana"))
    assert (ana_rsvp.status, ana_rsvp.venue_id, ana_rsvp.guests) == (
        RsvpStatus.GOING, harlem.id, 0)


def test_waitlisted_person_switching_online_gets_in(client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    harlem = event.venues[0]
    post_rsvp(client, event, harlem, name="Ana")
    babak = post_rsvp(client, event, harlem, name="Babak")

    client.post(babak, data={"attendance": "online", "guests": "0"})
    [rsvp] = fetch(sa.select(Rsvp).where(Rsvp.name == "Babak"))
    assert (rsvp.status, rsvp.venue_id, rsvp.waitlisted_at) == (RsvpStatus.GOING, None, None)


def test_deleting_a_going_rsvp_promotes_the_waitlist(client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    harlem = event.venues[0]
    ana = post_rsvp(client, event, harlem, name="Ana")
    post_rsvp(client, event, harlem, name="Babak")

    client.post(f"{ana}/delete")
    assert statuses(fetch) == {"Babak": RsvpStatus.GOING}


def test_someone_going_may_always_bring_fewer_guests(app, client, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 4}])
    harlem = event.venues[0]
    ana = post_rsvp(client, event, harlem, name="Ana", guests="3")
    with app.app_context():  # a coordinator cut the capacity: now overbooked
        from volunteer_hub.events.models import Venue
        from volunteer_hub.extensions import db

        db.session.get(Venue, harlem.id).capacity = 2
        db.session.commit()

    response = client.post(ana, data={"attendance": str(harlem.id), "guests": "2"})
    assert response.status_code == 303
    assert fetch(sa.select(Rsvp))[0].guests == 2


def test_no_promotion_once_the_event_is_cancelled(app, client, make_event, fetch, outbox):
    from volunteer_hub.events.models import Event, EventStatus
    from volunteer_hub.extensions import db

    event = make_event(venues=[{"name": "Harlem", "capacity": 1}])
    ana = post_rsvp(client, event, event.venues[0], name="Ana")
    post_rsvp(client, event, event.venues[0], name="Babak")
    with app.app_context():
        db.session.get(Event, event.id).status = EventStatus.CANCELLED
        db.session.commit()

    client.post(f"{ana}/cancel")
    assert statuses(fetch)["Babak"] is RsvpStatus.WAITLISTED
    assert not any(m["Subject"].startswith("A place is yours") for m in outbox())
