"""Fixtures: an app on a migrated database (SQLite, and PostgreSQL when
VOLUNTEER_HUB_TEST_DATABASE_URL is set), clients, and factories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.routing import Rule

from tests import vnu
from tests.helpers import Inbox, free_port
from volunteer_hub import create_app
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.mail.models import OutboxMessage
from volunteer_hub.volunteers.models import Task

POSTGRES_URL = os.environ.get("VOLUNTEER_HUB_TEST_DATABASE_URL")
SKIP_POSTGRES = "PostgreSQL tests need VOLUNTEER_HUB_TEST_DATABASE_URL (.ci/run sets it)"


class _SharedBytecode(BytecodeCache):
    """Compiled templates shared by every test's app: each test builds its
    own app, and compiling the templates afresh each time would dominate the
    suite's run time."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()

_compile_url_builder = Rule._compile_builder
_URL_BUILDERS: dict[tuple[Any, ...], Any] = {}


def _shared_url_builder(rule: Rule, append_unknown: bool = True) -> Any:
    """werkzeug writes and compiles a small Python function per URL rule to
    build its URLs: for each of the app's hundred-odd rules, twice, that is
    two thirds of the time to build an app, and each test builds one. The
    function depends only on the rule's parsed parts and its defaults (it
    takes the rule as its first argument), so the apps of a run share them."""
    defaults = rule.defaults or {}
    key = (tuple(rule._trace), append_unknown, tuple(
        (name, repr(value), type(rule._converters.get(name)))
        for name, value in sorted(defaults.items())))
    if key not in _URL_BUILDERS:
        _URL_BUILDERS[key] = _compile_url_builder(rule, append_unknown)
    return _URL_BUILDERS[key]


Rule._compile_builder = _shared_url_builder  # type: ignore[method-assign]


def _build_app(database_url: str, instance: Path, **config: Any) -> Flask:
    app = create_app({"DATABASE_URL": database_url, **config}, instance_path=str(instance))
    app.jinja_env.bytecode_cache = _BYTECODE
    return app


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    app = _build_app(f"sqlite:///{path}", folder)
    with app.app_context():
        upgrade()
    _dispose(app)
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> Iterator[str]:
    """The PostgreSQL test database, emptied once per run (the first app
    migrates it). Under pytest-xdist each worker has a database of its own
    on the same server, ``<name>_<worker>``, created here and dropped after."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES)
    given = sa.make_url(POSTGRES_URL)
    engine = sa.create_engine(given.set(drivername="postgresql+psycopg"),
                              isolation_level="AUTOCOMMIT")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
        yield POSTGRES_URL
        return
    name = f"{given.database}_{worker}"
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.DBAPIError as error:
        pytest.fail(f"could not create {name} for pytest-xdist worker {worker} ({error.orig}): "
                    "the role needs CREATEDB, or run the tests in one process (-n 0)")
    yield given.set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def empty_database(request: pytest.FixtureRequest, folder: Path) -> str:
    """A migrated, empty database for ``request.param``: a copy of the SQLite
    template in ``folder``, or the PostgreSQL test database."""
    if request.param == "sqlite":
        path = folder / "volunteer_hub.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_migrated")


#: PostgreSQL: the tables whose id sequence has handed out a number.
_COUNTING_TABLES = sa.text("""
    SELECT owner.relname FROM pg_sequences
    JOIN pg_class sequence ON sequence.relname = pg_sequences.sequencename
        AND sequence.relnamespace = pg_sequences.schemaname::regnamespace
    JOIN pg_depend ON pg_depend.objid = sequence.oid AND pg_depend.deptype IN ('a', 'i')
        AND pg_depend.classid = 'pg_class'::regclass
        AND pg_depend.refclassid = 'pg_class'::regclass
    JOIN pg_class owner ON owner.oid = pg_depend.refobjid
    WHERE pg_sequences.schemaname = current_schema() AND pg_sequences.last_value IS NOT NULL
""")


def _empty_postgres_tables() -> None:
    """Truncate, restarting their ids, the tables an earlier test left rows
    in or took ids from. Truncating every table each time took 40 ms a test,
    most of it on tables that were empty already."""
    names = [table.name for table in db.metadata.sorted_tables]
    with_rows = sa.text(" UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT FROM {name})" for name in names))
    used = {*db.session.scalars(with_rows), *db.session.scalars(_COUNTING_TABLES)}
    if used:
        tables = ", ".join(name for name in names if name in used)
        db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def fresh_app(database_url: str, folder: Path) -> Flask:
    """An app on ``database_url``; PostgreSQL's tables are emptied first."""
    app = _build_app(database_url, folder / "instance", MAIL_URL=str(folder / "mail"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if not db.inspect(db.engine).has_table("event"):
                upgrade()
            _empty_postgres_tables()
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each database test runs on SQLite and on PostgreSQL."""
    return empty_database(request, tmp_path)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = fresh_app(database_url, tmp_path)
    yield app
    _dispose(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def csrf_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app with CSRF protection on, as in production."""
    app = _build_app(database_url, tmp_path / "instance", WTF_CSRF_ENABLED=True,
                     MAIL_URL=str(tmp_path / "mail"))
    yield app
    _dispose(app)


SATURDAY_3PM_NEW_YORK = datetime(2027, 9, 25, 19, 0, tzinfo=UTC)


@pytest.fixture
def make_event(app: Flask) -> Callable[..., Event]:
    """Create a published event (one venue of 10 places, online offered)
    and return it detached, with its venues loaded."""
    counter = iter(range(1, 10_000))

    def make(venues: list[dict[str, Any]] | None = None, **overrides: Any) -> Event:
        number = next(counter)
        values: dict[str, Any] = {
            "slug": f"event-{number}",
            "title": f"Event {number}",
            "description": "An *afternoon* of solidarity.",
            "timezone": "America/New_York",
            "starts_at": SATURDAY_3PM_NEW_YORK,
            "ends_at": SATURDAY_3PM_NEW_YORK + timedelta(hours=3),
            "online": True,
            "stream_url": "https://stream.example.org/live",
            "guest_limit": 3,
            "status": EventStatus.PUBLISHED,
        }
        values.update(overrides)
        if venues is None:
            venues = [{"name": "Revolution Books Harlem", "capacity": 10}]
        with app.app_context():
            event = Event(**values)
            event.venues = [
                Venue(
                    position=index,
                    name=venue.get("name", f"Venue {index}"),
                    address=venue.get("address", "437 Malcolm X Blvd, New York"),
                    timezone=venue.get("timezone", "America/New_York"),
                    starts_at=venue.get("starts_at"),
                    ends_at=venue.get("ends_at"),
                    capacity=venue.get("capacity"),
                )
                for index, venue in enumerate(venues)
            ]
            db.session.add(event)
            db.session.commit()
            event = db.session.scalars(
                sa.select(Event).where(Event.id == event.id).options(
                    sa.orm.selectinload(Event.venues))
            ).one()
            db.session.expunge_all()
            return event

    return make


@pytest.fixture
def fetch(app: Flask) -> Callable[[Any], list[Any]]:
    """Run a select and return its rows, detached."""

    def fetch(statement: Any) -> list[Any]:
        with app.app_context():
            rows = db.session.scalars(statement).all()
            db.session.expunge_all()
            return list(rows)

    return fetch


@pytest.fixture
def outbox(app: Flask) -> Callable[[], list[EmailMessage]]:
    """The messages in the outbox, oldest first, parsed."""

    def outbox() -> list[EmailMessage]:
        with app.app_context():
            mimes = db.session.scalars(sa.select(OutboxMessage.mime).order_by(OutboxMessage.id))
            return [message_from_string(mime, policy=policy.default) for mime in mimes]

    return outbox


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """A real SMTP server on a free local port, keeping what it receives."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def make_task(app: Flask) -> Callable[..., Any]:
    """Create a task (by default ongoing, any time, 2 to 5 volunteers) and
    return its id."""
    counter = iter(range(1, 10_000))

    def make(event: Event | None = None, venue: Venue | None = None, **overrides: Any) -> int:
        values: dict[str, Any] = {
            "title": f"Task {next(counter)}",
            "description": "Help out.",
            "location": "From home",
            "timezone": "America/New_York",
            "min_volunteers": 2,
            "max_volunteers": 5,
            "event_id": event.id if event else None,
            "venue_id": venue.id if venue else None,
        }
        values.update(overrides)
        with app.app_context():
            task = Task(**values)
            db.session.add(task)
            db.session.commit()
            return task.id

    return make


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.has_plugin("dsession"):  # the pytest-xdist controller
        vnu.share_with_workers()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the W3C checker in the background as soon as a selected test is
    known to need it: the JVM starts while the first tests run."""
    if not session.config.option.collectonly and any(
            "vnu_checker" in getattr(item, "fixturenames", ()) for item in session.items):
        vnu.start()


def pytest_unconfigure() -> None:
    vnu.stop()


@pytest.fixture(scope="session")
def vnu_checker() -> vnu.Checker | str:
    """The W3C checker, shared by every test of the run, or why it cannot
    run."""
    return vnu.start()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Skipped tests grouped by reason, with counts: setup.cfg asks for -rfE,
    so the summary does not list every skipped test, yet says why some are."""
    from collections import Counter

    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.section("skipped tests, by reason", sep="-")
        for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            terminalreporter.line(f"{count} skipped: {reason}")


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_coordinator(app: Flask) -> Callable[..., int]:
    """Create a coordinator account and return its id."""
    from volunteer_hub.coordinators.services import create_coordinator

    def make(email: str = "coordinator@example.org", *, name: str = "Nasrin",
             admin: bool = False, password: str = PASSWORD) -> int:
        with app.app_context():
            coordinator = create_coordinator(email, name, password, admin=admin)
            db.session.commit()
            return coordinator.id

    return make


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/console/login", data={"email": email, "password": password})


@pytest.fixture
def coordinator(app: Flask, make_coordinator: Callable[..., int]) -> FlaskClient:
    """A client signed in as an (admin) coordinator."""
    make_coordinator("admin@example.org", name="Admin", admin=True)
    client = app.test_client()
    assert sign_in(client, "admin@example.org").status_code == 303
    return client
