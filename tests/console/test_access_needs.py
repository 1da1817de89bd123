"""What people asked us to arrange so they can take part is shown to
coordinators (the RSVP list, the RSVP page, the printed attendance list)
and to nobody else."""

from __future__ import annotations

import sqlalchemy as sa

from tests.attendance.helpers import add_rsvps
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp

NEEDS = "Step-free entry please; I use a wheelchair."


def _with_needs(app, event):
    add_rsvps(app, event.id, [{"name": "Shirin", "venue_id": event.venues[0].id},
                              {"name": "Babak", "venue_id": event.venues[0].id}])
    with app.app_context():
        db.session.execute(sa.update(Rsvp).where(Rsvp.name == "Shirin").values(
            access_needs=NEEDS))
        db.session.commit()
        return db.session.scalar(sa.select(Rsvp.id).where(Rsvp.name == "Shirin"))


def test_coordinators_see_access_needs_where_they_work(app, coordinator, make_event):
    event = make_event()
    shirin = _with_needs(app, event)

    listing = coordinator.get(f"/console/events/{event.id}").get_data(as_text=True)
    assert listing.count(">Access needs</span>") == 1
    assert "are marked “Access needs”" in listing
    page = coordinator.get(f"/console/rsvps/{shirin}").get_data(as_text=True)
    assert f"<dt>Access needs</dt><dd><span class=\"note\">{NEEDS}</span></dd>" in page
    sheet = coordinator.get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    assert f'<small class="sheet-needs">Access needs: <bdi>{NEEDS}</bdi></small>' in sheet
    assert sheet.count("Access needs:") == 1  # Babak asked for nothing


def test_the_public_never_sees_access_needs(app, client, make_event):
    event = make_event()
    _with_needs(app, event)
    for path in (f"/events/{event.slug}", "/", "/volunteer"):
        assert "wheelchair" not in client.get(path).get_data(as_text=True)
    assert client.get(f"/console/events/{event.id}/attendance").status_code == 302
