"""The rules of volunteering: open tasks, sign-ups, waitlists, and the mail
they cause.

Functions that decide on places expect the caller to have started the
transaction with ``begin_write()``; they lock the tasks involved themselves
(in id order, so two sign-ups never wait on each other in a circle). They
flush and leave the commit to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from babel.lists import format_list
from flask_babel import get_locale, gettext, lazy_gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, EventStatus
from volunteer_hub.extensions import db
from volunteer_hub.i18n import N_, current_language
from volunteer_hub.invites.services import feed_links
from volunteer_hub.mail.compose import queue_email
from volunteer_hub.privacy.addresses import forget_unused_addresses
from volunteer_hub.tokens import link_token, new_nonce, token_hash
from volunteer_hub.urls import absolute_url
from volunteer_hub.volunteers import invites
from volunteer_hub.volunteers.models import (
    Assignment,
    AssignmentStatus,
    HelpOffer,
    Signup,
    Task,
    TaskStatus,
)

LINK_PURPOSE = "signup"
RESENT_FORM = lazy_gettext("This form was already sent. Please reload the page to sign up again.")


class SignupError(Exception):
    """A request the rules do not allow; the message is meant for the person."""


class SignupGone(LookupError):
    """The sign-up was deleted while the request waited for the lock."""


@dataclass(frozen=True)
class NewSignup:
    signup: Signup
    #: False when the same form had already been sent: this is that sign-up
    created: bool


@dataclass
class TaskGroup:
    """Tasks of one event, or the ongoing ones (event None)."""

    event: Event | None
    tasks: list[Task] = field(default_factory=list)


def manage_token(signup: Signup) -> str:
    return link_token(LINK_PURPOSE, signup.token_nonce)


def manage_url(signup: Signup) -> str:
    return absolute_url("volunteers.manage", token=manage_token(signup))


def find_by_token(token: str) -> Signup | None:
    return db.session.scalar(select(Signup).where(Signup.token_hash == token_hash(token)))


def _task_is_current(now: datetime):
    """SQL: the task (and its event) are public and not over."""
    event_open = or_(
        Task.event_id.is_(None),
        Task.event_id.in_(
            select(Event.id)
            .where(Event.status == EventStatus.PUBLISHED)
            .where(or_(Event.starts_at.is_(None),
                       func.coalesce(Event.ends_at, Event.starts_at) >= now))
        ),
    )
    task_open = or_(Task.starts_at.is_(None), func.coalesce(Task.ends_at, Task.starts_at) >= now)
    return Task.status == TaskStatus.OPEN, event_open, task_open


def open_tasks(now: datetime | None = None) -> list[Task]:
    """Tasks people can sign up for now, with their event and venue loaded."""
    return list(db.session.scalars(
        select(Task)
        .where(*_task_is_current(now or utcnow()))
        .order_by(Task.position, Task.id)
        .options(selectinload(Task.event).selectinload(Event.venues), selectinload(Task.venue))
    ))


def count_open_tasks(event: Event) -> int:
    """How many tasks of ``event`` take volunteers now."""
    return db.session.scalar(
        select(func.count(Task.id)).where(Task.event_id == event.id)
        .where(*_task_is_current(utcnow()))
    ) or 0


def group_tasks(tasks: Iterable[Task]) -> list[TaskGroup]:
    """By event, soonest first, then events with a date to be announced, then
    the ongoing tasks."""
    groups: dict[int | None, TaskGroup] = {}
    for task in tasks:
        groups.setdefault(task.event_id, TaskGroup(task.event)).tasks.append(task)

    def order(group: TaskGroup) -> tuple:
        if group.event is None:
            return (2, datetime.max.isoformat(), 0)
        start = group.event.starts_at
        return (0 if start else 1, start.isoformat() if start else "", group.event.id)

    return sorted(groups.values(), key=order)


def confirmed_counts(task_ids: Iterable[int]) -> dict[int, int]:
    """Volunteers confirmed on each task, in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Assignment.task_id, func.count(Assignment.id))
        .where(Assignment.task_id.in_(ids), Assignment.status == AssignmentStatus.CONFIRMED)
        .group_by(Assignment.task_id)
    ).all()
    counts = dict.fromkeys(ids, 0)
    counts.update({task_id: count for task_id, count in rows})
    return counts


def accepts_signups(task: Task, now: datetime | None = None) -> bool:
    """Open, and neither the task nor its event is over or unpublished."""
    now = now or utcnow()
    if task.status is not TaskStatus.OPEN:
        return False
    event = task.event
    if event is not None:
        end = event.ends_at or event.starts_at
        if event.status is not EventStatus.PUBLISHED or (end is not None and end < now):
            return False
    end = task.ends_at or task.starts_at
    return end is None or end >= now


def lock_tasks(task_ids: Iterable[int]) -> list[Task]:
    """Lock the tasks (row locks on PostgreSQL, in id order) and read them
    again; on SQLite the transaction already holds the write lock."""
    ids = sorted(set(task_ids))
    if not ids:
        return []
    return list(db.session.scalars(
        select(Task)
        .where(Task.id.in_(ids))
        .order_by(Task.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ))


def create_signup(
    task_ids: list[int],
    *,
    name: str,
    email: str,
    phone: str = "",
    languages: str = "",
    skills: str = "",
    note: str = "",
    submission_key: str,
) -> NewSignup:
    """Sign up for the chosen tasks at once and queue the confirmation, plus
    an invite for every timed task.

    A task that filled up a moment ago puts the person on its waitlist; the
    confirmation says so plainly. A task that closed altogether refuses the
    whole form, so that nothing is stored half.
    """
    if not task_ids:
        raise SignupError(gettext("Please choose at least one task."))
    tasks = lock_tasks(task_ids)
    submission_hash = token_hash(submission_key)
    earlier = db.session.scalar(select(Signup).where(Signup.submission_hash == submission_hash))
    if earlier is not None:
        chosen = {assignment.task_id for assignment in earlier.assignments}
        if earlier.email_key != email.casefold() or chosen != set(task_ids):
            raise SignupError(str(RESENT_FORM))
        return NewSignup(earlier, created=False)
    closed = [task for task in tasks if not accepts_signups(task)]
    if closed or len(tasks) != len(set(task_ids)):
        if not closed:
            raise SignupError(gettext("One of the tasks you chose is no longer open. Nothing "
                                      "was saved; please choose again."))
        raise SignupError(gettext(
            "%(titles)s: no longer open for sign-ups. Nothing was saved; please choose again.",
            titles=format_list([task.title for task in closed], locale=get_locale() or "en")))

    nonce = new_nonce()
    signup = Signup(
        name=name, email=email, email_key=email.casefold(), phone=phone,
        languages=languages, skills=skills, note=note, token_nonce=nonce,
        token_hash=token_hash(link_token(LINK_PURPOSE, nonce)), submission_hash=submission_hash,
        language=current_language(),
    )
    counts = confirmed_counts(task.id for task in tasks)
    now = utcnow()
    for task in tasks:
        full = task.max_volunteers is not None and counts[task.id] >= task.max_volunteers
        signup.assignments.append(Assignment(
            task=task,
            status=AssignmentStatus.WAITLISTED if full else AssignmentStatus.CONFIRMED,
            waitlisted_at=now if full else None,
            ical_uid=invites.new_uid(),
        ))
    db.session.add(signup)
    db.session.flush()
    _queue_signup(signup, "confirmation")
    for assignment in signup.assignments:
        _queue_assignment(assignment, "task_invite", only_with_invite=True)
    return NewSignup(signup, created=True)


def _reload_signup(signup: Signup) -> Signup:
    """Lock the sign-up's tasks, then read it again: another request may have
    changed or deleted it meanwhile."""
    lock_tasks(assignment.task_id for assignment in signup.assignments)
    fresh = db.session.scalars(
        select(Signup).where(Signup.id == signup.id).execution_options(populate_existing=True)
    ).first()
    if fresh is None:
        raise SignupGone()
    for assignment in fresh.assignments:
        db.session.refresh(assignment)
    return fresh


def drop_task(signup: Signup, task_id: int) -> Assignment:
    """Take the person off one task; their place goes to the first waiting."""
    signup = _reload_signup(signup)
    assignment = next((a for a in signup.assignments if a.task_id == task_id), None)
    if assignment is None:
        raise SignupError("That task is not part of this sign-up.")
    if assignment.status is AssignmentStatus.DROPPED:
        return assignment
    was_confirmed = assignment.status is AssignmentStatus.CONFIRMED
    assignment.status, assignment.waitlisted_at = AssignmentStatus.DROPPED, None
    db.session.flush()
    _queue_assignment(assignment, "dropped")
    if was_confirmed:
        promote_waitlist(assignment.task)
    return assignment


def delete_signup(signup: Signup) -> None:
    """Erase the sign-up and every message about it. Calendars that hold its
    tasks get one last CANCEL each, whose address is erased once sent."""
    signup = _reload_signup(signup)
    freed = []
    for assignment in signup.assignments:
        if assignment.status is AssignmentStatus.CONFIRMED:
            freed.append(assignment.task)
        if assignment.invite_active:
            assignment.status = AssignmentStatus.DROPPED
            _queue_assignment(assignment, "deleted", linked=False)
    db.session.delete(signup)
    db.session.flush()
    forget_unused_addresses(signup.email_key)
    for task in freed:
        promote_waitlist(task)


def replace_link(signup: Signup) -> None:
    """Retire the sign-up's manage link at once and email a new one to its
    address."""
    signup = _reload_signup(signup)
    signup.token_nonce = new_nonce()
    signup.token_hash = token_hash(manage_token(signup))
    db.session.flush()
    _queue_signup(signup, "new_link")


def promote_waitlist(task: Task) -> list[Assignment]:
    """Give free places on ``task`` to those waiting, first come first
    served, and tell each of them. The caller holds the task's lock."""
    if not accepts_signups(task):
        return []
    waiting = db.session.scalars(
        select(Assignment)
        .where(Assignment.task_id == task.id, Assignment.status == AssignmentStatus.WAITLISTED)
        .order_by(Assignment.waitlisted_at, Assignment.id)
    ).all()
    if task.max_volunteers is not None:
        free = max(task.max_volunteers - confirmed_counts([task.id])[task.id], 0)
        waiting = waiting[:free]
    for assignment in waiting:
        assignment.status, assignment.waitlisted_at = AssignmentStatus.CONFIRMED, None
        _queue_assignment(assignment, "promoted")
    db.session.flush()
    return list(waiting)


def sync_task_invites(tasks: Iterable[Task]) -> int:
    """Tell the volunteers whose calendar entry no longer matches their task,
    or that the task (or its event) was cancelled. Returns how many emails."""
    tasks = list(tasks)
    lock_tasks(task.id for task in tasks)
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.task_id.in_([task.id for task in tasks]))
        .where(Assignment.status != AssignmentStatus.DROPPED)
        .where(Assignment.signup.has(Signup.email != ""))  # not anonymised
        .order_by(Assignment.id)
    ).all()
    told = 0
    for assignment in assignments:
        url = manage_url(assignment.signup)
        if assignment.task.is_cancelled:
            template = "task_cancelled"
        elif assignment.status is not AssignmentStatus.CONFIRMED:
            continue
        elif not invites.is_outdated(assignment, url):
            continue
        else:
            template = "task_changed" if assignment.invite_active else "task_invite"
        _queue_assignment(assignment, template)
        told += 1
    db.session.flush()
    return told


def offer_help(*, name: str, email: str, skills: str, languages: str, availability: str,
               note: str) -> HelpOffer:
    """Record a general offer of help and thank the person."""
    offer = HelpOffer(name=name, email=email, skills=skills, languages=languages,
                      availability=availability, note=note)
    db.session.add(offer)
    db.session.flush()
    queue_email("volunteers/help_offer", to_name=name, to_email=email,
                subject=lazy_gettext("Thank you for offering to help"), offer=offer,
                volunteer_url=absolute_url("volunteers.index"))
    return offer


SUBJECTS = {
    "confirmation": N_("Thank you for volunteering"),
    "task_invite": N_("Calendar invite: %(task)s"),
    "promoted": N_("A place is yours: %(task)s"),
    "dropped": N_("You dropped: %(task)s"),
    "task_changed": N_("Changed: %(task)s"),
    "task_cancelled": N_("Cancelled: %(task)s"),
    "deleted": N_("Your data is deleted: %(task)s"),
    "new_link": N_("Your new volunteer link"),
}


def _queue_signup(signup: Signup, template: str) -> None:
    if not signup.email:  # anonymised by the retention policy
        return
    queue_email(
        f"volunteers/{template}",
        to_name=signup.name,
        to_email=signup.email,
        subject=lazy_gettext(SUBJECTS[template]),
        language=signup.language,
        signup_id=signup.id,
        signup=signup,
        manage_url=manage_url(signup),
        volunteer_url=absolute_url("volunteers.index"),
        feed=feed_links(signup.email),
    )


def _queue_assignment(assignment: Assignment, template: str, *, linked: bool = True,
                      only_with_invite: bool = False) -> None:
    """An email about one task, with its invite when the calendar needs one."""
    signup, task = assignment.signup, assignment.task
    if not signup.email:  # anonymised by the retention policy
        return
    url = manage_url(signup)
    calendar = invites.next_calendar_part(assignment, url)
    if calendar is None and only_with_invite:
        return
    queue_email(
        f"volunteers/{template}",
        to_name=signup.name,
        to_email=signup.email,
        subject=lazy_gettext(SUBJECTS[template], task=task.title),
        language=signup.language,
        signup_id=signup.id if linked else None,
        forget_recipient=not linked,
        calendar=calendar,
        calendar_attached=calendar is not None,
        signup=signup,
        assignment=assignment,
        task=task,
        manage_url=url,
        volunteer_url=absolute_url("volunteers.index"),
    )
