"""Attendance lists and rosters, for print and as CSV."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from volunteer_hub.attendance import export, services
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.database import utcnow
from volunteer_hub.errors import render_error
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import Task

bp = Blueprint("attendance", __name__, url_prefix="/console")
protect(bp)


@bp.errorhandler(services.UnknownPlace)
def _unknown_place(error: services.UnknownPlace) -> ResponseReturnValue:
    return render_error(404)


def _task_or_404(task_id: int) -> Task:
    task = services.task_with_places(task_id)
    if task is None:
        abort(404)
    return task


def _log(action: str, detail: str) -> None:
    """Lists of people leaving the console are recorded in the audit log.

    Called once the list is written out, just before it leaves: the commit
    expires every loaded row, and reading the event and its venues again
    for the page would cost a query each."""
    audit(current_user, action, detail)
    db.session.commit()


def _place() -> str:
    """The ``venue`` parameter: a venue id, "online", or "" for every place."""
    return request.args.get("venue", "").strip()[:20]


@bp.get("/events/<int:event_id>/attendance")
def attendance(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    place = _place()
    lists = services.attendance_lists(event, place)
    page = render_template("attendance/list.html", event=event, place=place,
                           lists=lists, printed_at=utcnow())
    _log("attendance.print", f"list of {lists[0].name if place else 'all places'} at "
                             f"{event.title}")
    return page


@bp.get("/events/<int:event_id>/attendance.csv")
def attendance_csv(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    lists = services.attendance_lists(event, _place())
    place_name = lists[0].name if _place() else ""
    response = export.csv_response(export.attendance_csv(lists),
                                   export.filename("attendance", event.slug, place_name))
    _log("attendance.export", f"CSV of {place_name or 'all places'} at {event.title}")
    return response


@bp.get("/rosters")
def rosters() -> ResponseReturnValue:
    groups, counts = services.roster_index()
    return render_template("attendance/rosters.html", groups=groups, counts=counts)


@bp.get("/tasks/<int:task_id>/roster")
def roster(task_id: int) -> ResponseReturnValue:
    task = _task_or_404(task_id)
    return render_template("attendance/roster.html", roster=services.roster(task),
                           printed_at=utcnow())


@bp.get("/tasks/<int:task_id>/roster.csv")
def roster_csv(task_id: int) -> ResponseReturnValue:
    task = _task_or_404(task_id)
    response = export.csv_response(export.roster_csv(services.roster(task)),
                                   export.filename("roster", task.id, task.title))
    _log("roster.export", f"CSV roster of {task.title}")
    return response
