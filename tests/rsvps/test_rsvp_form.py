"""Attendees RSVP with one short form and land on their manage page."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form, text_of
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def test_rsvp_in_person_confirms_and_emails_the_manage_link(client, make_event, fetch, outbox):
    event = make_event(guest_limit=3)
    response = client.post(
        f"/events/{event.slug}/rsvp",
        data=rsvp_form(event.venues[0], guests="2", keep_updated="y"),
    )
    path = manage_path(response)

    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "You are going!" in html
    assert "In person at Revolution Books Harlem" in html
    assert f"https://hub.example.org{path}" in html

    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.name, rsvp.status, rsvp.guests, rsvp.keep_updated) == (
        "Shirin", RsvpStatus.GOING, 2, True)
    assert rsvp.venue_id == event.venues[0].id
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43
    assert token not in (rsvp.token_hash, rsvp.token_nonce)

    [message] = outbox()
    assert message["To"].addresses[0].addr_spec == "shirin@example.org"
    assert message["Subject"] == f"RSVP confirmed: {event.title}"
    assert f"https://hub.example.org{path}" in text_of(message)
    assert "Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT" in text_of(message)


def test_online_rsvp_shows_the_stream_link_only_to_online_attendees(client, make_event):
    event = make_event()
    online = client.get(manage_path(client.post(
        f"/events/{event.slug}/rsvp", data=rsvp_form("online"))))
    in_person = client.get(manage_path(client.post(
        f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))))
    public = client.get(f"/events/{event.slug}")

    assert "https://stream.example.org/live" in online.get_data(as_text=True)
    assert "https://stream.example.org/live" not in in_person.get_data(as_text=True)
    assert "https://stream.example.org/live" not in public.get_data(as_text=True)


def test_online_is_refused_when_the_event_does_not_offer_it(client, make_event, fetch):
    event = make_event(online=False)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert 'value="online"' not in page

    response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert fetch(sa.select(Rsvp)) == []


def test_tba_event_takes_rsvps_and_says_the_date_will_be_announced(client, make_event, outbox):
    event = make_event(starts_at=None, ends_at=None)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Date and time to be announced" in page
    assert "The date will be announced" in page

    response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
    manage_path(response)
    assert "Date and time to be announced" in text_of(outbox()[0])


def test_double_submission_of_one_form_gives_back_the_same_rsvp(client, make_event, fetch, outbox):
    event = make_event()
    form = rsvp_form(event.venues[0])
    first = client.post(f"/events/{event.slug}/rsvp", data=form)
    second = client.post(f"/events/{event.slug}/rsvp", data=form)

    assert manage_path(first) == manage_path(second)
    assert len(fetch(sa.select(Rsvp))) == 1
    assert len(outbox()) == 1


def test_same_email_in_a_new_form_is_a_new_rsvp_and_never_shows_the_first(
    client, make_event, fetch, outbox
):
    event = make_event()
    first = manage_path(client.post(
        f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0], name="Shirin")))
    second = manage_path(client.post(
        f"/events/{event.slug}/rsvp",
        data=rsvp_form("online", name="Impostor", email="SHIRIN@example.org")))

    assert first != second
    second_page = client.get(second).get_data(as_text=True)
    assert "Impostor" in second_page
    assert "Revolution Books Harlem" not in second_page.split("Change your RSVP")[0]

    rsvps = fetch(sa.select(Rsvp).order_by(Rsvp.id))
    assert [(r.name, r.venue_id) for r in rsvps] == [
        ("Shirin", event.venues[0].id), ("Impostor", None)]
    assert rsvps[0].email_key == rsvps[1].email_key == "shirin@example.org"

    first_mail, second_mail = outbox()
    assert "already had an RSVP" not in text_of(first_mail)
    assert "already had an RSVP for this event" in text_of(second_mail)


def test_the_form_says_the_same_whether_or_not_an_address_is_known(client, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))

    def confirmation(email: str) -> str:
        path = manage_path(client.post(
            f"/events/{event.slug}/rsvp", data=rsvp_form("online", email=email, name="X")))
        html = client.get(path).get_data(as_text=True)
        return html.replace(path.rsplit("/", 1)[1], "TOKEN").replace(email, "EMAIL")

    assert confirmation("shirin@example.org") == confirmation("someone-new@example.org")


def test_guests_above_the_event_limit_are_refused(client, make_event, fetch):
    event = make_event(guest_limit=2)
    response = client.post(
        f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0], guests="3"))
    assert response.status_code == 422
    assert "You can bring up to 2 guests." in response.get_data(as_text=True)
    assert "Up to 2; 0 if you come alone." in response.get_data(as_text=True)
    assert fetch(sa.select(Rsvp)) == []


def test_the_guest_limit_is_written_in_the_readers_digits(client, make_event):
    event = make_event(guest_limit=12)
    page = client.get(f"/events/{event.slug}", headers={"Accept-Language": "fa"})
    assert "۱۲" in page.get_data(as_text=True)  # ۱۲
    refused = client.post(f"/events/{event.slug}/rsvp", headers={"Accept-Language": "fa"},
                          data=rsvp_form(event.venues[0], guests="13"))
    assert refused.status_code == 422
    assert "۱۲" in refused.get_data(as_text=True)


def test_cancelled_draft_and_past_events_take_no_rsvps(client, make_event, fetch):
    from datetime import UTC, datetime, timedelta

    from volunteer_hub.events.models import EventStatus

    cancelled = make_event(status=EventStatus.CANCELLED)
    draft = make_event(status=EventStatus.DRAFT)
    past_start = datetime.now(UTC) - timedelta(days=2)
    past = make_event(starts_at=past_start, ends_at=past_start + timedelta(hours=2))

    assert client.get(f"/events/{draft.slug}").status_code == 404
    assert client.post(f"/events/{draft.slug}/rsvp",
                       data=rsvp_form(draft.venues[0])).status_code == 404
    assert "has been cancelled" in client.get(f"/events/{cancelled.slug}").get_data(as_text=True)
    assert "This event has ended" in client.get(f"/events/{past.slug}").get_data(as_text=True)
    for event in (cancelled, past):
        response = client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0]))
        assert response.status_code == 422
    assert fetch(sa.select(Rsvp)) == []


def test_a_form_sent_right_translates_its_choices_only(app, make_event, monkeypatch):
    """Labels and messages are translated when a page shows them; building
    the form from a right answer (as every RSVP under a surge does) asks the
    catalogues for the choices alone (which it checks the answer against),
    not for the hidden fields' labels."""
    from flask_babel import Domain

    from volunteer_hub import forms
    from volunteer_hub.rsvps.forms import RsvpForm

    event = make_event()
    asked: list[str] = []
    monkeypatch.setattr(forms._WTFormsMessages, "gettext",
                        lambda self, string: asked.append(string) or string)
    translate = Domain.gettext

    def gettext(self, string, **variables):
        asked.append(string)
        return translate(self, string, **variables)

    monkeypatch.setattr(Domain, "gettext", gettext)
    data = {**rsvp_form(event.venues[0]), "submission_key": "k" * 43}
    with app.test_request_context(f"/events/{event.slug}/rsvp", method="POST", data=data):
        RsvpForm(event)
    assert sorted(asked) == ["In person: %(venue)s", "Online"]
