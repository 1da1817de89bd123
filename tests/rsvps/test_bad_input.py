"""Bad input gets a form error or a 4xx page, never a 500, and changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.models import Rsvp

BAD_FIELDS = {
    "empty name": {"name": ""},
    "blank name": {"name": "   "},
    "huge name": {"name": "x" * 10_000},
    "line break in name": {"name": "Shirin\r\nBcc: victim@example.org"},
    "NUL in name": {"name": "Shi\x00rin"},
    "bidi override in name": {"name": "Shirin\u202egnp.exe"},
    "line separator in name": {"name": "Shirin\u2028Bcc: victim@example.org"},
    "left-to-right mark in name": {"name": "Shi\u200erin"},
    "only invisible characters in name": {"name": "\u200c\u200d"},
    "empty email": {"email": ""},
    "invalid email": {"email": "not-an-address"},
    "line break in email": {"email": "a@example.org\r\nBcc: b@example.org"},
    "huge email": {"email": "a" * 10_000 + "@example.org"},
    "non-ASCII local part": {"email": "ш@example.org"},
    "negative guests": {"guests": "-1"},
    "huge guests": {"guests": "99999999999999999999999"},
    "guests not a number": {"guests": "two"},
    "no attendance": {"attendance": ""},
    "unknown venue": {"attendance": "99999"},
    "venue of another event": {"attendance": "OTHER"},
    "attendance not a number": {"attendance": "Harlem"},
    "missing one-time key": {"submission_key": ""},
    "malformed one-time key": {"submission_key": "../../etc/passwd"},
    "honeypot filled in (a bot)": {"website": "http://spam.example"},
    "forged form timestamp": {"started": "forged"},
}


@pytest.mark.parametrize("fields", BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_bad_rsvp_is_refused_with_a_message_and_nothing_stored(
    client, make_event, fetch, fields
):
    event = make_event()
    other = make_event()
    if fields.get("attendance") == "OTHER":
        fields = {"attendance": str(other.venues[0].id)}
    response = client.post(f"/events/{event.slug}/rsvp",
                           data=rsvp_form(event.venues[0], **fields))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please check the form" in html
    assert fetch(sa.select(Rsvp)) == []
    assert fetch(sa.select(OutboxMessage)) == []


def test_a_rejected_form_keeps_what_was_typed_and_offers_a_fresh_key(client, make_event):
    event = make_event()
    response = client.post(f"/events/{event.slug}/rsvp",
                           data=rsvp_form(event.venues[0], submission_key="", name="Shirin"))
    html = response.get_data(as_text=True)
    assert 'value="Shirin"' in html
    assert "This form has expired." in html
    assert 'name="submission_key" type="hidden" value="' in html
    assert 'name="submission_key" type="hidden" value=""' not in html


def test_bad_change_leaves_the_rsvp_as_it_was(client, make_event, fetch):
    event = make_event()
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0], guests="1")))
    for data in ({"attendance": "99999", "guests": "0"}, {"attendance": "online", "guests": "-3"},
                 {"attendance": "online", "guests": "10"}, {}):
        assert client.post(path, data=data).status_code == 422
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.venue_id, rsvp.guests) == (event.venues[0].id, 1)


def test_unknown_event_slug_is_a_friendly_404(client):
    response = client.get("/events/no-such-event")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.post("/events/no-such-event/rsvp", data={}).status_code == 404


def test_missing_csrf_token_is_a_friendly_400_and_stores_nothing(
    csrf_app, make_event, fetch
):
    event = make_event()
    client = csrf_app.test_client()
    response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert fetch(sa.select(Rsvp)) == []


def test_with_csrf_on_the_real_form_works(csrf_app, make_event, fetch):
    import re

    event = make_event()
    client = csrf_app.test_client()
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    form = rsvp_form(event.venues[0], csrf_token=token, submission_key=key)
    assert client.post(f"/events/{event.slug}/rsvp", data=form).status_code == 303
    assert client.post(f"/events/{event.slug}/rsvp", data=form).status_code == 303
    assert len(fetch(sa.select(Rsvp))) == 1


def test_persian_names_with_zero_width_non_joiner_are_accepted(client, make_event, fetch):
    event = make_event()
    name = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # می‌خواهم
    response = client.post(f"/events/{event.slug}/rsvp",
                           data=rsvp_form(event.venues[0], name=name))
    assert response.status_code == 303
    assert fetch(sa.select(Rsvp))[0].name == name


def test_international_domain_is_stored_in_ascii(client, make_event, fetch):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form(event.venues[0], email="shirin@exämple.org"))
    assert fetch(sa.select(Rsvp))[0].email == "shirin@xn--exmple-cua.org"


def test_absurd_page_numbers_are_harmless(client):
    for page in ("99999999999999999999999", "-5", "0"):
        assert client.get(f"/?page={page}").status_code == 200


def test_a_sent_form_changed_and_sent_again_opens_nothing(client, make_event, fetch):
    """Someone goes back to a sent form on a shared computer and types their
    own details: they must not land on the first person's RSVP."""
    event = make_event()
    form = rsvp_form(event.venues[0], name="Ana", email="ana@example.org")
    first = manage_path(client.post(f"/events/{event.slug}/rsvp", data=form))

    form.update(name="Babak", email="babak@example.org")
    response = client.post(f"/events/{event.slug}/rsvp", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This form was already sent" in html
    assert first not in html and "ana@example.org" not in html
    assert [r.name for r in fetch(sa.select(Rsvp))] == ["Ana"]
