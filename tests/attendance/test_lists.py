"""Attendance lists: one sheet per place with the people going, alphabetical,
in the venue's own time, with totals and rows for walk-ins; the same data as a
CSV that spreadsheets open safely; a fixed number of queries for any size."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.attendance.helpers import add_rsvps, read_csv
from tests.helpers import counting_queries, rsvp_form
from volunteer_hub import PROJECT_ROOT
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

BERKELEY_3PM = datetime(2027, 9, 25, 22, 0, tzinfo=UTC)  # 3:00 pm PDT


@pytest.fixture
def solidarity(make_event):
    """The demo afternoon: Harlem at 3 pm New York time, Berkeley at 3 pm
    California time, and online."""
    return make_event(title="An Afternoon of Solidarity", venues=[
        {"name": "Revolution Books Harlem", "capacity": 4},
        {"name": "Revolution Books Berkeley", "address": "2444 Durant Ave, Berkeley",
         "timezone": "America/Los_Angeles", "starts_at": BERKELEY_3PM,
         "ends_at": BERKELEY_3PM + timedelta(hours=3)},
    ])


def rsvp(client, event, place, name, guests=0):
    """RSVP through the public form, as ``name`` with an address of their own."""
    email = f"person-{abs(hash(name))}@example.org"
    response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(
        place, name=name, email=email, guests=str(guests)))
    assert response.status_code == 303


def names_in(html: str, section: str) -> list[str]:
    """The listed names, in order, in the sheet whose heading is ``section``."""
    start = html.index(f">{section}</h2>")
    end = html.find('<section class="sheet"', start)
    sheet = html[start:end if end > 0 else None]
    return re.findall(r'<td class="sheet-name"><bdi>(.*?)</bdi>', sheet)


def test_each_place_lists_the_people_going_alphabetically_with_totals(
    app, client, coordinator, solidarity
):
    harlem, berkeley = solidarity.venues
    rsvp(client, solidarity, harlem, "zahra", guests=1)
    rsvp(client, solidarity, harlem, "Émile")
    rsvp(client, solidarity, harlem, "Ali")
    rsvp(client, solidarity, harlem, "Waiting Person")  # Harlem is full: waitlisted
    rsvp(client, solidarity, berkeley, "شیرین", guests=2)
    rsvp(client, solidarity, berkeley, "Cancelled Person")
    rsvp(client, solidarity, "online", "Online Person")
    with app.app_context():
        db.session.execute(sa.update(Rsvp).where(Rsvp.name == "Cancelled Person")
                           .values(status=RsvpStatus.CANCELLED))
        db.session.commit()

    response = coordinator.get(f"/console/events/{solidarity.id}/attendance")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert names_in(html, "Revolution Books Harlem") == ["Ali", "Émile", "zahra"]
    assert names_in(html, "Revolution Books Berkeley") == ["شیرین"]
    assert names_in(html, "Online") == ["Online Person"]
    assert "Waiting Person" not in html and "Cancelled Person" not in html
    assert html.index("Revolution Books Harlem</h2>") < html.index(
        "Revolution Books Berkeley</h2>") < html.index(">Online</h2>")
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT" in html
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm PDT" in html
    assert "2444 Durant Ave, Berkeley" in html
    totals = re.findall(r'<p class="sheet-totals">(.*?)</p>', html)
    assert [re.sub(r"<.*?>", "", line) for line in totals] == [
        "On the list: 3 attendees + 1 guest = 4 people",
        "On the list: 1 attendee + 2 guests = 3 people",
        "On the list: 1 attendee + 0 guests = 1 person",
    ]
    for heading in ("Here", "Name", "Guests", "Attending", "Signature"):
        assert f'<th scope="col">{heading}</th>' in html or f'class="num">{heading}<' in html
    assert html.count(">Walk-ins</th>") == 2  # at the venues, not online
    assert html.count("<td>In person</td><td></td></tr>") == 40


def test_one_place_at_a_time_and_bad_places_are_not_found(
    app, client, coordinator, solidarity, make_event
):
    harlem, berkeley = solidarity.venues
    rsvp(client, solidarity, harlem, "Ali")
    rsvp(client, solidarity, "online", "Online Person")
    base = f"/console/events/{solidarity.id}/attendance"

    only_harlem = coordinator.get(f"{base}?venue={harlem.id}").get_data(as_text=True)
    assert "Ali" in only_harlem and "Online Person" not in only_harlem
    assert "Revolution Books Berkeley</h2>" not in only_harlem
    only_online = coordinator.get(f"{base}?venue=online").get_data(as_text=True)
    assert "Online Person" in only_online and "Ali" not in only_online
    empty = coordinator.get(f"{base}?venue={berkeley.id}").get_data(as_text=True)
    assert "Nobody is going here yet." in empty

    offline = make_event(online=False, stream_url=None)
    other_venue = offline.venues[0].id
    for url in (f"{base}?venue=nowhere", f"{base}?venue={other_venue}", f"{base}?venue=-1",
                f"{base}?venue=%00", f"{base}?venue=" + "9" * 5000, f"{base}?venue=١",
                f"{base}.csv?venue=nowhere",
                f"/console/events/{offline.id}/attendance?venue=online",
                "/console/events/999999/attendance", "/console/events/999999/attendance.csv"):
        assert coordinator.get(url).status_code == 404, url
    assert coordinator.get(f"{base}?venue=").status_code == 200  # all places


def test_an_event_without_online_attendance_has_no_online_sheet(coordinator, make_event):
    offline = make_event(online=False, stream_url=None)
    html = coordinator.get(f"/console/events/{offline.id}/attendance").get_data(as_text=True)
    assert "Revolution Books Harlem</h2>" in html and ">Online</h2>" not in html


def test_checked_in_people_are_ticked_already(app, coordinator, solidarity):
    harlem = solidarity.venues[0]
    add_rsvps(app, solidarity.id, [{"name": "Arrived", "venue_id": harlem.id, "checked_in": True},
                                   {"name": "Expected", "venue_id": harlem.id}])
    html = coordinator.get(f"/console/events/{solidarity.id}/attendance").get_data(as_text=True)
    assert html.count('<span class="visually-hidden">Checked in</span>') == 1


def test_tba_event_says_so_in_the_header(coordinator, make_event):
    event = make_event(starts_at=None, ends_at=None)
    html = coordinator.get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    assert "Date and time to be announced" in html


def test_csv_has_the_same_people_with_a_bom_as_an_attachment(app, client, coordinator, solidarity):
    harlem, berkeley = solidarity.venues
    rsvp(client, solidarity, harlem, "zahra", guests=1)
    rsvp(client, solidarity, harlem, "Ali")
    rsvp(client, solidarity, berkeley, "شیرین عبادی", guests=2)
    rsvp(client, solidarity, "online", "Online Person")

    response = coordinator.get(f"/console/events/{solidarity.id}/attendance.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=attendance-{solidarity.slug}.csv")
    assert response.headers["Cache-Control"] == "no-store"
    assert read_csv(response) == [
        ["Place", "Name", "Guests", "People", "Attendance", "Checked in"],
        ["Revolution Books Harlem", "Ali", "0", "1", "In person", ""],
        ["Revolution Books Harlem", "zahra", "1", "2", "In person", ""],
        ["Revolution Books Berkeley", "شیرین عبادی", "2", "3", "In person", ""],
        ["Online", "Online Person", "0", "1", "Online", ""],
    ]

    one = coordinator.get(f"/console/events/{solidarity.id}/attendance.csv?venue={berkeley.id}")
    assert one.headers["Content-Disposition"] == (
        f"attachment; filename=attendance-{solidarity.slug}-revolution-books-berkeley.csv")
    assert [row[1] for row in read_csv(one)] == ["Name", "شیرین عبادی"]


def test_csv_cells_that_look_like_formulas_are_kept_as_text(app, coordinator, solidarity):
    harlem = solidarity.venues[0]
    names = ['=HYPERLINK("http://evil.example","x")', "+1 555", "-2+3", "@SUM(A1)",
             "\tTabbed", "\rReturned", "  =padded", "Plain – name", "O'Brien"]
    add_rsvps(app, solidarity.id, [{"name": name, "venue_id": harlem.id} for name in names])

    rows = read_csv(coordinator.get(f"/console/events/{solidarity.id}/attendance.csv"))
    listed = {row[1] for row in rows[1:]}
    assert listed == {"'" + name for name in names[:7]} | {"Plain – name", "O'Brien"}


def test_the_console_event_page_links_to_the_lists(coordinator, solidarity):
    html = coordinator.get(f"/console/events/{solidarity.id}").get_data(as_text=True)
    assert f'href="/console/events/{solidarity.id}/attendance"' in html
    assert f'href="/console/events/{solidarity.id}/attendance.csv"' in html
    assert f'href="/console/rosters#event-{solidarity.id}"' in html


def test_print_styles_break_pages_between_places_and_repeat_table_headers():
    css = (PROJECT_ROOT / "static" / "css" / "site.css").read_text()
    print_section = css[css.index("/* Print"):]
    assert ".sheet + .sheet { break-before: page;" in print_section
    assert ".sheet-table thead { display: table-header-group; }" in print_section
    assert 'counter(page) " of " counter(pages)' in print_section


@pytest.mark.parametrize("suffix, listed", [
    ("", "Shirin"), (".csv", "Shirin"), ("?venue={venue}", "Shirin"), (".csv?venue=online", "Reza"),
])
def test_a_list_reads_its_event_once_and_is_audited_last(app, coordinator, solidarity, suffix,
                                                         listed):
    """The audit entry's commit expires what was loaded: written before the
    page or file, it made the event and each venue be read a second time."""
    add_rsvps(app, solidarity.id, [{"name": "Shirin", "venue_id": solidarity.venues[1].id},
                                   {"name": "Reza", "venue_id": None}])
    url = f"/console/events/{solidarity.id}/attendance{suffix}".format(
        venue=solidarity.venues[1].id)
    with counting_queries(app) as statements:
        response = coordinator.get(url)
    assert response.status_code == 200 and listed in response.get_data(as_text=True)
    reads = [" ".join(statement.split()) for statement in statements]
    assert len([read for read in reads if re.search(r"FROM event\b(?!_)", read)]) == 1, reads
    assert len([read for read in reads if "FROM venue" in read]) == 1, reads
    assert reads[-1].startswith("INSERT INTO audit_entry"), reads


@pytest.mark.slow
def test_a_list_of_10000_takes_as_many_queries_as_a_list_of_3(app, coordinator, make_event):
    small, large = make_event(), make_event()
    add_rsvps(app, small.id, [{"name": f"Person {n}", "venue_id": small.venues[0].id}
                              for n in range(3)])
    add_rsvps(app, large.id, [
        {"name": f"Person {n:05d}", "guests": n % 3,
         "venue_id": None if n % 4 == 0 else large.venues[0].id} for n in range(10_000)])

    counts, timings = {}, {}
    for event in (small, large):
        for suffix in ("", ".csv"):
            url = f"/console/events/{event.id}/attendance{suffix}"
            with counting_queries(app) as statements:
                started = time.perf_counter()
                response = coordinator.get(url)
                timings[url] = time.perf_counter() - started
            assert response.status_code == 200
            counts[event.id, suffix] = len(statements)
    assert counts[small.id, ""] == counts[large.id, ""]
    assert counts[small.id, ".csv"] == counts[large.id, ".csv"]
    big_page = coordinator.get(f"/console/events/{large.id}/attendance").get_data(as_text=True)
    assert big_page.count('<td class="sheet-name">') == 10_000
    print(f"queries: {counts}; seconds: {timings}")  # shown with pytest -s
