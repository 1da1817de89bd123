"""Creating and editing events, venues and tasks.

A change that would email people is first tried out (and undone) to count
them; the coordinator confirms with that number in front of them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from volunteer_hub.console.forms import EventForm, TaskForm, VenueForm, wall_clock
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.database import begin_write
from volunteer_hub.events import changes
from volunteer_hub.events.models import Event, Venue
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.extensions import db
from volunteer_hub.markup import render_markdown
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.volunteers import changes as task_changes
from volunteer_hub.volunteers.models import Task

bp = Blueprint("editor", __name__, url_prefix="/console")
protect(bp)


def dry_run(change: Callable[[], int]) -> int:
    """How many people ``change`` would email, without making it."""
    savepoint = db.session.begin_nested()
    try:
        return change()
    finally:
        savepoint.rollback()


def apply_or_confirm(change: Callable[[], int], *, what: str, back: str, done: str,
                     action: str, detail: str) -> ResponseReturnValue:
    """Make the change at once when it emails nobody or has been confirmed;
    otherwise show how many people it would email and ask."""
    try:
        told = dry_run(change)
    except changes.ChangeError as error:
        flash(str(error), "error")
        return redirect(back, 303)
    if told and request.form.get("confirmed") != "1":
        return render_template("console/confirm_change.html", what=what, told=told, back=back,
                               fields=[(k, v) for k, v in request.form.items(multi=True)
                                       if k not in ("csrf_token", "confirmed")])
    told = change()
    audit(current_user, action, f"{detail}; emailed {told}")
    db.session.commit()
    flash(f"{done} {told} {'person' if told == 1 else 'people'} will be emailed." if told
          else done, "success")
    return redirect(back, 303)


def _fill_event_form(form: EventForm, event: Event) -> None:
    form.title.data, form.slug.data, form.description.data = (
        event.title, event.slug, event.description)
    form.timezone.data, form.tba.data = event.timezone, event.starts_at is None
    form.starts_at.data = wall_clock(event.starts_at, event.timezone)
    form.ends_at.data = wall_clock(event.ends_at, event.timezone)
    form.online.data, form.stream_url.data = event.online, event.stream_url
    form.guest_limit.data = event.guest_limit


def _render_event_editor(event: Event | None, form: EventForm, status: int = 200
                         ) -> ResponseReturnValue:
    preview = render_markdown(form.description.data or "") if "preview" in request.form else None
    tasks = db.session.scalars(select(Task).where(Task.event_id == event.id).order_by(
        Task.position, Task.id)).all() if event else []
    return render_template("console/edit_event.html", event=event, form=form, preview=preview,
                           tasks=tasks, confirm=ConfirmForm()), status


@bp.route("/events/new", methods=["GET", "POST"])
def new_event() -> ResponseReturnValue:
    form = EventForm()
    if "preview" in request.form or not form.validate_on_submit():
        return _render_event_editor(None, form, 422 if form.errors else 200)
    try:
        event = changes.create_event(**form.fields())
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors = ["Another event already has this web address."]
        return _render_event_editor(None, form, 422)
    audit(current_user, "event.create", event.title)
    db.session.commit()
    flash("Draft saved. Add its venues, then publish it.", "success")
    return redirect(url_for("editor.edit_event", event_id=event.id), 303)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    form = EventForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        _fill_event_form(form, event)
        return _render_event_editor(event, form)
    if "preview" in request.form or not form.validate():
        return _render_event_editor(event, form, 422 if form.errors else 200)
    taken = db.session.scalar(select(Event.id).where(Event.slug == form.slug.data,
                                                     Event.id != event.id))
    if taken:
        form.slug.errors = ["Another event already has this web address."]
        return _render_event_editor(event, form, 422)
    return apply_or_confirm(
        lambda: changes.update_event(event, **form.fields()), what=f"Save “{event.title}”",
        back=url_for("editor.edit_event", event_id=event.id), done="Saved.",
        action="event.update", detail=event.title)


@bp.post("/events/<int:event_id>/publish")
def publish(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    published = request.form.get("published") == "1"
    try:
        changes.set_published(event, published)
    except changes.ChangeError as error:
        flash(str(error), "error")
    else:
        audit(current_user, "event.publish" if published else "event.unpublish", event.title)
        db.session.commit()
        flash("Published: the event is on the public pages." if published
              else "Back to draft: the event is hidden from the public.", "success")
    return redirect(url_for("editor.edit_event", event_id=event.id), 303)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel_event(event_id: int) -> ResponseReturnValue:
    if request.method == "GET":
        begin_write()  # the count below is a dry run: it writes, then undoes
    event = get_event_or_404(event_id)
    if request.method == "GET":
        told = dry_run(lambda: changes.cancel_event(event))
        return render_template("console/confirm_cancel_event.html", event=event, told=told,
                               form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    told = changes.cancel_event(event)
    audit(current_user, "event.cancel", f"{event.title}; emailed {told}")
    db.session.commit()
    flash(f"The event is cancelled; {told} {'person' if told == 1 else 'people'} will be told.",
          "success")
    return redirect(url_for("editor.edit_event", event_id=event.id), 303)


def _fill_venue_form(form: VenueForm, venue: Venue) -> None:
    form.name.data, form.address.data = venue.name, venue.address
    form.timezone.data = venue.timezone
    form.starts_at.data = wall_clock(venue.starts_at, venue.timezone)
    form.ends_at.data = wall_clock(venue.ends_at, venue.timezone)
    form.capacity.data, form.accessibility.data = venue.capacity, venue.accessibility


@bp.route("/events/<int:event_id>/venues/new", methods=["GET", "POST"])
def new_venue(event_id: int) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    form = VenueForm()
    if request.method == "GET":
        form.timezone.data = event.timezone
    if not form.validate_on_submit():
        return render_template("console/edit_venue.html", event=event, venue=None,
                               form=form), 422 if form.errors else 200
    venue = changes.add_venue(event, **form.fields())
    audit(current_user, "venue.add", f"{venue.name} at {event.title}")
    db.session.commit()
    flash(f"{venue.name} added.", "success")
    return redirect(url_for("editor.edit_event", event_id=event.id), 303)


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def edit_venue(venue_id: int) -> ResponseReturnValue:
    venue = db.get_or_404(Venue, venue_id)
    form = VenueForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        _fill_venue_form(form, venue)
    if request.method == "GET" or not form.validate():
        return render_template("console/edit_venue.html", event=venue.event, venue=venue,
                               form=form), 422 if form.errors else 200
    return apply_or_confirm(
        lambda: changes.update_venue(venue, **form.fields()), what=f"Save {venue.name}",
        back=url_for("editor.edit_event", event_id=venue.event_id), done="Venue saved.",
        action="venue.update", detail=f"{venue.name} at {venue.event.title}")


def _fill_task_form(form: TaskForm, task: Task) -> None:
    form.title.data, form.description.data = task.title, task.description
    form.venue_id.data, form.location.data = task.venue_id or 0, task.location
    form.timezone.data = task.timezone
    form.starts_at.data = wall_clock(task.starts_at, task.timezone)
    form.ends_at.data = wall_clock(task.ends_at, task.timezone)
    form.min_volunteers.data, form.max_volunteers.data = task.min_volunteers, task.max_volunteers


@bp.route("/tasks/new", methods=["GET", "POST"])
def new_task() -> ResponseReturnValue:
    event_id = request.args.get("event", type=int)
    event = get_event_or_404(event_id) if event_id else None
    form = TaskForm(event.venues if event else [])
    if request.method == "GET" and event:
        form.timezone.data = event.timezone
    if not form.validate_on_submit():
        return render_template("console/edit_task.html", event=event, task=None,
                               form=form), 422 if form.errors else 200
    task = task_changes.add_task(event_id=event.id if event else None, **form.fields())
    audit(current_user, "task.add", task.title)
    db.session.commit()
    flash(f"Task “{task.title}” added.", "success")
    return redirect(url_for("editor.edit_event", event_id=event.id) if event
                    else url_for("editor.tasks"), 303)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
def edit_task(task_id: int) -> ResponseReturnValue:
    task = db.get_or_404(Task, task_id)
    form = TaskForm(task.event.venues if task.event else [],
                    formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        _fill_task_form(form, task)
    if request.method == "GET" or not form.validate():
        return render_template("console/edit_task.html", event=task.event, task=task,
                               form=form, confirm=ConfirmForm()), 422 if form.errors else 200
    back = (url_for("editor.edit_event", event_id=task.event_id) if task.event_id
            else url_for("editor.tasks"))
    return apply_or_confirm(
        lambda: task_changes.update_task(task, **form.fields()), what=f"Save “{task.title}”",
        back=back, done="Task saved.", action="task.update", detail=task.title)


@bp.post("/tasks/<int:task_id>/cancel")
def cancel_task(task_id: int) -> ResponseReturnValue:
    task = db.get_or_404(Task, task_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    told = task_changes.cancel_task(task)
    audit(current_user, "task.cancel", f"{task.title}; emailed {told}")
    db.session.commit()
    flash(f"Task cancelled; {told} {'volunteer' if told == 1 else 'volunteers'} will be told.",
          "success")
    return redirect(url_for("editor.edit_event", event_id=task.event_id) if task.event_id
                    else url_for("editor.tasks"), 303)


@bp.get("/tasks")
def tasks() -> ResponseReturnValue:
    """Ongoing tasks, not tied to an event."""
    ongoing = db.session.scalars(select(Task).where(Task.event_id.is_(None))
                                 .order_by(Task.position, Task.id)).all()
    return render_template("console/tasks.html", tasks=ongoing, confirm=ConfirmForm())
