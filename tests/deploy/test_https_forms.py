"""Forms work over HTTPS. Pages are sent with ``Referrer-Policy:
no-referrer``, so browsers post forms without a Referer header; Flask-WTF's
HTTPS referrer check (WTF_CSRF_SSL_STRICT) refused every one with "This form
has expired". The CSRF token itself is still required."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.helpers import rsvp_form
from volunteer_hub.rsvps.models import Rsvp

HTTPS = "https://hub.example.org"


def test_an_rsvp_over_https_without_a_referer_is_accepted(csrf_app, make_event, fetch):
    event = make_event()
    client = csrf_app.test_client()
    page = client.get(f"/events/{event.slug}", base_url=HTTPS)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    answer = client.post(f"/events/{event.slug}/rsvp", base_url=HTTPS,
                         data=rsvp_form("online", csrf_token=token))
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    assert [rsvp.email for rsvp in fetch(sa.select(Rsvp))] == ["shirin@example.org"]


def test_over_https_a_post_without_its_csrf_token_is_still_refused(csrf_app, make_event, fetch):
    event = make_event()
    client = csrf_app.test_client()
    client.get(f"/events/{event.slug}", base_url=HTTPS)
    answer = client.post(f"/events/{event.slug}/rsvp", base_url=HTTPS,
                         data=rsvp_form("online"), headers={"Referer": f"{HTTPS}/"})
    assert answer.status_code == 400
    assert fetch(sa.select(Rsvp)) == []
