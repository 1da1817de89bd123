"""Volunteer rosters: a task's confirmed volunteers alphabetically with their
phone and languages, its waitlist apart and in order, printable and as CSV."""

from __future__ import annotations

import re

from tests.attendance.helpers import read_csv
from tests.helpers import signup_form, signup_path
from volunteer_hub.volunteers.models import TaskStatus


def sign_up(client, task_ids, name, **fields):
    """Sign up through the public form; returns the sign-up's manage path."""
    email = f"volunteer-{abs(hash(name))}@example.org"
    return signup_path(client.post("/volunteer", data=signup_form(
        task_ids, name=name, email=email, **fields)))


def test_roster_lists_confirmed_volunteers_alphabetically_and_the_waitlist_apart(
    client, coordinator, make_event, make_task
):
    event = make_event(title="An Afternoon of Solidarity")
    chairs = make_task(event, event.venues[0], title="Set up chairs", min_volunteers=1,
                       max_volunteers=3)
    sign_up(client, [chairs], "Zoë", phone="555 0100", languages="French, English")
    dropping = sign_up(client, [chairs], "Dropped Person")
    sign_up(client, [chairs], "ارش", phone="+98 912 000 0000", languages="فارسی")
    sign_up(client, [chairs], "Babak", phone="+1 555 0101", languages="Farsi")
    sign_up(client, [chairs], "Later", languages="English")
    assert client.post(f"{dropping}/drop/{chairs}").status_code == 303  # Babak moves up

    response = coordinator.get(f"/console/tasks/{chairs}/roster")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    confirmed, waitlist = html.split("<h3 class=\"sheet-subheading\">Waitlist</h3>")
    names = re.findall(r'<td class="sheet-name"><bdi>(.*?)</bdi>', confirmed)
    assert names == ["Babak", "Zoë", "ارش"]
    assert re.findall(r'<td class="sheet-name"><bdi>(.*?)</bdi>', waitlist) == ["Later"]
    assert "Dropped Person" not in html
    assert "+98 912 000 0000" in confirmed and "فارسی" in confirmed
    assert "An Afternoon of Solidarity" in html and "Set up chairs" in html
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT" in html
    assert "3</strong> confirmed of 3 places" in html

    csv_response = coordinator.get(f"/console/tasks/{chairs}/roster.csv")
    assert csv_response.headers["Content-Disposition"] == (
        f"attachment; filename=roster-{chairs}-set-up-chairs.csv")
    assert read_csv(csv_response) == [
        ["List", "Position", "Name", "Phone", "Languages"],
        ["Confirmed", "", "Babak", "'+1 555 0101", "Farsi"],
        ["Confirmed", "", "Zoë", "555 0100", "French, English"],
        ["Confirmed", "", "ارش", "'+98 912 000 0000", "فارسی"],
        ["Waitlist", "1", "Later", "", "English"],
    ]


def test_an_empty_roster_says_so(coordinator, make_task):
    task = make_task(title="ترجمه", min_volunteers=0)
    html = coordinator.get(f"/console/tasks/{task}/roster").get_data(as_text=True)
    assert "Nobody is confirmed yet." in html and "Nobody is on the waitlist." in html
    assert "Ongoing task" in html and "Any time" in html
    response = coordinator.get(f"/console/tasks/{task}/roster.csv")
    assert response.headers["Content-Disposition"] == f"attachment; filename=roster-{task}.csv"
    assert read_csv(response) == [["List", "Position", "Name", "Phone", "Languages"]]


def test_unknown_tasks_are_not_found(coordinator):
    assert coordinator.get("/console/tasks/999999/roster").status_code == 404
    assert coordinator.get("/console/tasks/999999/roster.csv").status_code == 404


def test_roster_index_groups_tasks_by_event_with_counts_and_links(
    client, coordinator, make_event, make_task
):
    event = make_event(title="An Afternoon of Solidarity")
    chairs = make_task(event, title="Set up chairs", min_volunteers=1, max_volunteers=1)
    make_task(event, title="Cancelled task", status=TaskStatus.CANCELLED)
    translate = make_task(title="Translate the appeal")
    sign_up(client, [chairs], "Leila")
    sign_up(client, [chairs], "Babak")

    html = coordinator.get("/console/rosters").get_data(as_text=True)
    assert f'<h2 id="event-{event.id}">An Afternoon of Solidarity</h2>' in html
    assert html.index("Set up chairs") < html.index('<h2 id="ongoing">Ongoing tasks</h2>') < \
        html.index("Translate the appeal")
    row = re.search(r"<tr>\s*<td>Set up chairs</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', row) == ["1", "1", "1"]
    assert 'Cancelled task <span class="badge badge-cancelled">Cancelled</span>' in html
    assert f'href="/console/tasks/{chairs}/roster"' in html
    assert f'href="/console/tasks/{translate}/roster.csv"' in html


def test_roster_index_without_tasks(coordinator):
    assert "No tasks yet." in coordinator.get("/console/rosters").get_data(as_text=True)
