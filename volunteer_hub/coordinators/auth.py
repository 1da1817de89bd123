"""Who may use the console: every coordinator route goes through here."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
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


@login_manager.user_loader
def _load(session_token: str):
    return load_by_session_token(session_token)


def protect(blueprint: Blueprint, *, admin: bool = False, exempt: tuple[str, ...] = ()) -> None:
    """Require a signed-in, enabled coordinator (an admin if ``admin``) for
    every route of ``blueprint`` but the ``exempt`` endpoints."""

    @blueprint.before_request
    def _require_coordinator():
        if request.endpoint in exempt:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("coordinators.login", next=request.full_path))
        if admin and not current_user.is_admin:
            abort(403)
        if request.method == "POST":
            # Every console change writes: hold the write lock from the start
            # (SQLite), so no read made above can go stale before the write.
            begin_write()
        return None

    # Console pages show personal data: never cache them anywhere.
    never_cache(blueprint)
