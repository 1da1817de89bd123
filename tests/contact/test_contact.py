"""Messages to the organisers land in the coordinators' inbox and are
answered by email; nothing of them is public."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import text_of
from volunteer_hub.contact.models import ContactMessage, MessageState

MESSAGE = {"name": "Parisa", "email": "parisa@example.org", "topic": "ORGANISE",
           "body": "I can help in Berkeley. <script>alert(1)</script> See https://example.org"}


def test_a_message_lands_in_the_inbox_and_is_answered(client, coordinator, fetch, outbox):
    page = client.get("/contact").get_data(as_text=True)
    assert 'class="honeypot"' in page and "@" not in page.split("<main")[1].split("</main>")[0]
    response = client.post("/contact", data=MESSAGE)
    assert response.status_code == 303
    assert "Your message has reached the organisers" in client.get(
        response.headers["Location"]).get_data(as_text=True)

    [message] = fetch(sa.select(ContactMessage))
    inbox = coordinator.get("/console/inbox").get_data(as_text=True)
    assert "Parisa" in inbox and "I want to help organise" in inbox
    shown = coordinator.get(f"/console/inbox/{message.id}").get_data(as_text=True)
    assert "&lt;script&gt;" in shown and "<script>alert" not in shown
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">' in shown

    coordinator.post(f"/console/inbox/{message.id}/note", data={"note": "Call her"})
    coordinator.post(f"/console/inbox/{message.id}/reply",
                     data={"subject": "Thank you!", "body": "Welcome aboard."})
    [reply] = outbox()
    assert reply["To"].addresses[0].addr_spec == "parisa@example.org"
    assert "Welcome aboard." in text_of(reply) and "> I can help in Berkeley." in text_of(reply)
    [message] = fetch(sa.select(ContactMessage))
    assert (message.state, message.note) == (MessageState.HANDLED, "Call her")
    assert "Parisa" not in coordinator.get("/console/inbox").get_data(as_text=True)  # new only
    assert "Parisa" in coordinator.get("/console/inbox?state=handled").get_data(as_text=True)


def test_bad_messages_are_refused_plainly(client, fetch):
    for changes, text in (
        ({"body": "x" * 100_000}, "Please keep it under 5,000 characters."),
        ({"name": "Parisa\r\nBcc: x@example.org"}, "letters, digits and punctuation"),
        ({"topic": "HACK"}, "Not a valid choice"),
        ({"email": "nope"}, "Please enter a valid email address."),
        ({"website": "http://spam.example"}, "leave the last field empty"),
    ):
        response = client.post("/contact", data={**MESSAGE, **changes})
        assert response.status_code == 422, changes
        assert text in response.get_data(as_text=True), changes
    assert fetch(sa.select(ContactMessage)) == []


def test_right_to_left_text_is_kept(client, coordinator, fetch):
    persian = "سلام، می‌خواهم کمک کنم"
    client.post("/contact", data={**MESSAGE, "body": persian})
    [message] = fetch(sa.select(ContactMessage))
    assert message.body == persian
    assert persian in coordinator.get(f"/console/inbox/{message.id}").get_data(as_text=True)
