"""Calendar files and feeds: one event's .ics, the public feed, the personal
feed an RSVP email offers (and its revocation), and the "Add to" links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import sqlalchemy as sa
from ical.calendar_stream import IcsCalendarStream
from werkzeug.http import parse_options_header

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.helpers import invite_of, manage_path, rsvp_form, text_of
from volunteer_hub.database import begin_write
from volunteer_hub.events import changes
from volunteer_hub.events.models import Event, EventStatus
from volunteer_hub.extensions import db
from volunteer_hub.invites import ical
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.models import OutboxMessage

BASE = "https://hub.example.org"
#: 15:00 in Berkeley on the day of the New York event (PDT, UTC-7).
BERKELEY_3PM = datetime(2027, 9, 25, 22, 0, tzinfo=UTC)
BERKELEY = {"name": "Berkeley Library", "address": "2090 Kittredge St, Berkeley",
            "timezone": "America/Los_Angeles", "starts_at": BERKELEY_3PM,
            "ends_at": BERKELEY_3PM + timedelta(hours=2), "capacity": 20}
HARLEM = {"name": "Revolution Books Harlem", "capacity": 10}
FEED_LINK = re.compile(r"webcal://hub\.example\.org/calendar/([A-Za-z0-9_-]+)\.ics")


def parse_both(ics: bytes):
    """icalendar's calendar and the independent ``ical`` package's, which
    must agree on the events' UIDs, SEQUENCEs, summaries and times."""
    ours = icalendar.Calendar.from_ical(ics)
    [theirs] = IcsCalendarStream.from_ics(ics.decode()).calendars
    ours_events = sorted(
        (str(event["UID"]), int(event["SEQUENCE"]), str(event["SUMMARY"]),
         event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in ours.walk("VEVENT"))
    their_events = sorted(
        (event.uid, event.sequence, event.summary, event.dtstart, event.dtend)
        for event in theirs.events)
    assert ours_events == their_events
    return ours, theirs


def vevents(ics: bytes) -> dict[str, icalendar.Event]:
    """The calendar's events by SUMMARY."""
    ours, _ = parse_both(ics)
    found = {str(event["SUMMARY"]): event for event in ours.walk("VEVENT")}
    assert len(found) == len(ours.walk("VEVENT"))
    return found


def book(client, event, venue=None, **fields) -> str:
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(venue or event.venues[0], **fields)))


def feed_token_of(message) -> str:
    """The personal feed token an email offers, checked in both bodies."""
    text = text_of(message)
    [token] = set(FEED_LINK.findall(text))
    assert f"{BASE}/calendar/{token}.ics" in text
    assert f"{BASE}/calendar/{token}/revoke" in text
    html = message.get_body(("html",)).get_content()
    assert f'href="webcal://hub.example.org/calendar/{token}.ics"' in html
    assert f'href="{BASE}/calendar/{token}/revoke"' in html
    return token


class Links(HTMLParser):
    """Every link on a page: (href, rel)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], attributes.get("rel") or ""))


def links_of(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


# --- one event ------------------------------------------------------------


def test_event_ics_has_one_entry_per_place_each_in_its_own_zone(client, make_event):
    event = make_event(venues=[HARLEM, BERKELEY])
    response = client.get(f"/events/{event.slug}.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert parse_options_header(response.headers["Content-Disposition"]) == (
        "attachment", {"filename": f"{event.slug}.ics"})
    ics = response.data
    found = vevents(ics)
    assert set(found) == {f"{event.title} (Revolution Books Harlem)",
                          f"{event.title} (Berkeley Library)", f"{event.title} (online)"}

    berkeley = found[f"{event.title} (Berkeley Library)"]
    assert berkeley["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert berkeley.decoded("DTSTART") == BERKELEY_3PM
    assert berkeley.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 9, 25, 15, 0)
    assert b"DTSTART;TZID=America/Los_Angeles:20270925T150000" in ics
    assert berkeley.decoded("DTEND") == BERKELEY_3PM + timedelta(hours=2)
    assert str(berkeley["LOCATION"]) == "Berkeley Library, 2090 Kittredge St, Berkeley"

    for place in ("Revolution Books Harlem", "online"):
        entry = found[f"{event.title} ({place})"]
        assert entry["DTSTART"].params["TZID"] == "America/New_York"
        assert entry.decoded("DTSTART") == SATURDAY_3PM_NEW_YORK
    assert b"DTSTART;TZID=America/New_York:20270925T150000" in ics
    # Each zone used is described, and every entry is confirmed and distinct.
    ours, _ = parse_both(ics)
    assert {str(zone["TZID"]) for zone in ours.walk("VTIMEZONE")} == {
        "America/New_York", "America/Los_Angeles"}
    assert {str(entry["STATUS"]) for entry in found.values()} == {"CONFIRMED"}
    assert len({str(entry["UID"]) for entry in found.values()}) == 3
    assert "METHOD" not in ours  # a file to import, not an iTIP message
    assert str(found[f"{event.title} (online)"]["URL"]) == f"{BASE}/events/{event.slug}"


def test_event_ics_of_a_single_place_is_titled_plainly(client, make_event):
    event = make_event(online=False)
    [summary] = vevents(client.get(f"/events/{event.slug}.ics").data)
    assert summary == event.title


def test_event_ics_is_404_for_tba_draft_and_unknown_events(client, make_event):
    tba = make_event(starts_at=None, ends_at=None)
    draft = make_event(status=EventStatus.DRAFT)
    for slug in (tba.slug, draft.slug, "no-such-event"):
        assert client.get(f"/events/{slug}.ics").status_code == 404, slug


def test_event_ics_of_a_cancelled_event_says_cancelled(client, make_event):
    event = make_event(venues=[HARLEM, BERKELEY], status=EventStatus.CANCELLED)
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200
    found = vevents(response.data)
    assert len(found) == 3
    assert {str(entry["STATUS"]) for entry in found.values()} == {"CANCELLED"}


# --- the public feed --------------------------------------------------------


def test_public_feed_lists_dated_public_events_only(app, client, make_event):
    published = make_event(title="Rally", venues=[HARLEM, BERKELEY])
    cancelled = make_event(title="Vigil", status=EventStatus.CANCELLED, online=False)
    make_event(title="Secret draft", status=EventStatus.DRAFT)
    make_event(title="Date to come", starts_at=None, ends_at=None)

    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment")
    ours, theirs = parse_both(response.data)
    assert str(ours["X-WR-CALNAME"]) == app.config["CAMPAIGN_NAME"]
    assert b"X-WR-CALNAME:" in response.data
    found = vevents(response.data)
    assert set(found) == {"Rally (Revolution Books Harlem)", "Rally (Berkeley Library)",
                          "Rally (online)", "Vigil"}
    assert str(found["Vigil"]["STATUS"]) == "CANCELLED"
    assert str(found["Rally (online)"]["STATUS"]) == "CONFIRMED"
    assert found["Rally (Berkeley Library)"]["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert len(theirs.events) == 4
    assert published.slug.encode() in response.data and cancelled.slug.encode() in response.data
    assert b"Secret draft" not in response.data and b"Date to come" not in response.data


def test_public_feed_without_events_is_an_empty_calendar(client):
    ours, theirs = parse_both(client.get("/calendar.ics").data)
    assert not ours.walk("VEVENT") and not theirs.events
    assert "X-WR-CALNAME" in ours


@pytest.mark.parametrize("field", ["description", "title"])
def test_one_events_stray_control_character_does_not_break_the_public_feed(
        client, make_event, field):
    make_event(title="Rally")
    make_event(**{field: "Line one&#11;Line two" if field == "description" else "Vigil\x0b"})
    ours, theirs = parse_both(client.get("/calendar.ics").data)
    assert len(ours.walk("VEVENT")) == len(theirs.events) == 4


# --- the personal feed ------------------------------------------------------


def test_confirmation_offers_a_personal_feed_that_the_manage_page_never_shows(
        client, make_event, outbox):
    event = make_event()
    path = book(client, event)
    [confirmation] = outbox()
    token = feed_token_of(confirmation)

    # A manage link is shared more easily than an inbox: it shows no feed.
    page = client.get(path).get_data(as_text=True)
    assert token not in page
    assert "webcal:" not in page and "hub.example.org/calendar/" not in page
    for html in (page, client.get(f"/events/{event.slug}").get_data(as_text=True)):
        for href, _ in links_of(html):
            if urlsplit(href).hostname in (None, "hub.example.org"):
                assert not urlsplit(href).path.startswith("/calendar/"), href


def test_personal_feed_lists_that_address_only_with_the_invites_uid_and_sequence(
        client, make_event, outbox):
    rally = make_event(title="Rally", venues=[HARLEM, BERKELEY])
    vigil = make_event(title="Vigil")
    book(client, rally, rally.venues[1], email="shirin@example.org")
    book(client, vigil, "online", email="Shirin@Example.org")
    book(client, vigil, email="someone.else@example.org", name="Someone Else")
    mine = [message for message in outbox() if "shirin" in message["To"].lower()]
    assert len(mine) == 2
    tokens = {feed_token_of(message) for message in mine}
    assert len(tokens) == 1, "one address, one feed (whatever its case)"
    [token] = tokens
    invites = {invite.uid: invite for invite in map(invite_of, mine)}

    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    ours, theirs = parse_both(response.data)
    entries = {str(entry["UID"]): entry for entry in ours.walk("VEVENT")}
    assert set(entries) == set(invites)
    assert {event.uid for event in theirs.events} == set(invites)
    for uid, entry in entries.items():
        assert int(entry["SEQUENCE"]) == invites[uid].sequence
        assert entry.decoded("DTSTART") == invites[uid].starts_at
        assert entry["DTSTART"].params["TZID"] == invites[uid].tzid
        assert str(entry["SUMMARY"]) == invites[uid].summary
    assert {str(entry["SUMMARY"]) for entry in entries.values()} == {"Rally", "Vigil"}
    assert b"Someone Else" not in response.data
    assert b"someone.else" not in response.data
    others = [message for message in outbox() if "someone.else" in message["To"]]
    assert invite_of(others[0]).uid not in entries
    assert feed_token_of(others[0]) != token


def test_personal_feeds_leave_nothing_behind_in_memory(client, make_event, outbox):
    """Only public entries are kept serialised between requests: a personal
    feed's carry manage links, and must go when the RSVP does."""
    book(client, make_event(title="Rally"))
    [confirmation] = outbox()
    ical._public_vevent.cache_clear()
    assert client.get(f"/calendar/{feed_token_of(confirmation)}.ics").status_code == 200
    assert ical._public_vevent.cache_info().currsize == 0
    assert client.get("/calendar.ics").status_code == 200
    assert ical._public_vevent.cache_info().currsize == 2  # the venue and online


def test_personal_feed_follows_changes_and_drops_cancelled_rsvps(
        app, client, make_event, outbox):
    rally = make_event(title="Rally")
    vigil = make_event(title="Vigil")
    rally_path = book(client, rally)
    book(client, vigil)
    token = feed_token_of(outbox()[0])

    with app.app_context():
        begin_write()
        changes.reschedule(db.session.get(Event, rally.id),
                           SATURDAY_3PM_NEW_YORK + timedelta(days=7), None)
        db.session.commit()
    update = outbox()[-1]
    assert update["Subject"] == "Changed: Rally"
    moved = invite_of(update)
    assert moved.sequence == 1
    entries = {str(e["SUMMARY"]): e for e in vevents(client.get(f"/calendar/{token}.ics").data)
               .values()}
    assert int(entries["Rally"]["SEQUENCE"]) == 1
    assert str(entries["Rally"]["UID"]) == moved.uid
    assert entries["Rally"].decoded("DTSTART") == SATURDAY_3PM_NEW_YORK + timedelta(days=7)

    assert client.post(f"{rally_path}/cancel").status_code == 303
    cancel = invite_of(outbox()[-1])
    assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", moved.uid, 2)
    assert set(vevents(client.get(f"/calendar/{token}.ics").data)) == {"Vigil"}


def test_revoking_asks_first_then_retires_the_link_and_the_next_email_offers_a_new_one(
        client, make_event, fetch, outbox):
    rally = make_event(title="Rally")
    vigil = make_event(title="Vigil")
    book(client, rally)
    token = feed_token_of(outbox()[0])

    confirm = client.get(f"/calendar/{token}/revoke")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Turn off your calendar link?" in page
    assert f'action="/calendar/{token}/revoke"' in page
    assert confirm.headers["Cache-Control"] == "no-store"
    assert len(fetch(sa.select(CalendarFeed))) == 1
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    response = client.post(f"/calendar/{token}/revoke")
    assert response.status_code == 303
    assert "no longer works" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{token}/revoke").status_code == 404
    assert client.post(f"/calendar/{token}/revoke").status_code == 404
    assert fetch(sa.select(CalendarFeed)) == []

    book(client, vigil)
    new_token = feed_token_of(outbox()[-1])
    assert new_token != token
    found = vevents(client.get(f"/calendar/{new_token}.ics").data)
    assert set(found) == {"Rally", "Vigil"}  # the RSVPs themselves stayed
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_forged_feed_tokens_open_nothing(client, make_event, outbox):
    event = make_event()
    book(client, event)
    token = feed_token_of(outbox()[0])
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for forged in (token[:-1], flipped, "A" * 43, "x", "é" * 200, token.upper()):
        assert client.get(f"/calendar/{forged}.ics").status_code == 404, forged
        assert client.get(f"/calendar/{forged}/revoke").status_code == 404, forged
        assert client.post(f"/calendar/{forged}/revoke").status_code == 404, forged
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_revoking_needs_the_form_token_when_csrf_is_on(csrf_app, make_event):
    client = csrf_app.test_client()
    event = make_event()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    [csrf] = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = rsvp_form(event.venues[0], csrf_token=csrf)
    assert client.post(f"/events/{event.slug}/rsvp", data=data).status_code == 303
    with csrf_app.app_context():
        [mime] = db.session.scalars(sa.select(OutboxMessage.mime)).all()
    token = feed_token_of(message_from_string(mime, policy=policy.default))

    assert client.post(f"/calendar/{token}/revoke").status_code == 400
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    confirm = client.get(f"/calendar/{token}/revoke").get_data(as_text=True)
    [csrf] = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', confirm)
    assert client.post(f"/calendar/{token}/revoke", data={"csrf_token": csrf}).status_code == 303
    assert client.get(f"/calendar/{token}.ics").status_code == 404


# --- "Add to" links ---------------------------------------------------------


def _calendar_links(html: str) -> dict[str, list[tuple[str, str]]]:
    links = links_of(html)
    return {
        host: [(href, rel) for href, rel in links if urlsplit(href).hostname == host]
        for host in ("calendar.google.com", "outlook.live.com")
    }


def test_event_page_links_to_web_calendars_with_each_places_times(client, make_event):
    event = make_event(venues=[HARLEM, BERKELEY])
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    found = _calendar_links(html)
    assert len(found["calendar.google.com"]) == len(found["outlook.live.com"]) == 3

    google = {parse_qs(urlsplit(href).query)["location"][0]: parse_qs(urlsplit(href).query)
              for href, _ in found["calendar.google.com"]}
    berkeley = google["Berkeley Library, 2090 Kittredge St, Berkeley"]
    assert berkeley["dates"] == ["20270925T220000Z/20270926T000000Z"]
    assert berkeley["ctz"] == ["America/Los_Angeles"]
    assert berkeley["text"] == [f"{event.title} (Berkeley Library)"]
    assert berkeley["details"] == [f"{BASE}/events/{event.slug}"]
    assert google["Online"]["dates"] == ["20270925T190000Z/20270925T220000Z"]
    assert google["Online"]["ctz"] == ["America/New_York"]

    outlook = {parse_qs(urlsplit(href).query)["location"][0]: parse_qs(urlsplit(href).query)
               for href, _ in found["outlook.live.com"]}
    assert outlook["Berkeley Library, 2090 Kittredge St, Berkeley"]["startdt"] == [
        "2027-09-25T22:00:00+00:00"]
    assert outlook["Berkeley Library, 2090 Kittredge St, Berkeley"]["enddt"] == [
        "2027-09-26T00:00:00+00:00"]
    assert outlook["Revolution Books Harlem, 437 Malcolm X Blvd, New York"]["startdt"] == [
        "2027-09-25T19:00:00+00:00"]
    for href, rel in found["calendar.google.com"] + found["outlook.live.com"]:
        assert "noreferrer" in rel.split()
        assert "/rsvp/" not in href


def test_event_page_of_a_tba_event_offers_no_calendar(client, make_event):
    event = make_event(starts_at=None, ends_at=None)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert _calendar_links(html) == {"calendar.google.com": [], "outlook.live.com": []}
    assert f"/events/{event.slug}.ics" not in html


def test_manage_page_calendar_links_carry_no_manage_token(client, make_event):
    event = make_event(venues=[HARLEM, BERKELEY])
    path = book(client, event, event.venues[1])
    token = path.removeprefix("/rsvp/")
    html = client.get(path).get_data(as_text=True)

    found = _calendar_links(html)
    assert len(found["calendar.google.com"]) == len(found["outlook.live.com"]) == 1
    [(google, _)], [(outlook, _)] = found["calendar.google.com"], found["outlook.live.com"]
    assert parse_qs(urlsplit(google).query)["dates"] == ["20270925T220000Z/20270926T000000Z"]
    assert parse_qs(urlsplit(outlook).query)["startdt"] == ["2027-09-25T22:00:00+00:00"]
    # No link to another host carries the token, and none sends a Referer.
    for href, rel in links_of(html):
        if urlsplit(href).hostname not in (None, "hub.example.org"):
            assert token not in href, href
            assert "noreferrer" in rel.split(), href
    # The manage page's own .ics is the RSVP's entry, under its invite's UID.
    response = client.get(f"{path}/invite.ics")
    assert response.status_code == 200
    [entry] = vevents(response.data).values()
    assert entry.decoded("DTSTART") == BERKELEY_3PM


@pytest.mark.parametrize("status", ["cancelled rsvp", "cancelled event"])
def test_manage_page_offers_no_calendar_once_not_going(app, client, make_event, status):
    event = make_event()
    path = book(client, event)
    if status == "cancelled rsvp":
        client.post(f"{path}/cancel")
    else:
        with app.app_context():
            begin_write()
            changes.cancel_event(db.session.get(Event, event.id))
            db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert _calendar_links(html) == {"calendar.google.com": [], "outlook.live.com": []}
    assert client.get(f"{path}/invite.ics").status_code == 404
