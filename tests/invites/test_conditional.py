"""Calendar apps poll the public feeds: an unchanged feed is answered 304
from one small query, without building the calendar; any change to an
event or its places, or another language, gives the new feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import counting_queries, manage_path, rsvp_form
from volunteer_hub.database import begin_write
from volunteer_hub.events import changes
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.invites import caching, entries, ical, routes


@pytest.mark.parametrize("path", ["/calendar.ics", "/events/{slug}.ics"])
def test_an_unchanged_feed_is_304_without_building_it(app, client, make_event, monkeypatch,
                                                      path):
    event = make_event()
    path = path.format(slug=event.slug)
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "public, max-age=300"

    def must_not_build(*args, **kwargs):
        raise AssertionError("the calendar was built for a 304")

    monkeypatch.setattr(ical, "feed", must_not_build)
    monkeypatch.setattr(ical, "feed_text", must_not_build)
    with counting_queries(app) as statements:
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    selects = [statement for statement in statements if statement.startswith("SELECT")]
    assert len(selects) <= 3, selects  # the validator, or the event with its places
    monkeypatch.undo()  # within the second of the last change the feed is built again
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code in (200, 304)  # 200 only within the second of the last change


def test_any_change_gives_the_new_feed(app, client, make_event):
    event = make_event()
    etags = {client.get("/calendar.ics").headers["ETag"]}

    def changed(change) -> None:
        with app.app_context():
            begin_write()
            change(db.session.get(Event, event.id))
            db.session.commit()
        response = client.get("/calendar.ics", headers={"If-None-Match": ", ".join(etags)})
        assert response.status_code == 200, change
        assert response.headers["ETag"] not in etags
        etags.add(response.headers["ETag"])

    changed(lambda e: changes.update_event(e, title="Renamed rally"))
    changed(lambda e: changes.add_venue(e, name="Federal Plaza", address="26 Federal Plaza",
                                        timezone="America/New_York", capacity=5))
    changed(lambda e: changes.update_venue(e.venues[0], name="Harlem, upstairs"))
    changed(lambda e: changes.reschedule(e, e.starts_at + timedelta(days=1),
                                         e.ends_at + timedelta(days=1)))
    changed(changes.cancel_event)
    make_event(title="Another rally")
    response = client.get("/calendar.ics", headers={"If-None-Match": ", ".join(etags)})
    assert response.status_code == 200 and b"Another rally" in response.data


def test_an_unchanged_feed_is_built_once_and_stamped_at_each_request(app, client, make_event,
                                                                     monkeypatch):
    """The feed's text is kept under its validator: asked again without a
    validator (a new subscriber), it is not built again, yet every VEVENT
    carries the moment of the request; a change builds it anew."""
    event = make_event(title="Rally")
    built = []
    build = ical.feed_text

    def counted(*args, **kwargs):
        built.append(args)
        return build(*args, **kwargs)

    monkeypatch.setattr(ical, "feed_text", counted)
    first = client.get("/calendar.ics")
    an_hour_later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    monkeypatch.setattr(routes, "utcnow", lambda: an_hour_later)
    again = client.get("/calendar.ics")
    assert len(built) == 1
    assert again.headers["ETag"] == first.headers["ETag"]
    stamp = re.compile(rb"\r\nDTSTAMP:(\w+)\r\n")
    assert set(stamp.findall(again.data)) == {an_hour_later.strftime("%Y%m%dT%H%M%SZ").encode()}
    assert len(stamp.findall(again.data)) == again.data.count(b"BEGIN:VEVENT") >= 2
    assert stamp.sub(b"", again.data) == stamp.sub(b"", first.data)

    with app.app_context():
        begin_write()
        changes.update_event(db.session.get(Event, event.id), title="Renamed rally")
        db.session.commit()
    changed = client.get("/calendar.ics")
    assert len(built) == 2 and b"Renamed rally" in changed.data and b"Rally" not in changed.data


@pytest.mark.parametrize("language", ["en", "fa"])
def test_after_any_change_the_feed_from_kept_parts_is_the_feed_built_afresh(
        app, client, make_event, monkeypatch, language):
    """Entries and VEVENTs of unchanged events are reused when the feed is
    built again; whatever changed, the result is what a worker that kept
    nothing builds."""
    event = make_event(title="Rally", venues=[{"name": "Harlem"}, {"name": "Berkeley"}])
    make_event(title="Vigil", online=False)
    headers = {"Accept-Language": language}
    stamp = re.compile(rb"\r\nDTSTAMP:\w+\r\n")

    def afresh() -> bytes:
        monkeypatch.setattr(entries, "_kept_entries", caching.Kept(entries._kept_entries.size))
        ical._public_vevent.cache_clear()
        app.extensions.pop("volunteer_hub.kept_feeds", None)
        return client.get("/calendar.ics", headers=headers).data

    def changed(change) -> None:
        assert client.get("/calendar.ics", headers=headers).status_code == 200  # all kept
        with app.app_context():
            begin_write()
            change(db.session.get(Event, event.id))
            db.session.commit()
        kept = client.get("/calendar.ics", headers=headers).data
        assert stamp.sub(b"", kept) == stamp.sub(b"", afresh()), change

    changed(lambda e: changes.update_event(e, title="Renamed rally"))
    changed(lambda e: changes.update_event(e, description="Now with **leaflets**."))
    changed(lambda e: changes.update_venue(e.venues[0], name="Harlem, upstairs"))
    changed(lambda e: changes.update_venue(e.venues[1], address="2444 Durant Ave"))
    changed(lambda e: changes.update_venue(e.venues[1], timezone="America/Los_Angeles"))
    changed(lambda e: changes.add_venue(e, name="Federal Plaza", address="26 Federal Plaza",
                                        timezone="America/New_York", capacity=5))
    changed(lambda e: changes.reschedule(e, e.starts_at + timedelta(days=1),
                                         e.ends_at + timedelta(days=1)))
    changed(lambda e: changes.update_event(e, online=False))
    changed(changes.cancel_event)
    # what was kept in one language never serves another
    headers["Accept-Language"] = "fa" if language == "en" else "en"
    kept = client.get("/calendar.ics", headers=headers).data
    assert stamp.sub(b"", kept) == stamp.sub(b"", afresh())


def test_each_language_has_its_own_validator(client, make_event):
    make_event()
    english = client.get("/calendar.ics")
    persian = client.get("/calendar.ics", headers={"Accept-Language": "fa",
                                                   "If-None-Match": english.headers["ETag"]})
    assert persian.status_code == 200 and persian.headers["ETag"] != english.headers["ETag"]
    assert {"Accept-Language", "Cookie"} <= set(persian.vary)


def test_personal_calendars_are_never_cached(client, make_event):
    event = make_event()
    path = manage_path(client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0])))
    response = client.get(f"{path}/invite.ics")
    assert response.headers["Cache-Control"] != "public, max-age=300"
    assert "ETag" not in response.headers
