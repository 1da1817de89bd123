"""The volunteer page, sign-ups, offers of help, and the sign-up manage link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from volunteer_hub.database import begin_write
from volunteer_hub.errors import render_error
from volunteer_hub.extensions import db
from volunteer_hub.privacy import export
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.security import never_cache
from volunteer_hub.tokens import new_nonce
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.forms import HelpOfferForm, SignupForm
from volunteer_hub.volunteers.models import Signup

bp = Blueprint("volunteers", __name__)


never_cache(bp)


@bp.errorhandler(services.SignupGone)
def _gone(error: services.SignupGone) -> ResponseReturnValue:
    return render_error(404)


def _render_index(signup_form: SignupForm | None = None, offer_form: HelpOfferForm | None = None,
                  status: int = 200, error: str | None = None, tasks=None) -> ResponseReturnValue:
    tasks = services.open_tasks() if tasks is None else tasks
    return render_template(
        "volunteers/index.html",
        groups=services.group_tasks(tasks),
        counts=services.confirmed_counts(task.id for task in tasks),
        form=signup_form or SignupForm(tasks, formdata=None),
        offer_form=offer_form or HelpOfferForm(formdata=None, prefix="offer"),
        error=error,
    ), status


@bp.get("/volunteer")
def index() -> ResponseReturnValue:
    return _render_index()


@bp.post("/volunteer")
def sign_up() -> ResponseReturnValue:
    begin_write()
    tasks = services.open_tasks()
    form = SignupForm(tasks)
    if not form.validate_on_submit():
        if form.submission_key.errors:
            form.submission_key.data = new_nonce()
        return _render_index(form, status=422, tasks=tasks)
    try:
        result = services.create_signup(form.tasks.data, **form.data_for_service())
        db.session.commit()
    except services.SignupError as error:
        db.session.rollback()
        form.submission_key.data = new_nonce()
        return _render_index(form, status=422, error=str(error))
    if result.created:
        flash("created", "signup")
    return redirect(url_for("volunteers.manage", token=services.manage_token(result.signup)), 303)


@bp.post("/volunteer/offer")
def offer_help() -> ResponseReturnValue:
    form = HelpOfferForm(prefix="offer")
    if not form.validate_on_submit():
        return _render_index(offer_form=form, status=422)
    services.offer_help(**form.data_for_service())
    db.session.commit()
    flash(gettext("Thank you for offering to help. A coordinator will be in touch."), "success")
    return redirect(url_for("volunteers.index"), 303)


def _signup_or_404(token: str, *, for_write: bool = False) -> Signup:
    if for_write:
        begin_write()
    signup = services.find_by_token(token)
    if signup is None:
        abort(404)
    return signup


@bp.get("/signup/<token>")
def manage(token: str) -> ResponseReturnValue:
    signup = _signup_or_404(token)
    return render_template(
        "volunteers/manage.html",
        signup=signup,
        token=token,
        manage_url=services.manage_url(signup),
        form=ConfirmForm(),
        confirm=ConfirmForm(),
    )


@bp.post("/signup/<token>/drop/<int:task_id>")
def drop(token: str, task_id: int) -> ResponseReturnValue:
    signup = _signup_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        assignment = services.drop_task(signup, task_id)
    except services.SignupError:
        abort(404)
    db.session.commit()
    flash(gettext("You are no longer down for “%(task)s”. Thank you for letting us know.",
                  task=assignment.task.title), "success")
    return redirect(url_for("volunteers.manage", token=token), 303)


@bp.get("/signup/<token>/delete")
def confirm_delete(token: str) -> ResponseReturnValue:
    signup = _signup_or_404(token)
    return render_template("volunteers/confirm_delete.html", signup=signup, token=token,
                           form=ConfirmForm())


@bp.post("/signup/<token>/delete")
def delete(token: str) -> ResponseReturnValue:
    signup = _signup_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_signup(signup)
    db.session.commit()
    flash(gettext("Your sign-up and everything we held about it have been deleted."), "success")
    return redirect(url_for("volunteers.index"), 303)


@bp.get("/signup/<token>/data.json")
def download_data(token: str) -> ResponseReturnValue:
    """'Download my data': this sign-up and what we hold about it, as JSON."""
    signup = _signup_or_404(token)
    return export.download(export.signup_data(signup), "my-volunteer-signup.json")


@bp.post("/signup/<token>/new-link")
def new_link(token: str) -> ResponseReturnValue:
    """Retire this link and email a new one to the sign-up's address."""
    signup = _signup_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.replace_link(signup)
    db.session.commit()
    return redirect(url_for("volunteers.link_sent"), 303)


@bp.get("/signup/link-sent")
def link_sent() -> ResponseReturnValue:
    return render_template("privacy/link_sent.html", what="sign-up")
