"""When each kind of personal data has been kept long enough.

Pure functions of the records and a number of days, so the rules can be
tested, and shown in the console, without running the purge:

- An event's RSVPs and comments: ``RETENTION_DAYS`` after the event ends (its
  last venue's end; its start when it has no end). A cancelled event counts
  as ended when it was cancelled, if that came first. An event without a date
  keeps them until it gets a date or is cancelled.
- A volunteer sign-up: ``RETENTION_DAYS`` after the last of its tasks is over
  for the person: the task's time has passed, the person dropped it, or the
  task or its event was cancelled. An ongoing task without a time is never
  over while the person is on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from volunteer_hub.volunteers.models import AssignmentStatus, TaskStatus

if TYPE_CHECKING:
    from volunteer_hub.events.models import Event
    from volunteer_hub.volunteers.models import Assignment, Signup


def event_ended_at(event: Event) -> datetime | None:
    """When the last of the event's places is over; None while it has no date."""
    ends = [end for end in [event.ends_at or event.starts_at] + [
        venue.local_ends_at or venue.local_starts_at for venue in event.venues] if end]
    return max(ends) if ends else None


def event_over_at(event: Event) -> datetime | None:
    """When the event ended, or was cancelled if that came first."""
    moments = [moment for moment in (
        event_ended_at(event), event.updated_at if event.is_cancelled else None) if moment]
    return min(moments) if moments else None


def event_purge_at(event: Event, days: int) -> datetime | None:
    """When the personal data of the event's attendees goes; None: not yet known."""
    over = event_over_at(event)
    return None if over is None else over + timedelta(days=days)


def assignment_over_at(assignment: Assignment) -> datetime | None:
    """When the task ended for this person: the earliest of its time passing,
    the person dropping it, and the task or its event being cancelled."""
    task = assignment.task
    moments = []
    if assignment.status is AssignmentStatus.DROPPED or task.status is TaskStatus.CANCELLED:
        # volunteers.changes.cancel_task stamps the assignments it ends.
        moments.append(assignment.updated_at)
    if task.event is not None and task.event.is_cancelled:
        moments.append(task.event.updated_at)
    starts_at, ends_at, _zone = task.when
    if starts_at is not None:
        moments.append(ends_at or starts_at)
    return min(moments) if moments else None


def signup_purge_at(signup: Signup, days: int) -> datetime | None:
    """When the sign-up's personal data goes: ``days`` after its last task is
    over for the person (after it was made, when no task is left)."""
    if not signup.assignments:
        return signup.created_at + timedelta(days=days)
    over = [assignment_over_at(assignment) for assignment in signup.assignments]
    if any(moment is None for moment in over):
        return None
    return max(over) + timedelta(days=days)  # type: ignore[type-var]
