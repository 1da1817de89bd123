"""Signing in (with a second factor for those who turned it on) and out,
one's own password and its reset by email, two-factor settings, and (for
admins) accounts and the audit log."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash
from wtforms import Field

from volunteer_hub.coordinators import services, two_factor
from volunteer_hub.coordinators.auth import must_enrol, protect
from volunteer_hub.coordinators.forms import (
    EnrolmentForm,
    ForgotPasswordForm,
    LoginForm,
    NewCoordinatorForm,
    OwnPasswordForm,
    PasswordChangeForm,
    ReauthForm,
    ResetPasswordForm,
    SignInCodeForm,
)
from volunteer_hub.coordinators.models import AuditEntry, Coordinator
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.urls import local_path

bp = Blueprint("coordinators", __name__, url_prefix="/console")
#: Pages for people who are not signed in (yet).
PUBLIC_ENDPOINTS = ("coordinators.login", "coordinators.login_code",
                    "coordinators.forgot_password", "coordinators.reset_with_link")
protect(bp, exempt=PUBLIC_ENDPOINTS)

admin_bp = Blueprint("accounts", __name__, url_prefix="/console/admin")
protect(admin_bp, admin=True)

AUDIT_PER_PAGE = 50
#: Where the session keeps a sign-in that awaits its second factor.
PENDING = "pending_sign_in"
THROTTLED = ("Too many attempts for this address. Please wait a quarter of an hour and try "
             "again, or reset your password.")


def _safe_next(target: str | None) -> str:
    """Only our own console pages: never an open redirect."""
    return local_path(target, "/console") or url_for("console.home")


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
        return render_template("coordinators/login.html", form=form, error=THROTTLED), 429
    coordinator = db.session.get(Coordinator, coordinator_id) if coordinator_id else None
    if coordinator is not None and coordinator.has_two_factor:
        # Not signed in yet: only the code page knows about this.
        session[PENDING] = two_factor.pending_state(
            coordinator, _safe_next(request.args.get("next")))
        return redirect(url_for("coordinators.login_code"), 303)
    begin_write()
    coordinator = services.record_login(coordinator_id, form.email.data)
    if coordinator is None:
        db.session.commit()
        return render_template("coordinators/login.html", form=form, error=(
            "That email address and password do not match an active account.")), 422
    return _signed_in(coordinator, request.args.get("next"))


def _signed_in(coordinator: Coordinator, next_url: str | None, detail: str = ""
               ) -> ResponseReturnValue:
    services.audit(coordinator, "coordinator.login", detail)
    db.session.commit()
    session.pop(PENDING, None)
    login_user(coordinator)
    if must_enrol(coordinator):
        return redirect(url_for("coordinators.two_factor"), 303)
    return redirect(_safe_next(next_url), 303)


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> ResponseReturnValue:
    coordinator = two_factor.pending_coordinator(session.get(PENDING))
    if coordinator is None:
        if session.pop(PENDING, None) is not None:
            flash("Please sign in again: the time to enter a code has run out.", "info")
        return redirect(url_for("coordinators.login"), 303)
    form = SignInCodeForm()
    if not form.validate_on_submit():
        return render_template("coordinators/login_code.html", form=form), (
            422 if form.errors else 200)
    if services.is_throttled(coordinator.email):
        return render_template("coordinators/login_code.html", form=form, error=THROTTLED), 429
    begin_write()
    used = two_factor.verify(coordinator, form.code.data)
    if used is None:
        services.record_failure(coordinator.email)
        db.session.commit()
        return render_template("coordinators/login_code.html", form=form, error=(
            "That code is not right, or has been used already. Wait for the next code in "
            "your app and try again.")), 422
    services.record_login(coordinator.id, coordinator.email)
    if used == "recovery code":
        flash(f"You signed in with a recovery code: {two_factor.recovery_codes_left(coordinator)} "
              "left. You can make new ones on the two-factor page.", "info")
    return _signed_in(coordinator, session[PENDING].get("next"), f"with {used}")


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("coordinators/forgot_password.html", form=form), (
            422 if form.errors else 200)
    begin_write()
    services.request_password_reset(form.email.data)
    db.session.commit()
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    flash("Check your email. If the address belongs to an active account, we have sent it a "
          f"link to choose a new password; it works for {minutes} minutes. Nothing arrived? "
          "Check your spam folder, or ask again in a few minutes.", "info")
    return redirect(url_for("coordinators.login"), 303)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_with_link(token: str) -> ResponseReturnValue:
    # Opening the link only looks it up: mail scanners that follow links
    # must not use it up.
    if services.find_reset_link(token) is None:
        return render_template("coordinators/reset_link_expired.html"), 404
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template("coordinators/reset_with_link.html", form=form), (
            422 if form.errors else 200)
    begin_write()
    try:
        services.reset_password(token, form.password.data)
    except services.InvalidResetLink:
        db.session.rollback()
        return render_template("coordinators/reset_link_expired.html"), 404
    db.session.commit()
    session.pop(PENDING, None)
    logout_user()
    flash("Your password is changed, and every session of your account is signed out. "
          "Please sign in with the new password.", "success")
    return redirect(url_for("coordinators.login"), 303)


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


@bp.get("/two-factor", endpoint="two_factor")
def two_factor_page() -> ResponseReturnValue:
    return _two_factor_page()


def _me() -> Coordinator:
    """The signed-in coordinator itself, not Flask-Login's proxy."""
    return current_user._get_current_object()


def _two_factor_page(status: int = 200, **forms: object) -> ResponseReturnValue:
    """Settings when two-factor sign-in is on; otherwise the set-up."""
    coordinator = _me()
    if coordinator.has_two_factor:
        return render_template(
            "coordinators/two_factor.html", codes_left=two_factor.recovery_codes_left(coordinator),
            regenerate=forms.get("regenerate") or ReauthForm(prefix="regenerate", formdata=None),
            disable=forms.get("disable") or ReauthForm(prefix="disable", formdata=None)), status
    return render_template(
        "coordinators/two_factor_setup.html", start=ConfirmForm(), required=must_enrol(coordinator),
        form=forms.get("form") or EnrolmentForm(formdata=None),
        qr_code=two_factor.qr_code(coordinator) if coordinator.totp_secret else None,
        secret=two_factor.spaced(coordinator.totp_secret or "")), status


@bp.post("/two-factor/start")
def two_factor_start() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not current_user.has_two_factor:
        two_factor.start_enrolment(_me())
        db.session.commit()
    return redirect(url_for("coordinators.two_factor"), 303)


@bp.post("/two-factor/confirm")
def two_factor_confirm() -> ResponseReturnValue:
    form = EnrolmentForm()
    if not form.validate_on_submit():
        return _two_factor_page(422, form=form)
    try:
        codes = two_factor.confirm_enrolment(_me(), form.code.data)
    except two_factor.TwoFactorError as error:
        form.code.errors.append(str(error))
        return _two_factor_page(422, form=form)
    services.audit(current_user, "coordinator.2fa_on", "turned on two-factor sign-in")
    db.session.commit()
    return render_template("coordinators/recovery_codes.html", codes=codes)


def _own_password_refused(password: Field, throttled_on: Field) -> int | None:
    """Why the signed-in coordinator's own password is not accepted, as the
    status to answer with: 429 while their address is paused, 422 when it is
    wrong (which counts towards the pause); None when it is right."""
    if services.is_throttled(current_user.email):
        throttled_on.errors.append(THROTTLED)
        return 429
    if not check_password_hash(current_user.password_hash, password.data):
        password.errors.append("That is not your password.")
        services.record_failure(current_user.email)
        db.session.commit()
        return 422
    return None


def _reauthenticated(form: ReauthForm) -> bool:
    """Whether the form carries the coordinator's password and a current
    code (which is used up); failures count towards the sign-in throttle."""
    if not form.validate_on_submit():
        return False
    if _own_password_refused(form.password, form.code) is not None:
        return False
    if two_factor.verify(_me(), form.code.data) is None:
        form.code.errors.append("That code is not right, or has been used already.")
        services.record_failure(current_user.email)
        db.session.commit()
        return False
    return True


@bp.post("/two-factor/recovery-codes")
def two_factor_recovery_codes() -> ResponseReturnValue:
    form = ReauthForm(prefix="regenerate")
    if not current_user.has_two_factor:
        return redirect(url_for("coordinators.two_factor"), 303)
    if not _reauthenticated(form):
        return _two_factor_page(422, regenerate=form)
    codes = two_factor.new_recovery_codes(_me())
    services.audit(current_user, "coordinator.recovery_codes", "made new recovery codes")
    db.session.commit()
    return render_template("coordinators/recovery_codes.html", codes=codes)


@bp.post("/two-factor/off")
def two_factor_off() -> ResponseReturnValue:
    form = ReauthForm(prefix="disable")
    if not current_user.has_two_factor:
        return redirect(url_for("coordinators.two_factor"), 303)
    if not _reauthenticated(form):
        return _two_factor_page(422, disable=form)
    two_factor.disable(_me())
    services.audit(current_user, "coordinator.2fa_off", "turned off two-factor sign-in")
    db.session.commit()
    flash("Two-factor sign-in is off. Your password alone now opens your account.", "success")
    return redirect(url_for("coordinators.two_factor"), 303)


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


@admin_bp.route("/accounts/<int:account_id>/two-factor-off", methods=["GET", "POST"])
def two_factor_off_for(account_id: int) -> ResponseReturnValue:
    """For someone who lost both their phone and their recovery codes. The
    admin confirms with their own password: together with a password reset
    this would hand over the account, so an unattended session must not do it."""
    coordinator = _other_account(account_id)
    form = OwnPasswordForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
    else:
        status = _own_password_refused(form.password, form.password)
    if status is not None:
        return render_template("coordinators/two_factor_off_for.html", form=form,
                               coordinator=coordinator), status
    if coordinator.has_two_factor:
        two_factor.disable(coordinator)
        services.audit(current_user, "account.2fa_off",
                       f"turned off {coordinator.name}'s two-factor sign-in")
        db.session.commit()
    flash(f"Two-factor sign-in is off for {coordinator.name}.", "success")
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
