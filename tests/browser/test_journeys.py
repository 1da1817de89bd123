"""What people do, in a real browser: RSVP online and in person, change and
cancel from the personal link, sign up to volunteer, and, as a coordinator,
sign in, publish an event, print an attendance list and check people in."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN_EMAIL, DESKTOP, PHONE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

AFTERNOON = "/events/afternoon-of-solidarity-2027"


def rsvp(person, *, name: str, email: str, place: str) -> None:
    page = person.page
    page.get_by_label("Name", exact=True).first.fill(name)
    page.get_by_label("Email", exact=True).first.fill(email)
    page.get_by_label(place).check()
    page.get_by_role("button", name="RSVP").click()
    page.wait_for_url(re.compile(r"/rsvp/"))
    person.check()


def test_rsvp_online_on_a_phone_shows_the_stream_link(journey):
    person = journey("rsvp-online", viewport=PHONE)
    person.go("/")
    person.page.get_by_role("link", name=re.compile("Afternoon of Solidarity")).first.click()
    person.check()
    rsvp(person, name="Shirin", email="shirin.online@example.org", place="Online")
    page = person.page
    assert page.get_by_role("heading", name="You are going!").is_visible()
    assert page.get_by_text("Join online").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_rsvp_in_person_then_switch_venue_and_cancel(journey):
    person = journey("rsvp-in-person")
    person.go(AFTERNOON)
    rsvp(person, name="Reza", email="reza@example.org", place="Revolution Books Harlem")
    page = person.page
    assert page.get_by_text("In person at Revolution Books Harlem").is_visible()

    page.get_by_label("Revolution Books Berkeley").check()
    page.get_by_role("button", name="Save changes").click()
    person.check()
    assert page.get_by_text("In person at Revolution Books Berkeley").is_visible()

    page.get_by_role("link", name="Cancel my RSVP").click()
    person.check()
    page.get_by_role("button", name="Yes, cancel my RSVP").click()
    person.check()
    assert page.get_by_text("This RSVP is cancelled.").is_visible()


def test_volunteer_sign_up(journey):
    person = journey("volunteer", viewport=PHONE)
    person.go("/volunteer")
    page = person.page
    page.locator("input[name=tasks]").first.check()
    form = page.locator("#signup")
    form.get_by_label("Name", exact=True).fill("Leila")
    form.get_by_label("Email", exact=True).fill("leila@example.org")
    page.get_by_role("button", name="Sign up for the chosen tasks").click()
    page.wait_for_url(re.compile(r"/signup/"))
    person.check()
    assert page.get_by_text("Leila").first.is_visible()


def sign_in(person) -> None:
    person.go("/console/login")
    page = person.page
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/console/$"))
    person.check()


def test_coordinator_publishes_an_event(journey):
    coordinator = journey("coordinator", viewport=DESKTOP)
    sign_in(coordinator)
    page = coordinator.page
    page.get_by_role("link", name="New event").first.click()
    coordinator.check()
    page.get_by_label("Title").fill("Vigil for Narges Mohammadi")
    page.get_by_label("Web address").fill("vigil-narges-mohammadi")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Date and time to be announced").check()
    page.get_by_role("button", name=re.compile("Save|Create")).first.click()
    coordinator.check()
    assert page.get_by_text("Draft saved").is_visible(), page.locator("main").inner_text()
    page.get_by_role("button", name="Publish").click()
    coordinator.check()
    assert page.get_by_text("published", exact=False).first.is_visible()
    visitor = journey("after-publishing")
    visitor.go("/")
    assert visitor.page.get_by_text("Vigil for Narges Mohammadi").is_visible()


def test_coordinator_prints_an_attendance_list_and_checks_people_in(journey, tmp_path):
    person = journey("attendee")
    person.go(AFTERNOON)
    rsvp(person, name="Mahsa Test", email="mahsa@example.org", place="Revolution Books Harlem")

    coordinator = journey("door", viewport=PHONE)
    sign_in(coordinator)
    page = coordinator.page
    page.get_by_role("link", name=re.compile("Afternoon of Solidarity")).first.click()
    coordinator.check()
    page.get_by_role("link", name=re.compile("Attendance list|Print", re.I)).first.click()
    coordinator.check()
    pdf = page.pdf(path=str(tmp_path / "attendance.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")

    page.go_back()
    page.get_by_role("link", name=re.compile("Check-in|Check in", re.I)).first.click()
    coordinator.check()
    page.get_by_label("Find a name").fill("Mahsa")
    row = page.get_by_role("button", name=re.compile("Check in Mahsa Test"))
    row.click()
    page.get_by_role("button", name=re.compile("Undo check-in of Mahsa Test")).wait_for()
    coordinator.check()
