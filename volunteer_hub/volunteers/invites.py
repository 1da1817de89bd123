"""A task sign-up's calendar entry (see volunteer_hub.invites.state)."""

from __future__ import annotations

from flask_babel import gettext

from volunteer_hub.i18n import language, mail_language
from volunteer_hub.invites import ical, state
from volunteer_hub.mail.compose import CalendarPart
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus


def new_uid() -> str:
    return state.new_uid("task")


def entry_for(assignment: Assignment, manage_url: str) -> ical.Entry | None:
    """What the volunteer's calendar should show; None for a task without a
    time. Its texts are in the volunteer's language (see rsvps.invites)."""
    task = assignment.task
    starts_at, ends_at, zone = task.when
    if starts_at is None:
        return None
    url = absolute_url("volunteers.index") + f"#task-{task.id}"
    with language(mail_language(assignment.signup.language)):
        event_line = (gettext("For: %(event)s", event=task.event.title) + "\n\n"
                      if task.event else "")
        summary = gettext("Volunteer: %(task)s", task=task.title)
        drop = gettext("Drop this task or see your other tasks: %(link)s", link=manage_url)
    return ical.Entry(
        uid=assignment.ical_uid,
        sequence=0,
        summary=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone,
        location=task.where,
        url=url,
        description=f"{event_line}{task.description}\n\n{drop}".strip(),
    )


def wants_entry(assignment: Assignment) -> bool:
    return assignment.status is AssignmentStatus.CONFIRMED and not assignment.task.is_cancelled


def next_calendar_part(assignment: Assignment, manage_url: str) -> CalendarPart | None:
    signup = assignment.signup
    return state.next_invite(
        assignment, entry_for(assignment, manage_url), wanted=wants_entry(assignment),
        attendee=ical.Person(signup.name, signup.email),
    )


def is_outdated(assignment: Assignment, manage_url: str) -> bool:
    return state.is_outdated(assignment, entry_for(assignment, manage_url))


def feed_entry(assignment: Assignment, manage_url: str) -> ical.Entry | None:
    return state.feed_entry(assignment, entry_for(assignment, manage_url),
                            wanted=wants_entry(assignment))
