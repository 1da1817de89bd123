"""The last places go to exactly as many people as fit, however many
people press RSVP at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.helpers import rsvp_form
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

ATTEMPTS = 50
PLACES = 10


@pytest.mark.slow
def test_fifty_simultaneous_rsvps_fill_ten_places_exactly(app, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": PLACES}])
    venue = event.venues[0]
    start = threading.Barrier(ATTEMPTS)

    def rsvp(number: int) -> int:
        client = app.test_client()
        form = rsvp_form(venue, name=f"Person {number}", email=f"p{number}@example.org")
        start.wait()
        return client.post(f"/events/{event.slug}/rsvp", data=form).status_code

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        codes = list(pool.map(rsvp, range(ATTEMPTS)))

    assert codes == [303] * ATTEMPTS
    rsvps = fetch(sa.select(Rsvp))
    going = [r for r in rsvps if r.status is RsvpStatus.GOING]
    waitlisted = [r for r in rsvps if r.status is RsvpStatus.WAITLISTED]
    assert len(rsvps) == ATTEMPTS
    assert len(going) == PLACES
    assert len(waitlisted) == ATTEMPTS - PLACES
    # First come, first served: everyone going arrived before everyone waiting.
    assert max(r.id for r in going) < min(r.id for r in waitlisted)


@pytest.mark.slow
def test_simultaneous_cancellations_promote_each_waiting_person_once(app, make_event, fetch):
    event = make_event(venues=[{"name": "Harlem", "capacity": 5}])
    venue = event.venues[0]
    client = app.test_client()
    paths = [
        client.post(f"/events/{event.slug}/rsvp",
                    data=rsvp_form(venue, name=f"Person {n}")).headers["Location"]
        for n in range(10)
    ]
    start = threading.Barrier(5)

    def cancel(path: str) -> int:
        start.wait()
        return app.test_client().post(f"{path}/cancel").status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(cancel, paths[:5])) == [303] * 5

    statuses = [r.status for r in fetch(sa.select(Rsvp).order_by(Rsvp.id))]
    assert statuses == [RsvpStatus.CANCELLED] * 5 + [RsvpStatus.GOING] * 5


@pytest.mark.slow
def test_a_change_waiting_for_the_lock_sees_a_promotion_made_meanwhile(app, make_event, fetch):
    """Babak, waitlisted, asks for two guests while another transaction holds
    the lock and promotes him. His request must judge the RSVP as it is once
    it gets the lock (going), not as it read it before (waitlisted)."""
    event = make_event(venues=[{"name": "Harlem", "capacity": 2}])
    harlem = event.venues[0]
    client = app.test_client()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(harlem, name="Ana", guests="1"))
    babak = client.post(f"/events/{event.slug}/rsvp",
                        data=rsvp_form(harlem, name="Babak")).headers["Location"]

    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as holder:
        if engine.dialect.name == "sqlite":
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            holder.begin()
            holder.execute(sa.text("SELECT id FROM event WHERE id = :id FOR UPDATE"),
                           {"id": event.id})
        with ThreadPoolExecutor(max_workers=1) as pool:
            change = pool.submit(app.test_client().post, babak,
                                 data={"attendance": str(harlem.id), "guests": "2"})
            threading.Event().wait(0.5)  # the change is now waiting for the lock
            holder.execute(sa.text("UPDATE rsvp SET status = 'CANCELLED' WHERE name = 'Ana'"))
            holder.execute(sa.text(
                "UPDATE rsvp SET status = 'GOING', waitlisted_at = NULL WHERE name = 'Babak'"))
            holder.commit()
            response = change.result(timeout=30)
    engine.dispose()

    assert response.status_code == 422
    assert "does not have room for 3 people" in response.get_data(as_text=True)
    [rsvp] = fetch(sa.select(Rsvp).where(Rsvp.name == "Babak"))
    assert (rsvp.status, rsvp.guests) == (RsvpStatus.GOING, 0)
