"""The public pages are valid HTML, as the W3C Nu HTML checker (vnu) sees them.

`make test` installs vnu.jar into .cache/vnu/ when npm and java are on the
machine and passes its path in VNU_JAR; without it this test is skipped.
The checker runs as a service, started once per test run (tests/vnu.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import manage_path, rsvp_form
from tests.vnu import Checker
from volunteer_hub.events.models import EventStatus


@pytest.fixture
def vnu(database_url: str, vnu_checker: Checker | str) -> Checker:
    """The checker, or a skip saying why it cannot run.

    The pages do not depend on the database, so they are checked once, on
    SQLite; asking for ``database_url`` here skips before the app is built."""
    if not database_url.startswith("sqlite"):
        pytest.skip("HTML validity does not depend on the database: checked on SQLite only")
    if isinstance(vnu_checker, str):
        pytest.skip(vnu_checker)
    return vnu_checker


def _render_public_pages(app, client, make_event) -> dict[str, str]:
    """Each page to check, by a file name, rendered as a visitor gets it."""
    pages: dict[str, str] = {}

    def keep(name: str, response, status: int = 200) -> None:
        assert response.status_code == status, (name, response.status_code)
        pages[name] = response.get_data(as_text=True)

    keep("home-empty", client.get("/"))

    # A time computed in Python carries microseconds; the page must cope.
    soon = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=123456)
    event = make_event(
        title="Rally for political prisoners",
        description=("An *afternoon* of solidarity.\n\n- speeches\n- music\n\n"
                     "[Read more](https://example.org/more)"),
        starts_at=soon, ends_at=soon + timedelta(hours=3),
        venues=[{"name": "Revolution Books Harlem", "capacity": 10},
                {"name": "Federal Plaza", "address": "26 Federal Plaza, New York",
                 "starts_at": soon + timedelta(hours=1), "ends_at": soon + timedelta(hours=2)}],
    )
    tba = make_event(title="UN press conference", starts_at=None, ends_at=None, online=False,
                     guest_limit=0, venues=[{"name": "UN Plaza", "capacity": 1}])
    cancelled = make_event(title="Vigil", status=EventStatus.CANCELLED,
                           starts_at=soon + timedelta(days=1), ends_at=None, venues=[])
    app.config["EVENTS_PER_PAGE"] = 2  # so the home page shows its pagination too
    keep("home", client.get("/"))
    keep("home-page-2", client.get("/?page=2"))

    keep("event", client.get(f"/events/{event.slug}"))
    keep("event-tba", client.get(f"/events/{tba.slug}"))
    keep("event-cancelled", client.get(f"/events/{cancelled.slug}"))

    invalid = rsvp_form(event.venues[0], name="", email="not-an-address", guests="99")
    del invalid["attendance"]
    keep("event-form-errors", client.post(f"/events/{event.slug}/rsvp", data=invalid), 422)

    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0], guests="1")))
    keep("manage-just-booked", client.get(path))
    keep("manage-change-error", client.post(path, data={"attendance": "", "guests": "99"}), 422)
    keep("confirm-cancel", client.get(f"{path}/cancel"))
    keep("confirm-delete", client.get(f"{path}/delete"))

    # The one place at UN Plaza is taken: the next RSVP waits, then cancels.
    client.post(f"/events/{tba.slug}/rsvp", data=rsvp_form(tba.venues[0], email="a@example.org"))
    waiting = manage_path(client.post(f"/events/{tba.slug}/rsvp",
                                      data=rsvp_form(tba.venues[0], email="b@example.org")))
    keep("manage-waitlisted", client.get(waiting))
    assert "You are on the waitlist" in pages["manage-waitlisted"]
    assert client.post(f"{waiting}/cancel").status_code == 303
    keep("manage-cancelled", client.get(waiting))
    assert "This RSVP is cancelled" in pages["manage-cancelled"]

    keep("not-found", client.get("/no-such-page"), 404)
    return pages


def _describe(name: str, message: dict) -> str:
    """One checker message as ``file:line:column: text`` and the HTML it is about."""
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", message.get("lastColumn", "?"))
    text = f"{name}:{line}:{column}: {message.get('type')}: {message.get('message')}"
    extract = message.get("extract")
    if extract:
        text += "\n    " + extract.replace("\n", "\n    ")
    return text


def assert_valid_html(vnu: Checker, pages: dict[str, str], folder: Path) -> None:
    """Check every page with the W3C checker and fail with each problem, its
    place and its HTML. The pages are kept in ``folder`` to look at."""
    folder.mkdir(exist_ok=True)
    problems = []
    for name, html in pages.items():
        file = folder / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        problems += [_describe(file.name, message) for message in vnu.check(html)]
    assert not problems, (
        f"vnu found {len(problems)} problem(s) in the rendered pages:\n" + "\n".join(problems)
    )


@pytest.mark.slow
def test_public_pages_are_valid_html(vnu, app, client, make_event, tmp_path):
    assert_valid_html(vnu, _render_public_pages(app, client, make_event), tmp_path / "pages")
