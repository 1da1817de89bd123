"""The retention policy: a past event's people leave no trace in the
database, while the console keeps every count."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import SATURDAY_3PM_NEW_YORK
from tests.privacy.conftest import book, sign_up
from volunteer_hub.attendance.services import roster, task_with_places
from volunteer_hub.broadcasts.models import Broadcast
from volunteer_hub.broadcasts.services import progress
from volunteer_hub.broadcasts.services import send as send_broadcast
from volunteer_hub.comments.models import Comment, CommentState
from volunteer_hub.console.services import place_counts, rsvps_per_day
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.lookup.models import LookupLink
from volunteer_hub.mail.models import MessageStatus, OutboxMessage
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.volunteers.models import Signup

EVENT_END = SATURDAY_3PM_NEW_YORK + timedelta(hours=3)
#: A day past the default retention of 30 days after the event
AFTER_RETENTION = EVENT_END + timedelta(days=31)

#: The people of the past event: none of this may remain after the purge.
PAST_PEOPLE = {
    "Parvaneh Purgeable": "parvaneh.p@example.org",
    "Babak Purgeable": "babak.p@example.org",
    "Wafa Waitlisted": "wafa.w@example.org",
    "Cyrus Cancelled": "cyrus.c@example.org",
    "Omid Online": "omid.o@example.org",
    "Vida Volunteer": "vida.v@example.org",
}
WALK_IN = ("Wahid Walkin", "wahid.w@example.org")
COMMENTERS = ("Kaveh Commenter", "Pari Pending")
ACCESS_NEEDS = "Step-free entry for Parvaneh's wheelchair"


def _past_event_with_everyone(app, client, coordinator, make_event, make_task, fetch):
    """A Saturday afternoon at Harlem (3 places) and online, with people going,
    waiting, cancelled, online, walked in, checked in, commenting and
    volunteering; and a later event that must keep its people."""
    event = make_event(title="Afternoon of Solidarity",
                       venues=[{"name": "Revolution Books Harlem", "capacity": 3}])
    harlem = event.venues[0]
    emails = PAST_PEOPLE
    book(client, event, name="Parvaneh Purgeable", email=emails["Parvaneh Purgeable"],
         guests="1", keep_updated="y")
    book(client, event, name="Babak Purgeable", email=emails["Babak Purgeable"])
    book(client, event, name="Wafa Waitlisted", email=emails["Wafa Waitlisted"])
    cyrus = book(client, event, "online", name="Cyrus Cancelled", email=emails["Cyrus Cancelled"])
    client.post(f"{cyrus}/cancel")
    book(client, event, "online", name="Omid Online", email=emails["Omid Online"])
    task = make_task(event=event, venue=harlem, title="Set up chairs")
    sign_up(client, [task], name="Vida Volunteer", email=emails["Vida Volunteer"],
            phone="+1 212 555 0100", languages="Farsi", skills="carpentry",
            note="Call me after 6")
    client.post("/find", data={"email": emails["Parvaneh Purgeable"]})

    door = f"/console/events/{event.id}/check-in"
    coordinator.post(f"{door}/walk-in", data={"name": WALK_IN[0], "email": WALK_IN[1],
                                              "place": harlem.id})
    parvaneh = fetch(sa.select(Rsvp).where(Rsvp.name == "Parvaneh Purgeable"))[0]
    coordinator.post(f"{door}/{parvaneh.id}", data={"checked_in": "1"})
    with app.app_context():
        db.session.execute(sa.update(Rsvp).where(Rsvp.id == parvaneh.id).values(
            access_needs=ACCESS_NEEDS, language="fa"))
        db.session.execute(sa.update(Signup).values(language="fa"))
        db.session.commit()

    for name in COMMENTERS:
        client.post(f"/events/{event.slug}/comments",
                    data={"comment-name": name, "comment-body": "Free them all!"})
    first = fetch(sa.select(Comment).order_by(Comment.id))[0]
    coordinator.post(f"/console/comments/{first.id}", data={"state": "approved"})

    with app.app_context():
        sender = db.session.scalar(sa.select(Coordinator))
        send_broadcast(db.session.get(Event, event.id), "all", "Everyone", "See you Saturday",
                       "Bring a friend.", sender)
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["send-mail", "--once"]).exit_code == 0

    later = make_event(title="Press conference at the UN",
                       starts_at=SATURDAY_3PM_NEW_YORK + timedelta(days=200), ends_at=None)
    book(client, later, name="Farah Future", email="farah.f@example.org")
    return event, task, later


def _counts(app, event_id, task_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return (place_counts(event), rsvps_per_day(event),
                roster(task_with_places(task_id)).confirmed_count)


def test_past_event_people_leave_no_trace_and_every_count_stays(
        app, client, coordinator, make_event, make_task, fetch, purge, database_text):
    event, task, _later = _past_event_with_everyone(app, client, coordinator, make_event,
                                                    make_task, fetch)
    before = _counts(app, event.id, task)
    everyone = [*PAST_PEOPLE, *PAST_PEOPLE.values(), *WALK_IN, *COMMENTERS]
    text = database_text()
    assert all(value.casefold() in text for value in everyone)  # the test's premise

    early = purge(EVENT_END + timedelta(days=29))
    assert (early.events, early.rsvps, early.signups, early.comments_anonymised) == (0, 0, 0, 0)
    assert all(value.casefold() in database_text() for value in PAST_PEOPLE)  # not yet
    report = purge(AFTER_RETENTION)

    text = database_text()
    for value in [*everyone, "+1 212 555 0100", "carpentry", "Call me after 6", ACCESS_NEEDS]:
        assert value.casefold() not in text, value
    assert "farah future" in text and "farah.f@example.org" in text
    assert (report.events, report.rsvps, report.signups) == (1, 6, 1)
    assert (report.comments_anonymised, report.comments_deleted) == (1, 1)
    assert _counts(app, event.id, task) == before

    # The anonymised rows open nothing and hold no secret.
    for rsvp in fetch(sa.select(Rsvp).where(Rsvp.event_id == event.id)):
        assert (rsvp.name, rsvp.email, rsvp.email_key, rsvp.token_nonce) == ("", "", "", "")
        assert rsvp.token_hash == f"purged:{rsvp.id}" and rsvp.submission_hash is None
        assert rsvp.ical_uid == f"purged:rsvp-{rsvp.id}" and not rsvp.keep_updated
        assert (rsvp.access_needs, rsvp.language) == ("", "en")
    assert [(s.is_anonymised, s.language) for s in fetch(sa.select(Signup))] == [(True, "en")]
    assert [feed.email_key for feed in fetch(sa.select(CalendarFeed))] == ["farah.f@example.org"]
    assert fetch(sa.select(LookupLink)) == []
    # The broadcast's copies stay, without addresses, so its counts stay too.
    with app.app_context():
        broadcast = db.session.scalar(sa.select(Broadcast))
        assert progress(broadcast) == {"pending": 0, "sent": 5, "failed": 0}
    copies = fetch(sa.select(OutboxMessage).where(OutboxMessage.broadcast_id.is_not(None)))
    assert {(m.recipient, m.rsvp_id, m.status) for m in copies} == {
        ("", None, MessageStatus.SENT)}
    [comment] = fetch(sa.select(Comment))
    assert (comment.name, comment.body, comment.state) == ("", "Free them all!",
                                                          CommentState.APPROVED)


def test_after_the_purge_the_console_shows_counts_and_says_why_names_are_gone(
        app, client, coordinator, make_event, make_task, fetch, purge):
    event, task, _later = _past_event_with_everyone(app, client, coordinator, make_event,
                                                    make_task, fetch)
    purge(AFTER_RETENTION)
    notice = "Personal data removed under the retention policy"

    page = coordinator.get(f"/console/events/{event.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and notice in html
    assert "of 6 people were deleted 30 days after" in html
    # Harlem: Parvaneh (+1), Babak and the walk-in going, Wafa waiting, two checked in.
    assert re.search(r"Revolution Books Harlem</th><td class=\"num\">3</td><td class=\"num\">1"
                     r"</td><td class=\"num\">4</td><td class=\"num\">3</td><td class=\"num\">1"
                     r"</td><td class=\"num\">2</td>", html)
    assert "No RSVP is listed any more." in html and "Parvaneh" not in html

    rsvp_id = fetch(sa.select(Rsvp.id).order_by(Rsvp.id))[0]
    single = coordinator.get(f"/console/rsvps/{rsvp_id}").get_data(as_text=True)
    assert "Personal data removed" in single and "Save and tell the person" not in single

    sheet = coordinator.get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    assert notice in sheet and "Nobody is listed by name any more." in sheet
    assert re.search(r"On the list: <strong>3</strong> attendees \+ <strong>1</strong> guest = "
                     r"<strong>4</strong> people", sheet)
    csv = coordinator.get(f"/console/events/{event.id}/attendance.csv").get_data(as_text=True)
    assert csv.strip() == "\ufeffPlace,Name,Guests,People,Attendance,Checked in"

    door = coordinator.get(f"/console/events/{event.id}/check-in").get_data(as_text=True)
    assert notice in door and "<strong data-checked-in>2</strong> of <strong data-going>3"\
        "</strong>" in door
    roster_page = coordinator.get(f"/console/tasks/{task}/roster").get_data(as_text=True)
    assert notice in roster_page and "<strong>1</strong> confirmed" in roster_page
    assert coordinator.get("/console/").status_code == 200
    assert coordinator.get("/console/rosters").status_code == 200

    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<strong>Anonymous</strong>" in public and "Free them all!" in public
    assert "Kaveh" not in public

    # Acting for an anonymised person works, and writes to nobody.
    messages = len(fetch(sa.select(OutboxMessage)))
    assert coordinator.post(f"/console/rsvps/{rsvp_id}/cancel").status_code == 303
    assert fetch(sa.select(Rsvp.status).where(Rsvp.id == rsvp_id)) == [RsvpStatus.CANCELLED]
    assert len(fetch(sa.select(OutboxMessage))) == messages


def test_nobody_is_emailed_about_an_anonymised_record(
        app, client, coordinator, make_event, make_task, fetch, purge, outbox):
    event, task, _later = _past_event_with_everyone(app, client, coordinator, make_event,
                                                    make_task, fetch)
    purge(AFTER_RETENTION)
    sent_before = len(outbox())
    # A coordinator moves the past event, cancels it, and writes to its people.
    response = coordinator.post(f"/console/events/{event.id}/cancel")
    assert response.status_code in (200, 303)
    with app.app_context():
        sender = db.session.scalar(sa.select(Coordinator))
        past = db.session.get(Event, event.id)
        assert send_broadcast(past, "all", "Everyone", "Thanks", "Thank you.", sender
                              ).recipients == 0
        assert send_broadcast(past, f"task:{task}", "Volunteers", "Thanks", "Thank you.", sender
                              ).recipients == 0
        db.session.commit()
    assert len(outbox()) == sent_before


def test_someone_with_a_later_rsvp_keeps_it_and_their_calendar_feed(
        client, make_event, fetch, purge):
    past = make_event()
    later = make_event(starts_at=SATURDAY_3PM_NEW_YORK + timedelta(days=200), ends_at=None)
    book(client, past, name="Bahar Both", email="bahar@example.org")
    later_path = book(client, later, name="Bahar Both", email="bahar@example.org")

    purge(AFTER_RETENTION)

    rsvps = fetch(sa.select(Rsvp).order_by(Rsvp.id))
    assert [(r.event_id, r.name) for r in rsvps] == [(past.id, ""), (later.id, "Bahar Both")]
    assert [feed.email_key for feed in fetch(sa.select(CalendarFeed))] == ["bahar@example.org"]
    assert client.get(later_path).status_code == 200


def test_purging_twice_changes_nothing_more(client, make_event, purge, fetch):
    event = make_event()
    book(client, event)
    first = purge(AFTER_RETENTION)
    assert first.rsvps == 1
    rows = [(r.id, r.name, r.token_hash, r.status) for r in fetch(sa.select(Rsvp))]
    second = purge(AFTER_RETENTION + timedelta(days=1))
    assert not second
    assert all(set(re.findall(r"\d+", line)) == {"0"} for line in second.lines())
    assert [(r.id, r.name, r.token_hash, r.status) for r in fetch(sa.select(Rsvp))] == rows


def test_the_command_prints_counts_only_and_is_idempotent(
        app, client, runner, make_event, set_event_times, fetch):
    event = make_event()
    path = book(client, event, name="Shirin Secret", email="shirin.secret@example.org")
    book(client, event, "online", name="Omid Secret", email="omid.secret@example.org")
    from volunteer_hub.database import utcnow

    set_event_times(event.id, starts_at=utcnow() - timedelta(days=40),
                    ends_at=utcnow() - timedelta(days=40) + timedelta(hours=3))

    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Retention: personal data goes 30 days after an event ends" in result.output
    assert "RSVPs anonymised: 2" in result.output
    assert "Events whose people's data was removed: 1" in result.output
    assert "secret" not in result.output.casefold()
    assert client.get(path).status_code == 404

    again = runner.invoke(args=["purge-expired"])
    assert again.exit_code == 0 and "RSVPs anonymised: 0" in again.output
    assert [r.status for r in fetch(sa.select(Rsvp).order_by(Rsvp.id))] == [
        RsvpStatus.GOING, RsvpStatus.GOING]


def test_retention_days_is_configurable(app, client, make_event, purge, fetch):
    app.config["RETENTION_DAYS"] = 7
    event = make_event()
    book(client, event)
    assert purge(EVENT_END + timedelta(days=6, hours=23)).rsvps == 0
    assert purge(EVENT_END + timedelta(days=7)).rsvps == 1
    assert fetch(sa.select(Rsvp))[0].is_anonymised


def test_acting_for_a_walk_in_without_an_address_writes_to_nobody(
        coordinator, make_event, fetch, outbox):
    event = make_event()
    coordinator.post(f"/console/events/{event.id}/check-in/walk-in",
                     data={"name": "Walk-in", "place": event.venues[0].id})
    [rsvp] = fetch(sa.select(Rsvp))
    assert coordinator.post(f"/console/rsvps/{rsvp.id}/cancel").status_code == 303
    assert fetch(sa.select(Rsvp.status)) == [RsvpStatus.CANCELLED]
    assert outbox() == []
