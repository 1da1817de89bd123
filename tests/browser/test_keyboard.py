"""The RSVP form works with a keyboard alone, and whatever has the focus
shows it: Tab to each field, arrows between the places, Enter to send."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow

AFTERNOON = "/events/afternoon-of-solidarity-2027"

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {name: element.name || '', tag: element.tagName, type: element.type || '',
            value: element.value || '', outline: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth)};
}"""


def tab_to(page, predicate, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; each one must show it has
    the focus (a visible outline)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "BODY":
            assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, focused
        if predicate(focused):
            return focused
    pytest.fail("the element was never reached with Tab")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_rsvp_with_the_keyboard_alone(journey, language):
    person = journey(f"keyboard-{language}")
    if language == "fa":
        person.page.goto(person.base_url + f"/language/fa?next={AFTERNOON}")
    else:
        person.go(AFTERNOON)
    page = person.page
    tab_to(page, lambda f: f["name"] == "name")
    page.keyboard.type("Keyboard Person")
    tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(f"keyboard-{language}@example.org")
    radio = tab_to(page, lambda f: f["name"] == "attendance")
    page.keyboard.press("ArrowDown")  # the next place: arrows move within a radio group
    chosen = page.evaluate(FOCUSED)
    assert chosen["name"] == "attendance" and chosen["value"] != radio["value"]
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["type"] == "submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/rsvp/"))
    person.check()
    assert page.locator("html").get_attribute("lang") == language
