"""Signing in and out, one's own password, and (for admins) accounts and
the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from volunteer_hub.coordinators import services
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.forms import (
    LoginForm,
    NewCoordinatorForm,
    PasswordChangeForm,
    ResetPasswordForm,
)
from volunteer_hub.coordinators.models import AuditEntry, Coordinator
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps.forms import ConfirmForm

bp = Blueprint("coordinators", __name__, url_prefix="/console")
protect(bp, exempt=("coordinators.login",))

admin_bp = Blueprint("accounts", __name__, url_prefix="/console/admin")
protect(admin_bp, admin=True)

AUDIT_PER_PAGE = 50


def _safe_next(target: str | None) -> str:
    """Only our own console pages: never an open redirect."""
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return url_for("console.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("console.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("coordinators/login.html", form=form), 422 if form.errors else 200
    try:
        coordinator_id = services.check_credentials(form.email.data, form.password.data)
    except services.TooManyAttempts:
        return render_template("coordinators/login.html", form=form, error=(
            "Too many attempts for this address. Please wait a quarter of an hour and try "
            "again.")), 429
    begin_write()
    coordinator = services.record_login(coordinator_id, form.email.data)
    if coordinator is None:
        db.session.commit()
        return render_template("coordinators/login.html", form=form, error=(
            "That email address and password do not match an active account.")), 422
    services.audit(coordinator, "coordinator.login")
    db.session.commit()
    login_user(coordinator)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("coordinators.login"), 303)


@bp.route("/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            services.set_password(current_user, form.password.data)
            services.audit(current_user, "coordinator.password", "changed own password")
            db.session.commit()
            login_user(current_user)  # this session goes on under the new token
            flash("Your password is changed. Other sessions have been signed out.", "success")
            return redirect(url_for("console.home"), 303)
    return render_template("coordinators/password.html", form=form), 422 if form.errors else 200


@admin_bp.get("/accounts")
def accounts() -> ResponseReturnValue:
    coordinators = db.session.scalars(select(Coordinator).order_by(Coordinator.name)).all()
    return render_template("coordinators/accounts.html", coordinators=coordinators,
                           form=NewCoordinatorForm(formdata=None), confirm=ConfirmForm())


@admin_bp.post("/accounts")
def add_account() -> ResponseReturnValue:
    form = NewCoordinatorForm()
    if form.validate_on_submit():
        try:
            coordinator = services.create_coordinator(
                form.email.data, form.name.data, form.password.data, admin=form.is_admin.data)
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            services.audit(current_user, "account.add",
                           f"added {coordinator.name}{' (admin)' if coordinator.is_admin else ''}")
            db.session.commit()
            flash(f"{coordinator.name} can now sign in.", "success")
            return redirect(url_for("accounts.accounts"), 303)
    coordinators = db.session.scalars(select(Coordinator).order_by(Coordinator.name)).all()
    return render_template("coordinators/accounts.html", coordinators=coordinators, form=form,
                           confirm=ConfirmForm()), 422


def _other_account(account_id: int) -> Coordinator:
    coordinator = db.get_or_404(Coordinator, account_id)
    if coordinator.id == current_user.id:
        abort(400, "Use 'Change password' for your own account.")
    return coordinator


@admin_bp.post("/accounts/<int:account_id>/disable")
def disable(account_id: int) -> ResponseReturnValue:
    coordinator = _other_account(account_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_disabled(coordinator, not coordinator.is_disabled)
    action = "disabled" if coordinator.is_disabled else "enabled"
    services.audit(current_user, f"account.{action[:-1]}", f"{action} {coordinator.name}")
    db.session.commit()
    flash(f"{coordinator.name}'s account is {action}.", "success")
    return redirect(url_for("accounts.accounts"), 303)


@admin_bp.post("/accounts/<int:account_id>/remove")
def remove(account_id: int) -> ResponseReturnValue:
    coordinator = _other_account(account_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.audit(current_user, "account.remove", f"removed {coordinator.name}")
    db.session.delete(coordinator)
    db.session.commit()
    flash(f"{coordinator.name}'s account is removed.", "success")
    return redirect(url_for("accounts.accounts"), 303)


@admin_bp.route("/accounts/<int:account_id>/password", methods=["GET", "POST"])
def reset_password(account_id: int) -> ResponseReturnValue:
    coordinator = _other_account(account_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(coordinator, form.password.data)
        services.audit(current_user, "account.password", f"reset {coordinator.name}'s password")
        db.session.commit()
        flash(f"{coordinator.name}'s password is reset; their sessions are signed out.",
              "success")
        return redirect(url_for("accounts.accounts"), 303)
    return render_template("coordinators/reset_password.html", coordinator=coordinator,
                           form=form), 422 if form.errors else 200


@admin_bp.get("/audit")
def audit_log() -> ResponseReturnValue:
    page = requested_page()
    entries = db.paginate(select(AuditEntry).order_by(AuditEntry.id.desc()), page=page,
                          per_page=AUDIT_PER_PAGE, error_out=False)
    return render_template("coordinators/audit.html", entries=entries)
