"""What the public sees: upcoming events, one event, and no attendee data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import rsvp_form
from volunteer_hub.events.models import EventStatus


def test_home_lists_upcoming_public_events_soonest_first_then_tba(client, make_event):
    soon = datetime.now(UTC) + timedelta(days=3)
    later = make_event(title="Later", starts_at=soon + timedelta(days=30), ends_at=None)
    tba = make_event(title="UN press conference", starts_at=None, ends_at=None, online=False)
    first = make_event(title="Soon", starts_at=soon, ends_at=soon + timedelta(hours=2))
    make_event(title="Draft", status=EventStatus.DRAFT)
    past = datetime.now(UTC) - timedelta(days=3)
    make_event(title="Over", starts_at=past, ends_at=past + timedelta(hours=2))

    html = client.get("/").get_data(as_text=True)
    assert "Draft" not in html and "Over" not in html
    assert html.index(first.title) < html.index(later.title) < html.index(tba.title)
    assert "Date and time to be announced" in html
    assert "In person or online" in html


def test_home_shows_times_in_each_events_own_zone(client, make_event):
    make_event(title="Berkeley evening", timezone="America/Los_Angeles",
               starts_at=datetime(2027, 9, 26, 1, 0, tzinfo=UTC), ends_at=None)
    make_event(title="Tehran morning", timezone="Asia/Tehran",
               starts_at=datetime(2027, 1, 10, 6, 30, tzinfo=UTC), ends_at=None)
    html = client.get("/").get_data(as_text=True)
    assert "Saturday 25 September 2027, 6:00 pm PDT" in html
    assert "Sunday 10 January 2027, 10:00 am +0330" in html


def test_home_paginates(app, client, make_event):
    app.config["EVENTS_PER_PAGE"] = 2
    for number in range(5):
        make_event(title=f"Rally {number}",
                   starts_at=datetime(2027, 10, 1 + number, 16, tzinfo=UTC), ends_at=None)
    page1 = client.get("/").get_data(as_text=True)
    page3 = client.get("/?page=3").get_data(as_text=True)
    assert "Rally 0" in page1 and "Rally 2" not in page1 and "Page 1 of 3" in page1
    assert "Rally 4" in page3 and "Earlier events" in page3
    assert "There are no more events" in client.get("/?page=9").get_data(as_text=True)
    assert client.get("/?page=abc").status_code == 200


def test_empty_home_says_so(client):
    assert "No events are planned right now" in client.get("/").get_data(as_text=True)


def test_event_page_sanitises_the_markdown_description(client, make_event):
    event = make_event(description=(
        "**Bold** and [a link](https://example.org)\n\n"
        "<script>alert(1)</script><img src=x onerror=alert(2)>"
        "[bad](javascript:alert(3))"
    ))
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org" rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html and "onerror" not in html and "javascript:" not in html


def test_public_pages_never_show_who_rsvped(client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form(event.venues[0], name="Secret Name", email="secret@example.org"))
    for path in ("/", f"/events/{event.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert "Secret Name" not in html and "secret@example.org" not in html
    assert "9 places left" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_every_page_carries_security_headers(client, make_event):
    event = make_event()
    for path in ("/", f"/events/{event.slug}", "/no-such-page"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_other_hosts(client, make_event):
    event = make_event()
    for path in ("/", f"/events/{event.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert 'src="http' not in html
        assert '<link rel="stylesheet" href="/static/' in html


def test_event_pages_share_as_plain_links_and_preview_well(client, make_event):
    event = make_event(description="Join us **now** for the prisoners.")
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    page_url = f"https://hub.example.org/events/{event.slug}"
    assert f'<meta property="og:url" content="{page_url}">' in html
    assert '<meta property="og:description" content="Join us now for the prisoners.">' in html
    assert 'content="https://hub.example.org/static/img/appeal-share.png"' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    for host in ("twitter.com/intent/tweet", "facebook.com/sharer", "wa.me/", "t.me/share",
                 "mailto:?subject="):
        assert host in html
    assert f'value="{page_url}" readonly' in html
    assert "<script" not in html and "<iframe" not in html
