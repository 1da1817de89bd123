"""When each kind of personal data is due to go: undated and cancelled
events, ongoing tasks, volunteers across several events, contact messages,
offers of help, endorsements, mail and lookup links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.privacy.conftest import book, sign_up
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.contact.models import ContactMessage, ContactReply, MessageState, Topic
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.privacy.retention import event_ended_at, event_purge_at
from volunteer_hub.rsvps.models import Rsvp
from volunteer_hub.volunteers import changes
from volunteer_hub.volunteers.models import Assignment, HelpOffer, Signup, Task

DAY = timedelta(days=1)


def test_an_event_ends_when_its_last_venue_does():
    """Berkeley's 3 pm is three hours after Harlem's: its end counts."""
    start = SATURDAY_3PM_NEW_YORK
    event = Event(starts_at=start, ends_at=start + timedelta(hours=3), venues=[
        Venue(name="Harlem", starts_at=None, ends_at=None),
        Venue(name="Berkeley", starts_at=start + timedelta(hours=3),
              ends_at=start + timedelta(hours=6)),
    ], status=EventStatus.PUBLISHED)
    assert event_ended_at(event) == start + timedelta(hours=6)
    assert event_purge_at(event, 30) == start + timedelta(hours=6) + 30 * DAY
    assert event_purge_at(Event(starts_at=None, ends_at=None, venues=[],
                                status=EventStatus.PUBLISHED), 30) is None


def test_an_undated_event_keeps_its_rsvps_until_it_is_cancelled(
        app, client, make_event, purge, fetch):
    tba = make_event(title="UN press conference", starts_at=None, ends_at=None)
    book(client, tba, name="Nasrin")
    assert purge(utcnow() + 3650 * DAY).rsvps == 0

    with app.app_context():
        db.session.get(Event, tba.id).status = EventStatus.CANCELLED
        db.session.commit()
        cancelled_at = db.session.get(Event, tba.id).updated_at
    assert purge(cancelled_at + 29 * DAY).rsvps == 0
    assert purge(cancelled_at + 30 * DAY).rsvps == 1
    assert fetch(sa.select(Rsvp))[0].is_anonymised


def test_a_cancelled_event_is_purged_from_its_cancellation_not_its_date(
        app, client, make_event, purge):
    event = make_event(starts_at=SATURDAY_3PM_NEW_YORK + 300 * DAY, ends_at=None)
    book(client, event)
    with app.app_context():
        db.session.get(Event, event.id).status = EventStatus.CANCELLED
        db.session.commit()
    assert purge(utcnow() + 31 * DAY).rsvps == 1


def test_an_ongoing_task_keeps_its_volunteer_while_they_are_on_it(
        client, make_task, purge, fetch):
    translate = make_task(title="Translate the appeal into Farsi")
    path = sign_up(client, [translate], name="Leila")
    assert purge(utcnow() + 3650 * DAY).signups == 0

    client.post(f"{path}/drop/{translate}")
    [dropped_at] = fetch(sa.select(Assignment.updated_at))
    assert purge(dropped_at + 29 * DAY).signups == 0
    assert purge(dropped_at + 30 * DAY).signups == 1
    assert fetch(sa.select(Signup))[0].is_anonymised
    assert client.get(path).status_code == 404


def test_a_cancelled_ongoing_task_lets_its_volunteers_go(app, client, make_task, purge):
    share = make_task(title="Share on social media")
    sign_up(client, [share], name="Leila")
    with app.app_context():
        changes.cancel_task(db.session.get(Task, share))
        db.session.commit()
    assert purge(utcnow() + 29 * DAY).signups == 0
    assert purge(utcnow() + 31 * DAY).signups == 1


def test_a_volunteer_for_two_events_is_kept_until_the_later_is_over(
        client, make_event, make_task, purge, fetch):
    saturday = make_event()
    un_week = make_event(starts_at=SATURDAY_3PM_NEW_YORK + 10 * DAY,
                         ends_at=SATURDAY_3PM_NEW_YORK + 10 * DAY + timedelta(hours=2))
    chairs = make_task(event=saturday, venue=saturday.venues[0], title="Set up chairs")
    leaflets = make_task(event=un_week, title="Hand out leaflets at the UN")
    sign_up(client, [chairs, leaflets], name="Leila", email="leila@example.org")

    later_end = SATURDAY_3PM_NEW_YORK + 10 * DAY + timedelta(hours=2)
    assert purge(later_end + 29 * DAY).signups == 0
    assert purge(later_end + 30 * DAY).signups == 1
    [signup] = fetch(sa.select(Signup))
    assert (signup.name, signup.email, signup.phone) == ("", "", "")
    # Both tasks still count their volunteer.
    assert len(fetch(sa.select(Assignment))) == 2


def test_a_timed_ongoing_task_is_over_when_its_time_is(client, make_task, purge):
    start = datetime(2027, 9, 21, 14, 0, tzinfo=UTC)
    rally = make_task(title="Leaflets outside the UN", starts_at=start,
                      ends_at=start + timedelta(hours=2))
    sign_up(client, [rally])
    assert purge(start + timedelta(hours=2) + 29 * DAY).signups == 0
    assert purge(start + timedelta(hours=2) + 30 * DAY).signups == 1


@pytest.fixture
def old_records(app, client, make_event):
    """Contact messages, offers, endorsements, links and mail of various ages."""
    book(client, make_event(), email="fresh@example.org")
    now = utcnow()
    with app.app_context():
        def message(name: str, state: MessageState, handled_days_ago: int | None):
            handled_at = None if handled_days_ago is None else now - handled_days_ago * DAY
            contact = ContactMessage(name=name, email=f"{name.lower()}@example.org",
                                     topic=Topic.QUESTION, body="Hello", state=state,
                                     created_at=now - 400 * DAY, handled_at=handled_at)
            contact.replies.append(ContactReply(coordinator_name="Admin", body="Hi"))
            db.session.add(contact)

        message("Handledlongago", MessageState.HANDLED, 91)
        message("Handledrecently", MessageState.HANDLED, 89)
        message("Stillnew", MessageState.NEW, None)
        for name, days in (("Oldoffer", 181), ("Newoffer", 179)):
            db.session.add(HelpOffer(name=name, email=f"{name.lower()}@example.org",
                                     created_at=now - days * DAY))
        for name, created, confirmed in (("Unconfirmedold", 8, None),
                                         ("Unconfirmednew", 6, None),
                                         ("Confirmedold", 800, 799)):
            db.session.add(Endorsement(
                name=name, email=f"{name.lower()}@example.org", email_key=f"{name.lower()}@x",
                token_nonce="n", token_hash=f"hash-{name}", created_at=now - created * DAY,
                confirmed_at=None if confirmed is None else now - confirmed * DAY))
        db.session.add(LookupLink(email_key="gone@example.org", token_hash="a" * 64,
                                  created_at=now - 2 * DAY, expires_at=now - DAY))
        db.session.add(LookupLink(email_key="fresh@example.org", token_hash="b" * 64,
                                  created_at=now, expires_at=now + DAY))
        for subject, status, days in (("Old sent", MessageStatus.SENT, 31),
                                      ("Old failed", MessageStatus.FAILED, 31),
                                      ("Recent sent", MessageStatus.SENT, 29),
                                      ("Old pending", MessageStatus.PENDING, 31)):
            db.session.add(OutboxMessage(recipient="someone@example.org", subject=subject,
                                         mime=None, status=status,
                                         created_at=now - days * DAY))
        db.session.commit()
    return now


def test_other_personal_data_goes_after_its_own_period(old_records, purge, fetch):
    report = purge(old_records)
    assert (report.contact_messages, report.help_offers, report.endorsements,
            report.lookup_links) == (1, 1, 1, 1)
    assert [m.name for m in fetch(sa.select(ContactMessage).order_by(ContactMessage.id))] == [
        "Handledrecently", "Stillnew"]
    assert len(fetch(sa.select(ContactReply))) == 2
    assert [o.name for o in fetch(sa.select(HelpOffer))] == ["Newoffer"]
    assert sorted(e.name for e in fetch(sa.select(Endorsement))) == [
        "Confirmedold", "Unconfirmednew"]
    assert [link.email_key for link in fetch(sa.select(LookupLink))] == ["fresh@example.org"]
    assert sorted(m.subject for m in fetch(sa.select(OutboxMessage))) == [
        "Old pending", "RSVP confirmed: Event 1", "Recent sent"]


def test_each_period_is_configurable(app, old_records, purge, fetch):
    app.config.update(RETENTION_CONTACT_DAYS=0, RETENTION_OFFER_DAYS=0,
                      RETENTION_ENDORSEMENT_DAYS=365)
    report = purge(old_records)
    assert (report.contact_messages, report.help_offers, report.endorsements) == (0, 0, 2)
    assert [e.name for e in fetch(sa.select(Endorsement))] == ["Unconfirmednew"]
