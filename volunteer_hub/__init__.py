"""Volunteer Hub: RSVPs, volunteer sign-ups and calendar invites for a campaign."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from volunteer_hub.database import configure_sqlite
from volunteer_hub.extensions import csrf, db, limiter, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(
    test_config: Mapping[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI, errors.

    ``test_config`` replaces the environment: tests get ``config.TestConfig``
    plus what they pass, and nothing from ``VOLUNTEER_HUB_*`` variables.
    """
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    if test_config is None:
        app.config.from_object("config.Config")
        app.config.from_prefixed_env("VOLUNTEER_HUB")
    else:
        app.config.from_object("config.TestConfig")
        app.config.from_mapping(test_config)
    _complete_config(app)
    if proxies := int(app.config.get("PROXY_COUNT") or 0):
        # Behind nginx every request comes from the proxy: trust its
        # X-Forwarded-For (the client, for the rate limits) and -Proto (HTTPS).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["LOCK_TIMEOUT_MS"])

    from volunteer_hub import caching, errors, i18n, models, overload, security, signing, templating  # noqa: F401 (models)
    from volunteer_hub.appeal.routes import bp as appeal_bp
    from volunteer_hub.appeal.routes import console_bp as appeal_console_bp
    from volunteer_hub.attendance.routes import bp as attendance_bp
    from volunteer_hub.backup import backup_command
    from volunteer_hub.broadcasts.routes import bp as broadcasts_bp
    from volunteer_hub.checkin.routes import bp as checkin_bp
    from volunteer_hub.comments.routes import bp as comments_bp
    from volunteer_hub.comments.routes import console_bp as comments_console_bp
    from volunteer_hub.console.editing import bp as editor_bp
    from volunteer_hub.console.routes import bp as console_bp
    from volunteer_hub.console.translations import bp as translations_bp
    from volunteer_hub.contact.routes import bp as contact_bp
    from volunteer_hub.contact.routes import console_bp as contact_console_bp
    from volunteer_hub.coordinators.auth import login_manager
    from volunteer_hub.coordinators.cli import create_coordinator_command
    from volunteer_hub.coordinators.routes import admin_bp as accounts_bp
    from volunteer_hub.coordinators.routes import bp as coordinators_bp
    from volunteer_hub.demo.cli import seed_demo_command
    from volunteer_hub.events.routes import bp as events_bp
    from volunteer_hub.invites.routes import bp as invites_bp
    from volunteer_hub.lookup.routes import bp as lookup_bp
    from volunteer_hub.materials.routes import bp as materials_bp
    from volunteer_hub.materials.routes import console_bp as materials_console_bp
    from volunteer_hub.privacy import logging as privacy_logging
    from volunteer_hub.privacy.cli import purge_expired_command
    from volunteer_hub.rsvps.routes import bp as rsvps_bp
    from volunteer_hub.volunteers.routes import bp as volunteers_bp
    from volunteer_hub.worker import send_mail_command

    app.register_blueprint(events_bp)
    app.register_blueprint(rsvps_bp)
    app.register_blueprint(invites_bp)
    app.register_blueprint(volunteers_bp)
    app.register_blueprint(lookup_bp)
    app.register_blueprint(coordinators_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(translations_bp)
    app.register_blueprint(broadcasts_bp)
    app.register_blueprint(materials_bp)
    app.register_blueprint(materials_console_bp)
    app.register_blueprint(appeal_bp)
    app.register_blueprint(appeal_console_bp)
    app.register_blueprint(contact_bp)
    app.register_blueprint(contact_console_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(comments_console_bp)
    login_manager.init_app(app)
    _limit_posts(app, login=coordinators_bp)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(purge_expired_command)
    app.cli.add_command(create_coordinator_command)
    app.cli.add_command(backup_command)
    errors.register(app)
    overload.register(app)
    security.register(app)
    signing.register(app)
    privacy_logging.install(app)
    templating.register(app)
    i18n.register(app)
    caching.register(app)
    return app


#: Blueprints whose posts are limited already: blueprints live as long as the
#: process, while apps (in tests) come and go.
_LIMITED: set[str] = set()


def _limit_posts(app: Flask, *, login: Blueprint) -> None:
    """Every public form (a post to any blueprint outside the console), and
    signing in, is rate limited per address; a person over the limit gets the
    friendly 429 page. Console pages are for signed-in coordinators only."""
    limiter.init_app(app)
    public = [blueprint for blueprint in app.blueprints.values()
              if not (blueprint.url_prefix or "").startswith("/console")]
    for blueprint, setting in [(bp, "PUBLIC_POST_LIMIT") for bp in public] + [
            (login, "LOGIN_POST_LIMIT")]:
        if blueprint.name not in _LIMITED:
            _LIMITED.add(blueprint.name)
            limiter.limit(lambda setting=setting: current_app.config[setting],
                          methods=["POST"])(blueprint)


def _complete_config(app: Flask) -> None:
    """Fill in what depends on the instance folder and normalise URLs."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = app.config

    if config.get("PRODUCTION"):
        _check_production_secret(config.get("SECRET_KEY"))
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret_key(instance / "secret_key")

    url = config.get("DATABASE_URL") or f"sqlite:///{instance / 'volunteer_hub.sqlite3'}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    config["SQLALCHEMY_DATABASE_URI"] = url
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    if config.get("RATELIMIT_STORAGE_URL"):
        config["RATELIMIT_STORAGE_URI"] = config["RATELIMIT_STORAGE_URL"]

    if not config.get("MAIL_URL"):
        config["MAIL_URL"] = str(instance / "mail")
    config["BASE_URL"] = str(config["BASE_URL"]).rstrip("/")
    # Served over HTTPS: cookies only ever travel encrypted.
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config["BASE_URL"].startswith("https://")
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])


class ConfigurationError(RuntimeError):
    """A setting that would make the site unsafe; the app refuses to start."""


#: Secrets found in examples and tutorials, or in this repository.
_KNOWN_SECRETS = frozenset({"dev", "development", "secret", "changeme", "change-me",
                            "change-this", "your-secret-key", "test-secret-key-not-for-production"})
_MIN_SECRET_LENGTH = 32
_HOW_TO_SET = (
    "Set VOLUNTEER_HUB_SECRET_KEY to a long random value, the same on every server, for "
    "example the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'. "
    "Keep it out of the repository."
)


def _check_production_secret(secret: str | None) -> None:
    """In production the key must be set, the same for every server, and not
    one anybody could know: it signs sessions and derives every personal link."""
    if not secret:
        raise ConfigurationError(f"No secret key is set, and this is production. {_HOW_TO_SET}")
    if secret.lower() in _KNOWN_SECRETS or len(secret) < _MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"The secret key is a well-known value or shorter than {_MIN_SECRET_LENGTH} "
            f"characters. {_HOW_TO_SET}")


def _instance_secret_key(path: Path) -> str:
    """A random key kept in the instance folder, so a newcomer needs no set-up
    and sessions survive restarts. Production sets VOLUNTEER_HUB_SECRET_KEY."""
    if not path.exists():
        # Written aside and linked into place: of several workers starting at
        # once, exactly one key wins and every worker reads that one.
        draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
