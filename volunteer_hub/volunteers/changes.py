"""Changes coordinators make to a task that its volunteers must hear of.

Like volunteer_hub.events.changes: the caller starts the transaction with
``begin_write()``; each function locks, applies, and queues updated invites
for the volunteers whose calendar entry changed. Returns how many emails.
"""

from __future__ import annotations

from sqlalchemy import update

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import Assignment, AssignmentStatus, Task, TaskStatus
from volunteer_hub.volunteers.services import lock_tasks, promote_waitlist, sync_task_invites

TASK_FIELDS = frozenset({
    "title", "description", "location", "venue_id", "timezone", "starts_at", "ends_at",
    "min_volunteers", "max_volunteers",
})


def add_task(**fields: object) -> Task:
    """A new task; nobody is signed up for it yet."""
    unknown = set(fields) - TASK_FIELDS - {"event_id"}
    if unknown:
        raise TypeError(f"not task fields: {sorted(unknown)}")
    task = Task(**fields)
    db.session.add(task)
    db.session.flush()
    return task


def update_task(task: Task, **fields: object) -> int:
    """Edit a task; more places let its waitlist move up."""
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"not task fields: {sorted(unknown)}")
    lock_tasks([task.id])
    for name, value in fields.items():
        setattr(task, name, value)
    task.sequence += 1
    db.session.flush()
    db.session.refresh(task)
    promoted = promote_waitlist(task)
    return len(promoted) + sync_task_invites([task])


def cancel_task(task: Task) -> int:
    """Cancel a task: its volunteers are told and their calendars drop it."""
    lock_tasks([task.id])
    if task.status is TaskStatus.CANCELLED:
        return 0
    task.status = TaskStatus.CANCELLED
    task.sequence += 1
    # When the task ended for its volunteers: their data's retention counts from here.
    db.session.execute(update(Assignment).where(
        Assignment.task_id == task.id, Assignment.status != AssignmentStatus.DROPPED,
    ).values(updated_at=utcnow()))
    db.session.flush()
    return sync_task_invites([task])
