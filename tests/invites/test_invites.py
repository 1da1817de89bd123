"""Every RSVP ends up as one calendar entry that follows the event: the same
UID throughout, a higher SEQUENCE with each change, CANCEL when it is off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_string, policy

import pytest
import sqlalchemy as sa

from tests.helpers import invite_of, manage_path, rsvp_form, text_of
from volunteer_hub.database import begin_write
from volunteer_hub.events import changes
from volunteer_hub.events.models import Event, Venue
from volunteer_hub.extensions import db
from volunteer_hub.mail.delivery import deliver_due
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.mail.transports import SmtpTransport
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.rsvps.services import queue_due_reminders

NEW_YORK_3PM = datetime(2027, 9, 25, 19, 0, tzinfo=UTC)  # 3:00 pm EDT
BERKELEY_3PM = datetime(2027, 9, 25, 22, 0, tzinfo=UTC)  # 3:00 pm PDT


@pytest.fixture
def afternoon(make_event):
    """The demo afternoon: Harlem, Berkeley at its own local time, and online."""
    return make_event(
        starts_at=NEW_YORK_3PM,
        ends_at=NEW_YORK_3PM + timedelta(hours=3),
        venues=[
            {"name": "Revolution Books Harlem", "capacity": 2,
             "address": "437 Malcolm X Blvd @ 132nd St., New York"},
            {"name": "Revolution Books Berkeley", "timezone": "America/Los_Angeles",
             "starts_at": BERKELEY_3PM, "ends_at": BERKELEY_3PM + timedelta(hours=3),
             "address": "Berkeley, California"},
        ],
    )


def rsvp(client, event, attendance, **fields):
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(attendance, **fields)))


def mails_to(outbox, address):
    return [m for m in outbox() if m["To"].addresses[0].addr_spec == address]


def change_event(app, event_id, change, *args, **kwargs):
    """Run a coordinator change the way a request would."""
    with app.app_context():
        begin_write()
        event = db.session.get(Event, event_id)
        told = change(event, *args, **kwargs)
        db.session.commit()
        return told


def test_confirmation_through_smtp_carries_a_complete_invite(
    app, client, afternoon, smtp_server
):
    controller, inbox = smtp_server
    path = rsvp(client, afternoon, afternoon.venues[0], name="Shirin")
    with app.app_context():
        deliver_due(SmtpTransport(controller.hostname, controller.port))

    [message] = inbox.messages
    assert message.get_content_type() == "multipart/mixed"
    invite = invite_of(message)
    assert invite.method == "REQUEST"
    assert invite.sequence == 0
    assert invite.uid.startswith("rsvp-") and invite.uid.endswith("@hub.example.org")
    assert invite.tzid == "America/New_York"
    assert invite.starts_at == NEW_YORK_3PM
    assert invite.starts_at.astimezone(invite.starts_at.tzinfo).hour == 15
    assert invite.ends_at - invite.starts_at == timedelta(hours=3)
    assert invite.location == "Revolution Books Harlem, 437 Malcolm X Blvd @ 132nd St., New York"
    assert invite.url == f"https://hub.example.org/events/{afternoon.slug}"
    assert f"https://hub.example.org{path}" in invite.description
    assert invite.organizer == "mailto:hub@example.org"
    assert (invite.attendee, invite.attendee_name) == ("mailto:shirin@example.org", "Shirin")
    assert invite.summary == afternoon.title
    assert "DTSTAMP:" in invite.ics
    assert "The attached invite adds it to your calendar" in text_of(message)


def test_berkeley_invite_is_in_berkeley_time(client, afternoon, outbox):
    rsvp(client, afternoon, afternoon.venues[1])
    invite = invite_of(outbox()[0])
    assert invite.tzid == "America/Los_Angeles"
    assert invite.vtimezones == ["America/Los_Angeles"]
    assert invite.starts_at == BERKELEY_3PM
    assert "DTSTART;TZID=America/Los_Angeles:20270925T150000" in invite.ics


def test_online_invite_says_online_and_carries_the_stream_link(client, afternoon, outbox):
    rsvp(client, afternoon, "online")
    invite = invite_of(outbox()[0])
    assert invite.location == "Online"
    assert "https://stream.example.org/live" in invite.description
    assert invite.tzid == "America/New_York"


def test_switching_venue_updates_and_cancelling_removes_the_same_entry(client, afternoon, outbox):
    harlem, berkeley = afternoon.venues
    path = rsvp(client, afternoon, harlem)
    client.post(path, data={"attendance": str(berkeley.id), "guests": "0"})
    client.post(path, data={"attendance": "online", "guests": "0"})
    client.post(f"{path}/cancel")

    first, moved, online, cancelled = (invite_of(m) for m in outbox())
    assert {first.uid, moved.uid, online.uid, cancelled.uid} == {first.uid}
    assert [i.sequence for i in (first, moved, online, cancelled)] == [0, 1, 2, 3]
    assert [i.method for i in (first, moved, online, cancelled)] == [
        "REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    assert moved.starts_at == BERKELEY_3PM and moved.tzid == "America/Los_Angeles"
    assert online.location == "Online"
    assert cancelled.status == "CANCELLED"


def test_a_change_the_entry_does_not_show_sends_no_new_invite(client, afternoon, outbox):
    path = rsvp(client, afternoon, afternoon.venues[0], keep_updated="y")
    client.post(path, data={"attendance": str(afternoon.venues[0].id), "guests": "0"})
    assert len(outbox()) == 1  # consent only: no email, no SEQUENCE spent


def test_waitlisted_people_get_their_invite_when_promoted(client, afternoon, outbox):
    harlem = afternoon.venues[0]
    ana = rsvp(client, afternoon, harlem, name="Ana", email="ana@example.org", guests="1")
    rsvp(client, afternoon, harlem, name="Babak", email="babak@example.org")
    [waitlisted] = mails_to(outbox, "babak@example.org")
    assert invite_of(waitlisted) is None

    client.post(f"{ana}/cancel")
    _, promoted = mails_to(outbox, "babak@example.org")
    assert promoted["Subject"].startswith("A place is yours")
    invite = invite_of(promoted)
    assert (invite.method, invite.sequence) == ("REQUEST", 0)


def test_tba_event_sends_invites_the_moment_its_date_is_set(app, client, make_event, outbox):
    event = make_event(starts_at=None, ends_at=None, online=False,
                       venues=[{"name": "Outside the UN", "capacity": 1}])
    rsvp(client, event, event.venues[0], name="Ana", email="ana@example.org")
    rsvp(client, event, event.venues[0], name="Babak", email="babak@example.org")
    assert [invite_of(m) for m in outbox()] == [None, None]
    assert "As soon as the date is set" in text_of(outbox()[0])

    press_time = datetime(2027, 9, 21, 14, 0, tzinfo=UTC)  # 10:00 am EDT
    told = change_event(app, event.id, changes.reschedule, press_time,
                        press_time + timedelta(hours=1))

    assert told == 1  # Babak is on the waitlist: no invite for him yet
    [announcement] = mails_to(outbox, "ana@example.org")[1:]
    assert announcement["Subject"] == f"Date announced: {event.title}"
    invite = invite_of(announcement)
    assert (invite.method, invite.sequence, invite.starts_at) == ("REQUEST", 0, press_time)
    assert len(mails_to(outbox, "babak@example.org")) == 1


def test_moving_the_event_across_the_clock_change_updates_the_entry(
    app, client, make_event, outbox
):
    saturday = datetime(2027, 11, 6, 19, 0, tzinfo=UTC)  # 3:00 pm EDT, before the change
    event = make_event(starts_at=saturday, ends_at=saturday + timedelta(hours=2))
    rsvp(client, event, event.venues[0])
    sunday = datetime(2027, 11, 7, 20, 0, tzinfo=UTC)  # 3:00 pm EST, after it

    change_event(app, event.id, changes.reschedule, sunday, sunday + timedelta(hours=2))

    before, after = (invite_of(m) for m in outbox())
    assert before.uid == after.uid and after.sequence == before.sequence + 1
    assert "DTSTART;TZID=America/New_York:20271106T150000" in before.ics
    assert "DTSTART;TZID=America/New_York:20271107T150000" in after.ics
    assert after.starts_at == sunday and after.starts_at.utcoffset() == timedelta(hours=-5)
    assert before.starts_at.utcoffset() == timedelta(hours=-4)
    assert outbox()[1]["Subject"] == f"Changed: {event.title}"


def test_editing_a_venue_updates_only_the_people_there(app, client, afternoon, outbox):
    rsvp(client, afternoon, afternoon.venues[0], name="Ana", email="ana@example.org")
    rsvp(client, afternoon, afternoon.venues[1], name="Babak", email="babak@example.org")
    rsvp(client, afternoon, "online", name="Cyrus", email="cyrus@example.org")

    with app.app_context():
        begin_write()
        venue = db.session.get(Venue, afternoon.venues[1].id)
        told = changes.update_venue(venue, address="2444 Durant Ave, Berkeley")
        db.session.commit()

    assert told == 1
    [_, update] = mails_to(outbox, "babak@example.org")
    assert invite_of(update).location == "Revolution Books Berkeley, 2444 Durant Ave, Berkeley"
    assert len(mails_to(outbox, "ana@example.org")) == 1
    assert len(mails_to(outbox, "cyrus@example.org")) == 1


def test_a_new_online_link_reaches_only_online_attendees(app, client, afternoon, outbox):
    rsvp(client, afternoon, afternoon.venues[0], name="Ana", email="ana@example.org")
    rsvp(client, afternoon, "online", name="Cyrus", email="cyrus@example.org")

    told = change_event(app, afternoon.id, changes.set_stream_url, "https://stream.example.org/new")

    assert told == 1
    [_, update] = mails_to(outbox, "cyrus@example.org")
    invite = invite_of(update)
    assert "https://stream.example.org/new" in invite.description and invite.sequence == 1
    assert len(mails_to(outbox, "ana@example.org")) == 1


def test_cancelling_the_event_tells_everyone_and_clears_calendars(app, client, afternoon, outbox):
    harlem = afternoon.venues[0]
    rsvp(client, afternoon, harlem, name="Ana", email="ana@example.org", guests="1")
    rsvp(client, afternoon, harlem, name="Babak", email="babak@example.org")  # waitlisted
    gone = rsvp(client, afternoon, "online", name="Cyrus", email="cyrus@example.org")
    client.post(f"{gone}/cancel")

    told = change_event(app, afternoon.id, changes.cancel_event)
    assert told == 2
    assert change_event(app, afternoon.id, changes.cancel_event) == 0  # only once

    [_, ana_cancel] = mails_to(outbox, "ana@example.org")
    invite = invite_of(ana_cancel)
    assert (invite.method, invite.sequence, invite.status) == ("CANCEL", 1, "CANCELLED")
    [_, babak_news] = mails_to(outbox, "babak@example.org")
    assert babak_news["Subject"] == f"Cancelled: {afternoon.title}"
    assert invite_of(babak_news) is None
    assert len(mails_to(outbox, "cyrus@example.org")) == 2  # confirmation and own cancel


def test_reminder_the_day_before_links_to_manage_and_cancel(app, client, afternoon, fetch, outbox):
    path = rsvp(client, afternoon, afternoon.venues[0])
    rsvp(client, afternoon, afternoon.venues[1], name="Babak", email="babak@example.org")

    def remind(now):
        with app.app_context():
            begin_write()
            count = queue_due_reminders(now)
            db.session.commit()
            return count

    assert remind(NEW_YORK_3PM - timedelta(hours=25)) == 0
    assert remind(NEW_YORK_3PM - timedelta(hours=23)) == 1  # Harlem; Berkeley starts later
    assert remind(NEW_YORK_3PM - timedelta(hours=22)) == 0  # never twice
    assert remind(BERKELEY_3PM - timedelta(hours=23)) == 1

    reminder = next(m for m in outbox() if m["Subject"].startswith("Reminder"))
    text = text_of(reminder)
    assert f"https://hub.example.org{path}/cancel" in text
    assert f"https://hub.example.org{path}\r\n" in text
    assert invite_of(reminder) is None
    # The cancel link opens a confirmation; following it changes nothing.
    assert "Yes, cancel my RSVP" in client.get(f"{path}/cancel").get_data(as_text=True)
    assert all(r.status.name == "GOING" for r in fetch(sa.select(Rsvp)))


def test_late_rsvps_and_turned_off_reminders_get_none(app, client, make_event):
    soon = datetime.now(UTC) + timedelta(hours=5)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=1))
    rsvp(client, event, event.venues[0])
    with app.app_context():
        begin_write()
        assert queue_due_reminders() == 0  # RSVPed inside the window
        db.session.rollback()
        app.config["REMINDER_HOURS_BEFORE"] = 0
        assert queue_due_reminders() == 0


def test_deleting_data_sends_a_cancel_for_the_calendar(client, afternoon, app):
    path = rsvp(client, afternoon, afternoon.venues[0])
    client.post(f"{path}/delete")
    with app.app_context():
        [mime] = db.session.scalars(
            sa.select(OutboxMessage.mime).where(OutboxMessage.rsvp_id.is_(None)))
    invite = invite_of(message_from_string(mime, policy=policy.default))
    assert (invite.method, invite.sequence) == ("CANCEL", 1)


def test_changes_after_cancellation_tell_nobody_again(app, client, afternoon, outbox):
    rsvp(client, afternoon, afternoon.venues[0])
    change_event(app, afternoon.id, changes.cancel_event)
    sent = len(outbox())
    assert change_event(app, afternoon.id, changes.set_stream_url, "https://x.example") == 0
    assert len(outbox()) == sent


def test_a_dated_event_cannot_go_back_to_tba(app, afternoon):
    with pytest.raises(changes.ChangeError, match="cannot go back"):
        change_event(app, afternoon.id, changes.reschedule, None, None)
    with pytest.raises(changes.ChangeError, match="end must come after"):
        change_event(app, afternoon.id, changes.reschedule, NEW_YORK_3PM, NEW_YORK_3PM)


def test_an_invite_in_the_hour_the_clocks_repeat_is_written_in_utc(app, client, make_event,
                                                                   outbox):
    # 1:30 am EST on 7 November 2027, the second time New York's clocks show 1:30.
    second_half_past_one = datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
    event = make_event(starts_at=second_half_past_one,
                       ends_at=second_half_past_one + timedelta(hours=1))
    rsvp(client, event, event.venues[0])
    invite = invite_of(outbox()[0])
    assert invite.tzid == "UTC" and invite.starts_at == second_half_past_one
    assert "DTSTART:20271107T063000Z" in invite.ics
