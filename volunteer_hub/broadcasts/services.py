"""Who is in a segment, and sending them all one message through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from volunteer_hub.broadcasts.models import Broadcast
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.mail.compose import queue_email
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.rsvps import services as rsvps
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers import services as volunteers
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Signup, Task


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    #: the person's own manage link, in the footer of their copy
    manage_url: str
    rsvp_id: int | None = None
    signup_id: int | None = None
    #: the person's language, for the email around the coordinator's words
    language: str = "en"


def segments(event: Event) -> list[tuple[str, str]]:
    """The groups a coordinator can write to, as (value, label)."""
    choices = [("all", "Everyone going or on the waitlist"), ("waitlist", "The waitlist")]
    choices += [(f"venue:{venue.id}", f"Going to {venue.name}") for venue in event.venues]
    if event.online:
        choices.append(("online", "Going online"))
    tasks = db.session.scalars(select(Task).where(Task.event_id == event.id)
                               .order_by(Task.position, Task.id))
    choices += [(f"task:{task.id}", f"Volunteers for “{task.title}”") for task in tasks]
    return choices


def recipients(event: Event, segment: str) -> list[Recipient]:
    """Everyone in the segment with an email address, each address once."""
    if segment.startswith("task:"):
        return _volunteers(event, segment)
    query = select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.email_key != "")
    if segment == "waitlist":
        query = query.where(Rsvp.status == RsvpStatus.WAITLISTED)
    elif segment == "all":
        query = query.where(Rsvp.status != RsvpStatus.CANCELLED)
    elif segment == "online":
        query = query.where(Rsvp.status == RsvpStatus.GOING, Rsvp.venue_id.is_(None))
    elif segment.startswith("venue:") and segment[6:].isascii() and segment[6:].isdigit():
        query = query.where(Rsvp.status == RsvpStatus.GOING, Rsvp.venue_id == int(segment[6:]))
    else:
        return []
    found: dict[str, Recipient] = {}
    for rsvp in db.session.scalars(query.order_by(Rsvp.id)):
        found.setdefault(rsvp.email_key, Recipient(
            rsvp.name, rsvp.email, rsvps.manage_url(rsvp), rsvp_id=rsvp.id,
            language=rsvp.language))
    return list(found.values())


def _volunteers(event: Event, segment: str) -> list[Recipient]:
    task_id = segment[5:]
    if not (task_id.isascii() and task_id.isdigit()):
        return []
    assignments = db.session.scalars(
        select(Assignment).join(Assignment.task)
        .where(Task.id == int(task_id), Task.event_id == event.id)
        .where(Assignment.status == AssignmentStatus.CONFIRMED).order_by(Assignment.id)
        # People the retention policy anonymised have no address left.
        .where(Assignment.signup.has(Signup.email_key != ""))
    )
    found: dict[str, Recipient] = {}
    for assignment in assignments:
        signup = assignment.signup
        found.setdefault(signup.email_key, Recipient(
            signup.name, signup.email, volunteers.manage_url(signup), signup_id=signup.id,
            language=signup.language))
    return list(found.values())


def send(event: Event, segment: str, label: str, subject: str, body: str,
         coordinator: Coordinator) -> Broadcast:
    """Queue one copy per person in the segment, each with their own link,
    the coordinator's words as written around the person's own language.

    The same message to the same group again within a couple of minutes is
    a double click: the broadcast already queued is returned instead.
    """
    twin = db.session.scalar(
        select(Broadcast).where(
            Broadcast.event_id == event.id, Broadcast.segment == segment,
            Broadcast.subject == subject, Broadcast.body == body,
            Broadcast.created_at >= utcnow() - timedelta(minutes=2))
        .order_by(Broadcast.id.desc()).limit(1))
    if twin is not None:
        return twin
    people = recipients(event, segment)
    broadcast = Broadcast(event_id=event.id, segment=segment, segment_label=label,
                          subject=subject, body=body, recipients=len(people),
                          coordinator_id=coordinator.id)
    db.session.add(broadcast)
    db.session.flush()
    for person in people:
        queue_email("broadcasts/message", to_name=person.name, to_email=person.email,
                    subject=subject, language=person.language, rsvp_id=person.rsvp_id,
                    signup_id=person.signup_id, broadcast_id=broadcast.id, body=body, event=event,
                    manage_url=person.manage_url,
                    event_url=absolute_url("events.detail", slug=event.slug))
    db.session.flush()
    return broadcast


def progress(broadcast: Broadcast) -> dict[str, int]:
    """Messages of the broadcast by state: pending, sent, failed."""
    counts = dict.fromkeys(("pending", "sent", "failed"), 0)
    rows = db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id))
        .where(OutboxMessage.broadcast_id == broadcast.id).group_by(OutboxMessage.status))
    for status, count in rows:
        counts[status.value] = count
    return counts
