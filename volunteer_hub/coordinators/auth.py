"""Who may use the console: every coordinator route goes through here."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user

from volunteer_hub.coordinators.services import load_by_session_token
from volunteer_hub.database import begin_write
from volunteer_hub.security import never_cache

login_manager = LoginManager()
login_manager.login_view = "coordinators.login"
login_manager.login_message = "Please sign in to use the console."
login_manager.login_message_category = "info"
# "basic", not "strong": a phone at the door switching between Wi-Fi and
# mobile data must not be signed out mid-check-in.
login_manager.session_protection = "basic"

#: What an admin who must turn on two-factor sign-in may still use.
ENROLMENT_ENDPOINTS = frozenset({
    "coordinators.two_factor", "coordinators.two_factor_start", "coordinators.two_factor_confirm",
    "coordinators.logout",
})


@login_manager.user_loader
def _load(session_token: str):
    return load_by_session_token(session_token)


def must_enrol(coordinator) -> bool:
    """Whether VOLUNTEER_HUB_REQUIRE_2FA keeps this coordinator out of the
    console until they turn on two-factor sign-in."""
    return bool(current_app.config["REQUIRE_2FA"] and coordinator.is_admin
                and not coordinator.has_two_factor)


def protect(blueprint: Blueprint, *, admin: bool = False, exempt: tuple[str, ...] = ()) -> None:
    """Require a signed-in, enabled coordinator (an admin if ``admin``) for
    every route of ``blueprint`` but the ``exempt`` endpoints."""

    @blueprint.before_request
    def _require_coordinator():
        if request.endpoint in exempt:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("coordinators.login", next=request.full_path))
        if must_enrol(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
            # the enrolment page says why
            return redirect(url_for("coordinators.two_factor"), 303)
        if admin and not current_user.is_admin:
            abort(403)
        if request.method == "POST":
            # Every console change writes: hold the write lock from the start
            # (SQLite), so no read made above can go stale before the write.
            begin_write()
        return None

    # Console pages show personal data: never cache them anywhere.
    never_cache(blueprint)
