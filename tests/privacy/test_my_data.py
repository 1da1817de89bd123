"""A person's own data from their manage link: download it, delete it, or
retire the link for a new one."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from tests.helpers import invite_of, text_of
from tests.privacy.conftest import book, sign_up
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Signup

MANAGE_LINK = re.compile(r"https://hub\.example\.org(/(?:rsvp|signup)/[A-Za-z0-9_-]{43})")


def _download(client, path):
    response = client.get(f"{path}/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_rsvp_download_holds_that_rsvp_and_nothing_else(client, make_event):
    event = make_event(title="Afternoon of Solidarity")
    other_event = make_event(title="UN press conference")
    path = book(client, event, name="Shirin", email="Shirin@Example.org", guests="2",
                keep_updated="y")
    book(client, other_event, name="Shirin elsewhere", email="shirin@example.org")
    book(client, event, name="Someone Else", email="else@example.org")

    page = client.get(path).get_data(as_text=True)
    assert "Download my data" in page and "Send me a new link" in page

    data = _download(client, path)
    assert data["rsvp"]["name"] == "Shirin" and data["rsvp"]["email"] == "Shirin@example.org"
    assert (data["rsvp"]["status"], data["rsvp"]["attendance"], data["rsvp"]["guests"],
            data["rsvp"]["keep_me_updated"]) == ("going", "in person", 2, True)
    assert data["rsvp"]["venue"]["name"] == "Revolution Books Harlem"
    assert (data["rsvp"]["access_needs"], data["rsvp"]["language"]) == ("", "en")
    assert data["event"]["title"] == "Afternoon of Solidarity"
    assert [m["subject"] for m in data["emails"]] == ["RSVP confirmed: Afternoon of Solidarity"]
    assert data["personal_calendar_feed"] == {"exists": True}  # nothing about its age
    assert "not included" in data["about"] and "Find my RSVPs and tasks" in data["about"]
    text = json.dumps(data)
    for elsewhere in ("Shirin elsewhere", "UN press conference", "Someone Else",
                      "else@example.org"):
        assert elsewhere not in text
    assert path.rsplit("/", 1)[1] not in text  # the link's token is not in the file


def test_sign_up_download_holds_that_sign_up_and_its_tasks(client, make_task):
    chairs = make_task(title="Set up chairs")
    leaflets = make_task(title="Hand out leaflets")
    path = sign_up(client, [chairs, leaflets], name="Leila", email="leila@example.org",
                   phone="+1 212 555 0100", languages="Farsi", skills="design", note="Evenings")
    sign_up(client, [chairs], name="Leila again", email="leila@example.org")

    data = _download(client, path)
    assert {key: data["signup"][key] for key in ("name", "phone", "languages", "skills",
                                                 "note")} == {
        "name": "Leila", "phone": "+1 212 555 0100", "languages": "Farsi", "skills": "design",
        "note": "Evenings"}
    assert [(t["title"], t["status"]) for t in data["tasks"]] == [
        ("Set up chairs", "confirmed"), ("Hand out leaflets", "confirmed")]
    assert [m["subject"] for m in data["emails"]] == ["Thank you for volunteering"]
    assert "Leila again" not in json.dumps(data)


def test_rsvp_delete_asks_first_then_frees_the_place_as_cancelling_does(
        client, make_event, fetch, outbox):
    """The waitlisted person gets the same email whether a place frees up by
    a cancellation or a deletion."""
    emails = {}
    for how in ("cancel", "delete"):
        event = make_event(title=f"Event to {how}", venues=[{"name": "Harlem", "capacity": 1}])
        path = book(client, event, name=f"Going {how}", email=f"going-{how}@example.org")
        book(client, event, name=f"Waiting {how}", email=f"waiting-{how}@example.org")
        before = len(outbox())

        confirm = client.get(f"{path}/{how}")
        assert confirm.status_code == 200
        assert "If anyone is on the waitlist" in confirm.get_data(as_text=True) or (
            "if anyone is on the waitlist" in confirm.get_data(as_text=True))
        assert len(outbox()) == before  # the GET changed nothing
        assert client.post(f"{path}/{how}").status_code == 303
        emails[how] = [(m["To"], m["Subject"]) for m in outbox()[before:]
                       if m["To"].startswith("Waiting")]
        waiting = fetch(sa.select(Rsvp).where(Rsvp.name == f"Waiting {how}"))[0]
        assert waiting.status is RsvpStatus.GOING

    assert emails["cancel"] == [("Waiting cancel <waiting-cancel@example.org>",
                                 "A place is yours: Event to cancel")]
    assert emails["delete"] == [("Waiting delete <waiting-delete@example.org>",
                                 "A place is yours: Event to delete")]
    assert fetch(sa.select(Rsvp.name).where(Rsvp.name.like("Going%"))) == ["Going cancel"]


def test_rsvp_delete_page_says_what_will_happen(client, make_event):
    event = make_event()
    path = book(client, event)
    page = client.get(f"{path}/delete").get_data(as_text=True)
    assert "your place goes to them" in page.replace("it goes to them", "your place goes to them")
    assert "one last email that removes the event from your calendar" in page
    assert "Your other RSVPs and volunteer tasks, if you have any, are not touched." in page
    assert "Download my data" in page and "This cannot be undone." in page


def test_deleting_the_last_record_of_an_address_deletes_its_calendar_feed(
        client, make_event, make_task, fetch):
    event = make_event()
    first = book(client, event, email="bahar@example.org")
    task = make_task()
    volunteering = sign_up(client, [task], email="bahar@example.org")
    assert len(fetch(sa.select(CalendarFeed))) == 1

    client.post(f"{first}/delete")
    assert len(fetch(sa.select(CalendarFeed))) == 1  # the sign-up still uses it
    assert client.get(f"{volunteering}/delete").status_code == 200
    client.post(f"{volunteering}/delete")
    assert fetch(sa.select(CalendarFeed)) == []
    assert fetch(sa.select(Signup)) == [] and fetch(sa.select(Assignment)) == []


def test_sign_up_delete_promotes_the_waitlist(client, make_task, fetch, outbox):
    task = make_task(title="Staff the literature table", min_volunteers=1, max_volunteers=1)
    first = sign_up(client, [task], name="First", email="first@example.org")
    sign_up(client, [task], name="Second", email="second@example.org")
    page = client.get(f"{first}/delete").get_data(as_text=True)
    assert "the place goes to them" in page
    assert client.post(f"{first}/delete").status_code == 303
    assert [(a.status) for a in fetch(sa.select(Assignment))] == [AssignmentStatus.CONFIRMED]
    assert outbox()[-1]["Subject"] == "A place is yours: Staff the literature table"
    assert outbox()[-1]["To"] == "Second <second@example.org>"


def test_a_new_rsvp_link_retires_the_old_one_and_is_emailed(client, make_event, outbox, fetch):
    event = make_event(title="Afternoon of Solidarity")
    old = book(client, event, name="Shirin", email="shirin@example.org")
    other = book(client, event, name="Babak", email="babak@example.org")
    uid = invite_of(outbox()[0]).uid

    response = client.post(f"{old}/new-link")
    assert response.status_code == 303 and response.headers["Location"] == "/rsvp/link-sent"
    assert "no longer works" in client.get("/rsvp/link-sent").get_data(as_text=True)
    for way in (f"{old}", f"{old}/cancel", f"{old}/delete", f"{old}/data.json"):
        assert client.get(way).status_code == 404
    assert client.post(f"{old}/new-link").status_code == 404

    message = outbox()[-1]
    assert (message["To"], message["Subject"]) == ("Shirin <shirin@example.org>",
                                                   "Your new link: Afternoon of Solidarity")
    new = MANAGE_LINK.search(text_of(message)).group(1)
    assert new != old and client.get(new).status_code == 200
    assert "The old link no longer works" in text_of(message)
    # The calendar entry, whose text holds the link, is updated in place.
    invite = invite_of(message)
    assert (invite.method, invite.uid, invite.sequence) == ("REQUEST", uid, 1)
    assert new in invite.description.replace("\n", "").replace(" ", "")
    assert client.get(other).status_code == 200  # nobody else's link changed
    assert len(fetch(sa.select(OutboxMessage))) == 3


def test_a_new_sign_up_link_retires_the_old_one_and_is_emailed(client, make_task, outbox):
    task = make_task(title="Translate the appeal")
    old = sign_up(client, [task], name="Leila", email="leila@example.org")
    response = client.post(f"{old}/new-link")
    assert response.status_code == 303 and response.headers["Location"] == "/signup/link-sent"
    assert client.get(old).status_code == 404
    message = outbox()[-1]
    assert (message["To"], message["Subject"]) == ("Leila <leila@example.org>",
                                                   "Your new volunteer link")
    new = MANAGE_LINK.search(text_of(message)).group(1)
    assert client.get(new).status_code == 200 and "Translate the appeal" in text_of(message)


def test_the_new_link_and_delete_buttons_need_the_forms_csrf_token(csrf_app, make_event):
    client = csrf_app.test_client()
    event = make_event()
    from tests.helpers import manage_path, rsvp_form

    page = client.get(f"/events/{event.slug}")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data={**rsvp_form(event.venues[0]), "csrf_token": token}))
    for action in ("new-link", "delete", "cancel"):
        response = client.post(f"{path}/{action}")
        assert response.status_code == 400
        assert "This form has expired" in response.get_data(as_text=True)
    manage = client.get(path).get_data(as_text=True)
    assert manage.count('name="csrf_token"') >= 2
    assert client.post(f"{path}/new-link", data={"csrf_token": token}).status_code == 303


def test_a_get_to_the_new_link_address_changes_nothing(client, make_event):
    path = book(client, make_event())
    assert client.get(f"{path}/new-link").status_code == 405
    assert client.get(path).status_code == 200


def test_the_new_link_button_is_rate_limited(tmp_path, sqlite_template):
    """Like every public form: past the limit, the friendly 429 page."""
    from tests.test_rate_limits import limited_app
    from volunteer_hub.events.models import Event, EventStatus, Venue
    from volunteer_hub.extensions import db

    app = limited_app(tmp_path, sqlite_template, PUBLIC_POST_LIMIT="2 per minute")
    with app.app_context():
        event = Event(slug="rally", title="Rally", timezone="America/New_York",
                      status=EventStatus.PUBLISHED, venues=[Venue(
                          name="Harlem", address="437 Malcolm X Blvd",
                          timezone="America/New_York")])
        db.session.add(event)
        db.session.commit()
        client = app.test_client()
        path = book(client, event)
        # The limit counts per route: the link retired by the first post gives 404.
        codes = [client.post(f"{path}/new-link").status_code for _ in range(2)]
        assert codes == [303, 404]
        response = client.post(f"{path}/new-link")
        assert response.status_code == 429
        assert "Too many requests from your connection" in response.get_data(as_text=True)
        db.engine.dispose()
