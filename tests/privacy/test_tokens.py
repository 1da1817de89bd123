"""One person's link never reaches another person's data: each token opens
its own record on every route that takes one, and nothing on the routes of
another kind of link."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from tests.helpers import text_of
from tests.privacy.conftest import book, sign_up
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Signup

FEED_LINK = re.compile(r"https://hub\.example\.org(/calendar/[A-Za-z0-9_-]{43})\.ics")
PEOPLE = {"a": ("Azadeh Alpha", "azadeh@example.org"), "b": ("Bijan Beta", "bijan@example.org")}


def _token(path: str) -> str:
    return path.rsplit("/", 1)[1]


@pytest.fixture
def links(client, make_event, make_task, outbox):
    """Two people, each with an RSVP, a sign-up and a personal calendar feed."""
    event = make_event(title="Afternoon of Solidarity")
    task = make_task(title="Set up chairs", event=event, venue=event.venues[0])
    found = {"task": task}
    for key, (name, email) in PEOPLE.items():
        found[f"rsvp_{key}"] = _token(book(client, event, name=name, email=email))
        found[f"signup_{key}"] = _token(sign_up(client, [task], name=name, email=email))
        [feed] = {match.group(1) for message in outbox() if email in message["To"]
                  if (match := FEED_LINK.search(text_of(message)))}
        found[f"feed_{key}"] = _token(feed)
    return found


def _shows_only(body: str, key: str, *, names_them: bool = True) -> None:
    """``body`` shows nothing of the other person (and names this one, when
    the page is one that names anybody)."""
    mine, theirs = PEOPLE[key], PEOPLE["b" if key == "a" else "a"]
    assert not names_them or mine[1] in body or mine[0] in body
    assert theirs[0] not in body and theirs[1] not in body


def test_each_rsvp_token_opens_only_its_own_rsvp(client, links):
    for key in PEOPLE:
        token = links[f"rsvp_{key}"]
        for page in ("", "/cancel", "/delete", "/invite.ics"):
            response = client.get(f"/rsvp/{token}{page}")
            assert response.status_code == 200, page
            _shows_only(response.get_data(as_text=True), key, names_them=page == "")
        data = client.get(f"/rsvp/{token}/data.json").get_data(as_text=True)
        _shows_only(data, key)
        assert json.loads(data)["rsvp"]["email"] == PEOPLE[key][1]


def test_each_sign_up_token_opens_only_its_own_sign_up(client, links):
    for key in PEOPLE:
        token = links[f"signup_{key}"]
        for page in ("", "/delete", "/data.json"):
            response = client.get(f"/signup/{token}{page}")
            assert response.status_code == 200, page
            _shows_only(response.get_data(as_text=True), key, names_them=page != "/delete")


def test_each_feed_lists_only_its_own_entries(client, links, fetch):
    uids = {key: {r.ical_uid for r in fetch(sa.select(Rsvp).where(Rsvp.email == email))}
            for key, (_name, email) in PEOPLE.items()}
    for key in PEOPLE:
        feed = client.get(f"/calendar/{links[f'feed_{key}']}.ics").get_data(as_text=True)
        other = "b" if key == "a" else "a"
        assert all(uid in feed for uid in uids[key])
        assert not any(uid in feed for uid in uids[other])
        assert client.get(f"/calendar/{links[f'feed_{key}']}/revoke").status_code == 200


def test_actions_through_one_link_touch_only_its_own_record(client, links, fetch):
    task = links["task"]
    assert client.post(f"/rsvp/{links['rsvp_a']}",
                       data={"attendance": "online", "guests": "0"}).status_code == 303
    assert client.post(f"/rsvp/{links['rsvp_a']}/cancel").status_code == 303
    assert client.post(f"/signup/{links['signup_a']}/drop/{task}").status_code == 303
    assert client.post(f"/rsvp/{links['rsvp_a']}/new-link").status_code == 303
    assert client.post(f"/signup/{links['signup_a']}/new-link").status_code == 303

    rsvps = {r.name: r for r in fetch(sa.select(Rsvp))}
    assert rsvps["Azadeh Alpha"].status is RsvpStatus.CANCELLED
    assert rsvps["Bijan Beta"].status is RsvpStatus.GOING
    assert rsvps["Bijan Beta"].venue_id is not None
    names = {s.id: s.name for s in fetch(sa.select(Signup))}
    statuses = {names[a.signup_id]: a.status for a in fetch(sa.select(Assignment))}
    assert statuses == {"Azadeh Alpha": AssignmentStatus.DROPPED,
                        "Bijan Beta": AssignmentStatus.CONFIRMED}
    assert client.get(f"/rsvp/{links['rsvp_b']}").status_code == 200
    assert client.get(f"/signup/{links['signup_b']}").status_code == 200

    assert client.post(f"/rsvp/{links['rsvp_b']}/delete").status_code == 303
    assert client.post(f"/signup/{links['signup_b']}/delete").status_code == 303
    assert [r.name for r in fetch(sa.select(Rsvp))] == ["Azadeh Alpha"]
    assert [s.name for s in fetch(sa.select(Signup))] == ["Azadeh Alpha"]


RSVP_ROUTES = [("get", ""), ("post", ""), ("get", "/invite.ics"), ("get", "/cancel"),
               ("post", "/cancel"), ("get", "/delete"), ("post", "/delete"),
               ("get", "/data.json"), ("post", "/new-link")]
SIGNUP_ROUTES = [("get", ""), ("post", "/drop/{task}"), ("get", "/delete"), ("post", "/delete"),
                 ("get", "/data.json"), ("post", "/new-link")]
FEED_ROUTES = [("get", ".ics"), ("get", "/revoke"), ("post", "/revoke")]


def test_a_token_of_one_kind_opens_nothing_on_the_routes_of_another(client, links, fetch):
    before = (sorted((r.name, r.status, r.token_hash) for r in fetch(sa.select(Rsvp))),
              sorted((s.name, s.token_hash) for s in fetch(sa.select(Signup))))
    kinds = {"/rsvp/": RSVP_ROUTES, "/signup/": SIGNUP_ROUTES, "/calendar/": FEED_ROUTES}
    tokens = {"/rsvp/": "rsvp", "/signup/": "signup", "/calendar/": "feed"}
    for prefix, routes in kinds.items():
        for other_prefix, kind in tokens.items():
            if other_prefix == prefix:
                continue
            for key in PEOPLE:
                token = links[f"{kind}_{key}"]
                for method, suffix in routes:
                    url = prefix + token + suffix.format(task=links["task"])
                    response = getattr(client, method)(url, data={"attendance": "online",
                                                                  "guests": "0"})
                    assert response.status_code == 404, (url, method, response.status_code)
                assert client.get(f"/find/{token}").status_code == 404
                assert client.get(f"/appeal/endorsement/{token}").status_code == 404
    after = (sorted((r.name, r.status, r.token_hash) for r in fetch(sa.select(Rsvp))),
             sorted((s.name, s.token_hash) for s in fetch(sa.select(Signup))))
    assert after == before
