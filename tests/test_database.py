"""SQLite runs the way capacity decisions need it to."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db


@pytest.fixture
def sqlite_app(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite settings")
    return app


def test_sqlite_uses_wal_a_busy_timeout_and_foreign_keys(sqlite_app):
    with sqlite_app.app_context():
        pragma = lambda name: db.session.execute(sa.text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == 10_000
        assert pragma("foreign_keys") == 1


def test_begin_write_takes_the_write_lock_at_once(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        begin_write()
        other = sa.create_engine(sqlite_app.config["SQLALCHEMY_DATABASE_URI"],
                                 connect_args={"timeout": 0.1})
        with other.connect() as connection, pytest.raises(sa.exc.OperationalError,
                                                          match="locked"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        other.dispose()
        db.session.rollback()


def test_begin_write_restarts_a_read_only_transaction_but_not_one_that_wrote(app):
    from volunteer_hub.events.models import Event

    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))
        begin_write()  # nothing written yet: starts over under the lock
        db.session.add(Event(slug="x", title="X", timezone="UTC"))
        db.session.flush()
        with pytest.raises(RuntimeError, match="before the transaction's first write"):
            begin_write()
        db.session.rollback()
        begin_write()
        db.session.rollback()
