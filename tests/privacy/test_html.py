"""The privacy pages, and the console's pages after a purge, are valid HTML
as the W3C checker sees them (skipped, saying why, where it cannot run)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.privacy.conftest import book, sign_up
from tests.test_html_validity import assert_valid_html, vnu  # noqa: F401 (a fixture)
from volunteer_hub.rsvps.models import Rsvp


@pytest.mark.slow
def test_privacy_pages_are_valid_html(vnu, app, client, coordinator, make_event,  # noqa: F811
                                      make_task, purge, fetch, tmp_path):
    pages: dict[str, str] = {}

    def keep(name: str, response) -> None:
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.get_data(as_text=True)

    event = make_event(title="Afternoon of Solidarity")
    task = make_task(event=event, venue=event.venues[0], title="Set up chairs")
    rsvp = book(client, event, name="Shirin")
    signup = sign_up(client, [task], name="Leila")
    client.post(f"/events/{event.slug}/comments",
                data={"comment-name": "Kaveh", "comment-body": "Free them all!"})
    coordinator.post("/console/comments/1", data={"state": "approved"})
    keep("rsvp-manage", client.get(rsvp))
    keep("rsvp-delete", client.get(f"{rsvp}/delete"))
    keep("signup-manage", client.get(signup))
    keep("signup-delete", client.get(f"{signup}/delete"))
    keep("rsvp-link-sent", client.get("/rsvp/link-sent"))
    keep("signup-link-sent", client.get("/signup/link-sent"))

    purge(SATURDAY_3PM_NEW_YORK + timedelta(days=40))
    [rsvp_id] = fetch(sa.select(Rsvp.id))
    keep("console-event-purged", coordinator.get(f"/console/events/{event.id}"))
    keep("console-rsvp-purged", coordinator.get(f"/console/rsvps/{rsvp_id}"))
    keep("attendance-purged", coordinator.get(f"/console/events/{event.id}/attendance"))
    keep("door-purged", coordinator.get(f"/console/events/{event.id}/check-in"))
    keep("roster-purged", coordinator.get(f"/console/tasks/{task}/roster"))
    keep("event-anonymous-comment", client.get(f"/events/{event.slug}"))
    assert "Personal data removed" in pages["attendance-purged"]

    assert_valid_html(vnu, pages, tmp_path / "pages")
