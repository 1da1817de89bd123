"""Emails and invites come in the language of the page the person used: an
RSVP made in Persian is confirmed, reminded and invited in Persian, right
to left, with the event's own title; an English RSVP's email is as before."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.helpers import invite_of, manage_path, rsvp_form, text_of
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.rsvps.services import queue_due_reminders

PERSIAN = {"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"}
TITLE = "Iran's Political Prisoners Must Be Freed NOW!"
RLM = "\u200f"


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def is_persian(line: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in line)


def test_an_rsvp_on_a_persian_page_is_confirmed_in_persian(client, make_event, outbox):
    event = make_event(title=TITLE)
    path = manage_path(client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN,
                                   data=rsvp_form(event.venues[0], guests="2")))

    [message] = outbox()
    assert message["Subject"] == f"اعلام حضور شما ثبت شد: {TITLE}"
    assert message["Content-Language"] == "fa"
    text = text_of(message)
    assert "سلام Shirin،" in text
    assert "حضور شما در این رویداد ثبت شد:" in text
    assert "شنبه" in text  # Saturday, in the Persian date
    assert f"https://hub.example.org{path}" in text
    assert "Hello" not in text and "Thank you" not in text
    # Each Persian line starts with a right-to-left mark, so that it reads
    # right to left even when it begins with a name or a number; a line
    # holding only a link keeps its own direction.
    lines = text.splitlines()
    assert all(line.startswith(RLM) for line in lines if is_persian(line))
    assert f"https://hub.example.org{path}" in lines
    assert "-- " in lines

    html = html_of(message)
    assert '<html lang="fa" dir="rtl">' in html
    assert "<strong>حضور شما ثبت شد.</strong>" in html
    assert "Only the campaign" not in html

    invite = invite_of(message)
    assert invite.summary == TITLE  # the event's own title
    assert invite.location == "Revolution Books Harlem, 437 Malcolm X Blvd, New York"
    assert invite.description.startswith(
        "حضوری به Revolution Books Harlem، 437 Malcolm X Blvd, New York می‌آیید.\n")
    assert "مهمان همراه خود می‌آورید." in invite.description
    assert f"تغییر یا لغو اعلام حضور: https://hub.example.org{path}" in invite.description


def test_the_workers_reminder_is_still_in_persian(app, client, make_event, outbox):
    event = make_event(title=TITLE)
    client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN, data=rsvp_form("online"))
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form("online", name="Ana", email="ana@example.org"))

    with app.app_context():  # as the worker does, outside any request
        begin_write()
        assert queue_due_reminders(SATURDAY_3PM_NEW_YORK - timedelta(hours=23)) == 2
        db.session.commit()

    shirin, ana = outbox()[2:]
    assert shirin["Subject"] == f"یادآوری: {TITLE}"
    assert "یادآوری: حضور شما در این رویداد ثبت است" in text_of(shirin)
    assert "مکان:    آنلاین" in text_of(shirin)
    assert '<html lang="fa" dir="rtl">' in html_of(shirin)
    assert ana["Subject"] == f"Reminder: {TITLE}"
    assert text_of(ana).startswith("Hello Ana,")
    assert '<html lang="en" dir="ltr">' in html_of(ana)


def test_a_coordinators_change_reaches_a_persian_attendee_in_persian(
        client, coordinator, make_event, fetch, outbox):
    event = make_event(title=TITLE)
    client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN, data=rsvp_form("online"))
    [rsvp] = fetch(sa.select(Rsvp))
    coordinator.post(f"/console/rsvps/{rsvp.id}/move",
                     data={"attendance": str(event.venues[0].id), "guests": "0"})

    [_, changed] = outbox()
    assert changed["Subject"] == f"اعلام حضور شما به‌روز شد: {TITLE}"
    assert invite_of(changed).description.startswith("حضوری به Revolution Books Harlem")


def test_an_english_rsvp_is_confirmed_in_english_as_before(client, make_event, outbox):
    event = make_event(title=TITLE)
    path = manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(event.venues[0], guests="2")))

    [message] = outbox()
    assert message["Subject"] == f"RSVP confirmed: {TITLE}"
    assert message["Content-Language"] == "en"
    text = text_of(message)
    assert text.startswith("Hello Shirin,\r\n\r\nThank you for your RSVP. You are going to:\r\n")
    assert RLM not in text
    assert '<html lang="en" dir="ltr">' in html_of(message)
    invite = invite_of(message)
    assert invite.summary == TITLE
    assert invite.description == (
        "You are going in person to Revolution Books Harlem, 437 Malcolm X Blvd, New York.\n"
        "You are bringing 2 guest(s).\n\n"
        f"Change or cancel your RSVP: https://hub.example.org{path}\n\n"
        f"Event page: https://hub.example.org/events/{event.slug}")


def test_the_lookup_email_speaks_the_language_of_the_page_that_asked(client, make_event, outbox):
    event = make_event(title=TITLE)
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online"))
    client.post("/find", headers=PERSIAN, data={"email": "shirin@example.org"})

    [_, link] = outbox()
    assert link["Subject"] == "اعلام حضورها و کارهای داوطلبانهٔ شما"
    assert text_of(link).startswith(f"{RLM}سلام،")
    assert '<html lang="fa" dir="rtl">' in html_of(link)


def test_a_spanish_rsvp_is_emailed_wholly_in_english_until_emails_speak_spanish(
        client, make_event, fetch, outbox):
    event = make_event(title=TITLE)
    client.post(f"/events/{event.slug}/rsvp", headers={"Accept-Language": "es"},
                data=rsvp_form("online"))

    [rsvp] = fetch(sa.select(Rsvp))
    assert rsvp.language == "es"  # kept for when they do
    [message] = outbox()
    assert message["Subject"] == f"RSVP confirmed: {TITLE}"
    assert text_of(message).startswith("Hello Shirin,")
    assert '<html lang="en" dir="ltr">' in html_of(message)
    assert invite_of(message).description.startswith("You are attending online.")


def test_a_broadcast_keeps_the_coordinators_words_around_each_persons_language(
        client, coordinator, make_event, outbox):
    event = make_event(title=TITLE)
    client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN, data=rsvp_form("online"))
    client.post(f"/events/{event.slug}/rsvp",
                data=rsvp_form("online", name="Ana", email="ana@example.org"))
    form = {"segment": "all", "subject": "Bring water", "body": "It will be hot.",
            "confirmed": "1"}
    assert coordinator.post(f"/console/events/{event.id}/message",
                            data=form).status_code == 303

    shirin, ana = outbox()[2:]
    assert shirin["Subject"] == ana["Subject"] == "Bring water"
    text = text_of(shirin)
    assert text.startswith(f"{RLM}سلام Shirin،")
    assert "\r\nIt will be hot.\r\n" in text  # as written, in its own direction
    assert f"{RLM}دربارهٔ: {TITLE}" in text
    assert '<p style="white-space: pre-wrap;" dir="auto">It will be hot.</p>' in html_of(shirin)
    assert text_of(ana).startswith("Hello Ana,\r\n\r\nIt will be hot.")


def test_a_translated_title_is_used_in_the_email_but_not_in_the_invite(app, client, make_event,
                                                                       outbox):
    from volunteer_hub.events.models import Event
    from volunteer_hub.events.translations import save_translation

    event = make_event(title=TITLE)
    with app.app_context():
        save_translation(db.session.get(Event, event.id), "fa",
                         title="زندانیان سیاسی ایران باید آزاد شوند", description="")
        db.session.commit()
    client.post(f"/events/{event.slug}/rsvp", headers=PERSIAN, data=rsvp_form(event.venues[0]))
    [message] = outbox()
    assert message["Subject"] == "اعلام حضور شما ثبت شد: زندانیان سیاسی ایران باید آزاد شوند"
    assert "زندانیان سیاسی ایران باید آزاد شوند" in text_of(message)
    assert TITLE not in text_of(message)
    assert invite_of(message).summary == TITLE  # calendars keep the event's own title
