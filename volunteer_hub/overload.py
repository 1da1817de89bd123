"""Staying polite when more people come than the servers can serve.

Two rules, so that under a surge people get a quick, friendly answer
instead of a page that spins until their browser gives up:

* A writer waits at most ``LOCK_TIMEOUT_MS`` for the database (SQLite's
  write lock, PostgreSQL's row lock on the event). When the wait runs out,
  or the database cannot be reached, the transaction is rolled back and the
  person gets "503: busy, nothing was saved, try again", with
  ``Retry-After``. Nothing is acknowledged that was not committed, so no
  acknowledged RSVP is ever lost.
* A request that waited in the queue longer than ``QUEUE_TIMEOUT_SECONDS``
  is answered 503 at once, without work: its visitor has probably given up,
  and the servers catch up sooner. The proxy in front says when the request
  arrived (nginx: ``proxy_set_header X-Request-Start "t=${msec}"``, see
  docs/deploy.md); without that header nothing is shed.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from volunteer_hub.database import DatabaseBusy
from volunteer_hub.errors import render_error
from volunteer_hub.extensions import db

log = logging.getLogger(__name__)

#: What a person is told, and how soon to come back.
BUSY_TITLE = _l("We are very busy right now")
BUSY_MESSAGE = _l("Many people are using the site at once. Nothing you sent was saved. "
                  "Please try again in a minute.")
RETRY_AFTER_SECONDS = 30

#: What the database may raise when it is busy or unreachable; ``is_busy``
#: tells those apart from mistakes (a missing table is an OperationalError too).
DATABASE_BUSY = (OperationalError, PoolTimeout, DatabaseBusy)

#: PostgreSQL's codes for "try again": a lock not granted in time, a query
#: cancelled, the server shutting down or not yet accepting connections.
_BUSY_SQLSTATES = frozenset({"55P03", "57014", "57P01", "57P02", "57P03", "53300"})
#: SQLite's words for the same: locked or busy, or the file out of reach.
_BUSY_SQLITE = ("database is locked", "database table is locked", "busy",
                "unable to open database file", "disk i/o error")


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means "the database cannot answer now" (try again
    later), not a fault in the code or the schema (a 500, and a log entry)."""
    if isinstance(error, (PoolTimeout, DatabaseBusy)):
        return True
    if not isinstance(error, OperationalError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _BUSY_SQLSTATES or sqlstate.startswith("08")
    if type(original).__module__.startswith("psycopg"):
        return True  # no SQLSTATE: the server was never reached
    return any(words in str(original).lower() for words in _BUSY_SQLITE)


def busy_response(response: Response | None = None) -> Response:
    """``response`` (else the busy page) as a 503 that says when to come back."""
    if response is None:
        response = current_app.make_response(render_error(503, BUSY_TITLE, BUSY_MESSAGE))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def queued_seconds() -> float | None:
    """How long this request waited before the app saw it, from the proxy's
    ``X-Request-Start: t=<seconds since the epoch>``; None without one."""
    value = request.headers.get("X-Request-Start", "").removeprefix("t=")
    try:
        started = float(value)
    except ValueError:
        return None
    if started > 1e11:  # sent in milliseconds (some proxies) or microseconds
        started /= 1e3 if started < 1e14 else 1e6
    return time.time() - started


def register(app: Flask) -> None:
    @app.before_request
    def _shed_stale_requests() -> Response | None:
        limit = current_app.config["QUEUE_TIMEOUT_SECONDS"]
        waited = queued_seconds()
        if limit and waited is not None and waited > limit:
            log.warning("answered 503 to a request that waited %.1f s in the queue", waited)
            return busy_response()
        return None

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(DatabaseBusy)
    def _database_busy(error: Exception) -> Response:
        try:
            db.session.rollback()
        except DATABASE_BUSY:  # the database is gone altogether
            db.session.invalidate()
        if not is_busy(error):
            log.error("database error", exc_info=error)
            return current_app.make_response(render_error(500))
        log.warning("database busy or unreachable, answered 503: %s",
                    str(error).splitlines()[0][:200])
        return busy_response()
