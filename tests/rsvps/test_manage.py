"""The manage link opens one RSVP and nothing more; GETs never change it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import manage_path, rsvp_form, text_of
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus


def book(client, event, venue=None, **fields):
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(venue or event.venues[0], **fields)))


def test_manage_page_shows_that_rsvp_only(client, make_event):
    event = make_event()
    mine = book(client, event, name="Shirin", email="shirin@example.org")
    book(client, event, name="Someone Else", email="else@example.org")

    html = client.get(mine).get_data(as_text=True)
    assert "Shirin" in html and "shirin@example.org" in html
    assert "Someone Else" not in html and "else@example.org" not in html
    assert client.get(mine).headers["Cache-Control"] == "no-store"


def test_forged_and_truncated_tokens_open_nothing(client, make_event):
    event = make_event()
    path = book(client, event)
    for forged in (path[:-1], path[:-1] + ("A" if path[-1] != "A" else "B"),
                   "/rsvp/" + "A" * 43, "/rsvp/x", "/rsvp/" + "é" * 300):
        assert client.get(forged).status_code == 404
        assert client.post(f"{forged}/cancel").status_code == 404
        assert client.post(f"{forged}/delete").status_code == 404


def test_switch_to_online_and_back_emails_each_change(client, make_event, fetch, outbox):
    event = make_event()
    harlem = event.venues[0]
    path = book(client, event, guests="1")

    response = client.post(path, data={"attendance": "online", "guests": "0"})
    assert response.status_code == 303
    page = client.get(path).get_data(as_text=True)
    assert "Your RSVP has been updated" in page
    assert "https://stream.example.org/live" in page
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.venue_id, rsvp.guests) == (None, 0)

    client.post(path, data={"attendance": str(harlem.id), "guests": "2"})
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.venue_id, rsvp.guests) == (harlem.id, 2)
    subjects = [m["Subject"] for m in outbox()]
    assert subjects == [f"RSVP confirmed: {event.title}"] + [f"RSVP updated: {event.title}"] * 2
    assert "Join:   https://stream.example.org/live" in text_of(outbox()[1])


def test_cancel_asks_first_and_a_get_changes_nothing(client, make_event, fetch, outbox):
    event = make_event()
    path = book(client, event)

    confirm = client.get(f"{path}/cancel")
    assert confirm.status_code == 200
    assert "Yes, cancel my RSVP" in confirm.get_data(as_text=True)
    assert fetch(sa.select(Rsvp))[0].status is RsvpStatus.GOING

    assert client.post(f"{path}/cancel").status_code == 303
    assert fetch(sa.select(Rsvp))[0].status is RsvpStatus.CANCELLED
    assert "This RSVP is cancelled" in client.get(path).get_data(as_text=True)
    assert outbox()[-1]["Subject"] == f"RSVP cancelled: {event.title}"

    # Cancelling twice sends nothing more.
    client.post(f"{path}/cancel")
    assert len(outbox()) == 2


def test_a_cancelled_rsvp_cannot_be_changed(client, make_event, fetch):
    event = make_event()
    path = book(client, event)
    client.post(f"{path}/cancel")
    response = client.post(path, data={"attendance": "online", "guests": "0"})
    assert response.status_code == 422
    assert "This RSVP is cancelled" in response.get_data(as_text=True)
    assert fetch(sa.select(Rsvp))[0].venue_id == event.venues[0].id


def test_delete_erases_the_rsvp_and_its_mail(app, client, make_event, fetch):
    event = make_event()
    path = book(client, event, name="Shirin")
    book(client, event, name="Other")

    assert client.get(f"{path}/delete").status_code == 200
    assert len(fetch(sa.select(Rsvp))) == 2

    response = client.post(f"{path}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}"
    assert [r.name for r in fetch(sa.select(Rsvp))] == ["Other"]
    # Shirin's confirmation is gone; one last message removes the calendar entry.
    messages = fetch(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    assert [(m.recipient, m.subject, m.forget_recipient, m.rsvp_id) for m in messages] == [
        ("shirin@example.org", f"RSVP confirmed: {event.title}", False, 2),
        ("shirin@example.org", f"Your data is deleted: {event.title}", True, None),
    ]
    assert "METHOD:CANCEL" in messages[1].mime.replace("=\r\n", "")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["send-mail", "--once"]).exit_code == 0
    sent = fetch(sa.select(OutboxMessage).where(OutboxMessage.rsvp_id.is_(None)))
    assert [(m.recipient, m.mime) for m in sent] == [("", None)]  # nothing about her is left
    assert "have been deleted" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert client.get(path).status_code == 404


def test_consent_to_updates_can_be_withdrawn_without_touching_the_booking(
    client, make_event, fetch, outbox
):
    event = make_event()
    path = book(client, event, keep_updated="y", guests="1")
    assert fetch(sa.select(Rsvp))[0].keep_updated is True

    response = client.post(path, data={"attendance": str(event.venues[0].id), "guests": "1"})
    assert response.status_code == 303
    [rsvp] = fetch(sa.select(Rsvp))
    assert (rsvp.keep_updated, rsvp.guests, rsvp.status) == (False, 1, RsvpStatus.GOING)
    assert len(outbox()) == 1  # no email for a consent change
