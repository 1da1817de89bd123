"""Every main page on a 360 px phone, in English and in Persian: nothing
scrolls sideways, Persian pages run right to left, and (with
VOLUNTEER_HUB_SCREENSHOTS=1) a screenshot of each page at phone and desktop
size lands in build/screenshots/ as ``<language>-<phone|desktop>-<page>.png``.

The Persian journeys find fields by name and buttons by type, never by their
words, so they pass whether or not the Persian catalogue is merged yet."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ADMIN_EMAIL, DESKTOP, PHONE, TAKE_SCREENSHOTS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

AFTERNOON = "/events/afternoon-of-solidarity-2027"
PUBLIC_PAGES = {
    "home": "/",
    "event": AFTERNOON,
    "volunteer": "/volunteer",
    "appeal": "/appeal",
    "materials": "/materials",
    "contact": "/contact",
    "find": "/find",
}

#: How the first paragraph of the page's own text sits (not text people
#: wrote, which keeps its own direction): its direction, its alignment, and
#: the gaps between its text and its content box at its start and end.
PARAGRAPH_LAYOUT = """() => {
    const p = Array.from(document.querySelectorAll('main p'))
        .find(p => p.offsetParent !== null && p.textContent.trim().length > 20
              && !p.closest('.description, .note, .message-body, .link-box, .address'));
    const range = document.createRange();
    range.selectNodeContents(p);
    const text = range.getBoundingClientRect(), box = p.getBoundingClientRect();
    const style = getComputedStyle(p), px = name => parseFloat(style[name]);
    const left = box.left + px('borderLeftWidth') + px('paddingLeft');
    const right = box.right - px('borderRightWidth') - px('paddingRight');
    const ltr = style.direction === 'ltr';
    return {direction: style.direction, align: style.textAlign,
            start: ltr ? text.left - left : right - text.right,
            end: ltr ? right - text.right : text.left - left};
}"""


def assert_fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 360px phone"


def assert_language(page, language: str) -> None:
    """The page is in ``language`` and its text runs the right way."""
    assert page.evaluate("document.documentElement.lang") == language
    layout = page.evaluate(PARAGRAPH_LAYOUT)
    if language == "fa":
        assert page.evaluate("document.dir") == "rtl"
        assert layout["direction"] == "rtl" and layout["align"] in ("start", "right"), layout
        assert layout["start"] < 2, f"{page.url}: Persian text is not at the right: {layout}"
    else:
        assert page.evaluate("document.dir") == "ltr"
        assert layout["start"] < 2, f"{page.url}: text is not at the left: {layout}"


def shoot(person, language: str, name: str) -> None:
    """Screenshots at phone size (the page's own) and at desktop size."""
    if not TAKE_SCREENSHOTS:
        return
    person.screenshot(f"{language}-phone-{name}")
    person.page.set_viewport_size(DESKTOP)
    person.screenshot(f"{language}-desktop-{name}")
    person.page.set_viewport_size(PHONE)


def choose_language(person, language: str) -> None:
    """Use the switcher on the home page, as a visitor would."""
    person.go("/")
    person.page.locator(f".language-switch a[hreflang={language}]").click()
    person.page.wait_for_load_state("load")
    assert person.page.evaluate("document.documentElement.lang") == language


def choose_place(form, place: str) -> None:
    if place == "online":
        form.locator("input[name=attendance][value=online]").check()
    else:
        form.get_by_label(re.compile(re.escape(place))).check()


def rsvp(person, *, name: str, email: str, place: str) -> None:
    """RSVP on the event page that is open, by field names: the labels may be
    in any language, a venue's name is the venue's own. ``place`` is "online"
    or a venue's name."""
    form = person.page.locator("#rsvp form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=email]").fill(email)
    choose_place(form, place)
    form.locator("button[type=submit]").click()
    person.page.wait_for_url(re.compile(r"/rsvp/"))
    person.check()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_public_pages_fit_a_phone_and_read_in_the_right_direction(journey, language):
    """A tour of the public pages, chosen language first, ending with an RSVP
    online (in Persian: the Persian journey of an online RSVP)."""
    person = journey(f"tour-{language}", viewport=PHONE)
    choose_language(person, language)
    for name, path in PUBLIC_PAGES.items():
        person.go(path)
        assert_fits_a_phone(person.page)
        assert_language(person.page, language)
        shoot(person, language, name)

    # RSVP online: the stream link is there, whatever the language
    person.go(AFTERNOON)
    rsvp(person, name="شیرین" if language == "fa" else "Shirin",
         email=f"shirin-{language}@example.org", place="online")
    assert person.page.locator(".confirmation").is_visible()
    assert person.page.locator(".status-going").is_visible()
    assert person.page.locator(".stream a[href^=http]").is_visible()
    assert_fits_a_phone(person.page)
    assert_language(person.page, language)
    shoot(person, language, "rsvp")


def open_event_in_console(coordinator) -> int:
    """The demo afternoon's console page; returns the event's id."""
    page = coordinator.page
    page.locator("main a", has_text="Afternoon of Solidarity").first.click()
    page.wait_for_url(re.compile(r"/console/events/\d+$"))
    coordinator.check()
    return int(page.url.rsplit("/", 1)[1])


def test_console_fits_a_phone_and_stays_english_for_a_persian_reader(journey):
    attendee = journey("door-attendee")
    attendee.go(AFTERNOON)
    rsvp(attendee, name="Narges Test", email="narges@example.org", place="Revolution Books Harlem")
    coordinator = journey("console", viewport=PHONE)
    coordinator.go("/console/login")
    page = coordinator.page
    page.locator("input[name=email]").fill(ADMIN_EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/console/$"))
    coordinator.check()
    shoot(coordinator, "en", "console")
    event_id = open_event_in_console(coordinator)
    shoot(coordinator, "en", "console-event")
    pages = {
        "attendance": f"/console/events/{event_id}/attendance",
        "check-in": f"/console/events/{event_id}/check-in",
        "editor": f"/console/events/{event_id}/edit",
    }
    for name, path in pages.items():
        coordinator.go(path)
        assert_fits_a_phone(page)
        shoot(coordinator, "en", f"console-{name}")

    # The door, one thumb: the search field and the first name are on the
    # first screen, and every control is at least 44 by 44 CSS pixels.
    coordinator.go(pages["check-in"])
    search = page.locator("input[type=search]").bounding_box()
    first = page.locator(".door-row button").first.bounding_box()
    assert search["y"] + search["height"] <= PHONE["height"], search
    assert first["y"] + first["height"] <= PHONE["height"], first
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
            'main a, main button, main input:not([type=hidden]), main summary'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([html, r]) => `${html} is ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert not small, small

    # A coordinator who reads Persian on the public side still gets the
    # console in English, left to right.
    coordinator.page.context.add_cookies([{"name": "language", "value": "fa",
                                           "url": coordinator.base_url}])
    for path in ("/console/", pages["check-in"]):
        coordinator.go(path)
        assert_fits_a_phone(page)
        assert_language(page, "en")


def test_persian_rsvp_in_person_then_switch_venue_and_cancel(journey):
    person = journey("fa-rsvp-in-person", viewport=PHONE)
    choose_language(person, "fa")
    person.go(AFTERNOON)
    rsvp(person, name="رضا", email="reza.fa@example.org", place="Revolution Books Harlem")
    page = person.page
    assert_language(page, "fa")
    how = page.locator(".booking .facts dd").nth(2)
    assert "Revolution Books Harlem" in how.inner_text()

    change = page.locator("#change form")
    choose_place(change, "Revolution Books Berkeley")
    change.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    person.check()
    assert "Revolution Books Berkeley" in how.inner_text()

    page.locator("main a[href$='/cancel']").click()
    page.wait_for_url(re.compile(r"/cancel$"))
    person.check()
    assert_language(page, "fa")
    page.locator("main form[action$='/cancel'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/rsvp/[^/]+$"))
    person.check()
    assert page.locator(".status-cancelled").is_visible()
    assert_language(page, "fa")
    assert_fits_a_phone(page)


def test_persian_volunteer_sign_up(journey):
    person = journey("fa-volunteer", viewport=PHONE, locale="fa-IR")
    person.go("/volunteer")
    page = person.page
    assert_language(page, "fa")
    page.locator("input[name=tasks]").first.check()
    form = page.locator("#signup")
    form.locator("input[name=name]").fill("لیلا")
    form.locator("input[name=email]").fill("leila.fa@example.org")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/signup/"))
    person.check()
    assert_language(page, "fa")
    assert page.get_by_text("لیلا").first.is_visible()
    assert_fits_a_phone(page)
