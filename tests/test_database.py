"""SQLite runs the way capacity decisions need it to."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from volunteer_hub.database import (
    JOURNAL_SIZE_LIMIT,
    MMAP_SIZE,
    Checkpointer,
    WriterTurns,
    _checkpointers,
    _writer_turns,
    begin_write,
    write_transaction,
)
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
        # checkpoints are the Checkpointer's, out of the writers' turns
        assert pragma("wal_autocheckpoint") == 0
        assert pragma("journal_size_limit") == JOURNAL_SIZE_LIMIT
        # pages are read through a memory map, not copied into each connection
        assert pragma("mmap_size") == MMAP_SIZE


def _write(rows: int = 1) -> None:
    """Commits that each write a row of about a page."""
    from volunteer_hub.contact.models import ContactMessage, Topic

    for number in range(rows):
        begin_write()
        db.session.add(ContactMessage(name=f"Writer {number}", email="w@example.org",
                                      topic=next(iter(Topic)), body="x" * 3000))
        db.session.commit()


def _log_frames(app) -> int:
    """Pages in SQLite's write-ahead log (copied back or not)."""
    connection = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    try:
        _busy, frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return frames
    finally:
        connection.close()


def test_after_a_checkpoint_the_next_writer_starts_the_log_over(sqlite_app):
    with sqlite_app.app_context():
        _write(30)
        assert _log_frames(sqlite_app) >= 30
        _checkpointers[db.engine].checkpoint()
        _write(1)
        assert _log_frames(sqlite_app) < 10
        db.session.remove()


def test_the_checkpoint_thread_runs_after_every_so_many_commits(sqlite_app, monkeypatch):
    with sqlite_app.app_context():
        checkpointer = _checkpointers[db.engine]
        done = threading.Event()
        checkpoint = checkpointer.checkpoint

        def spy() -> None:
            checkpoint()
            done.set()

        monkeypatch.setattr(checkpointer, "checkpoint", spy)
        monkeypatch.setattr(checkpointer, "EVERY", 5)
        checkpointer._commits = 0
        _write(4)
        assert not done.wait(0.2)  # not yet: four commits
        _write(1)
        assert done.wait(10)
        assert checkpointer._thread.name == "sqlite-checkpoint"
        _write(1)  # the log, fully copied, starts over
        assert _log_frames(sqlite_app) < 10
        db.session.remove()


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


def test_a_checkpoint_never_makes_a_removed_database_again(tmp_path):
    checkpointer = Checkpointer(str(tmp_path / "gone.sqlite3"),
                                WriterTurns(str(tmp_path / "gone.sqlite3-writers")))
    with pytest.raises(sqlite3.OperationalError):
        checkpointer.checkpoint()
    assert not (tmp_path / "gone.sqlite3").exists()


def _turn_taken(engine) -> bool:
    return _writer_turns[engine]._in_process.locked()


@contextmanager
def _turn_taken_at(pool_event: str) -> Iterator[list[bool]]:
    """Whether the writers' turn was taken at each ``pool_event`` ("checkout",
    "checkin") of the app's engine inside the block, which runs in an app
    context; the session is removed afterwards."""
    engine = db.engine
    seen: list[bool] = []
    listener = lambda *_args: seen.append(_turn_taken(engine))  # noqa: E731
    sa.event.listen(engine, pool_event, listener)
    try:
        yield seen
    finally:
        sa.event.remove(engine, pool_event, listener)
        db.session.remove()


def test_the_next_writer_may_go_once_the_commit_is_made(sqlite_app):
    """The turn ends with the commit, not after the session has tidied up
    (its connection back to the pool), and a savepoint's commit ends nothing."""
    from volunteer_hub.contact.models import ContactMessage, Topic

    with sqlite_app.app_context(), _turn_taken_at("checkin") as at_checkin:
        engine = db.engine
        begin_write()
        with db.session.begin_nested():
            db.session.add(ContactMessage(name="Writer", email="w@example.org",
                                          topic=next(iter(Topic)), body="x"))
        assert _turn_taken(engine)
        db.session.commit()
        assert at_checkin == [False]
        assert not _turn_taken(engine)
        begin_write()  # and a rollback ends it too
        assert _turn_taken(engine)
        db.session.rollback()
        assert not _turn_taken(engine)


def test_a_writer_takes_its_turn_once_its_connection_is_out_of_the_pool(sqlite_app):
    """Checking a connection out of the pool needs no turn: the turn is
    held for the transaction alone."""
    with sqlite_app.app_context(), _turn_taken_at("checkout") as at_checkout:
        begin_write()
        assert at_checkout == [False]
        assert _turn_taken(db.engine)
        db.session.rollback()
        assert not _turn_taken(db.engine)


def _messages() -> int:
    from volunteer_hub.contact.models import ContactMessage

    return db.session.scalar(sa.select(sa.func.count()).select_from(ContactMessage))


def _insert_message(connection: sa.Connection) -> None:
    from volunteer_hub.contact.models import ContactMessage, Topic

    connection.execute(sa.insert(ContactMessage.__table__).values(
        name="Writer", email="w@example.org", topic=next(iter(Topic)), body="x"))


def test_a_write_transaction_commits_its_block_or_nothing(app):
    with app.app_context():
        before = _messages()
        with write_transaction() as connection:
            _insert_message(connection)
        # the session's own transaction had only read: it was ended, and
        # sees the write
        assert _messages() == before + 1
        with pytest.raises(LookupError), write_transaction() as connection:
            _insert_message(connection)
            raise LookupError("the booking's rules said no")
        assert _messages() == before + 1
        db.session.remove()


def test_a_write_transaction_holds_the_turn_and_the_lock_until_its_commit(sqlite_app):
    with sqlite_app.app_context():
        engine = db.engine
        other = sa.create_engine(sqlite_app.config["SQLALCHEMY_DATABASE_URI"],
                                 connect_args={"timeout": 0.1})
        with write_transaction() as connection:
            _insert_message(connection)
            assert _turn_taken(engine)
            with other.connect() as rival, pytest.raises(sa.exc.OperationalError,
                                                         match="locked"):
                rival.exec_driver_sql("BEGIN IMMEDIATE")
        assert not _turn_taken(engine)
        with pytest.raises(LookupError), write_transaction():
            raise LookupError("the booking's rules said no")
        assert not _turn_taken(engine)  # given back after a rollback too
        other.dispose()
        db.session.remove()


def test_a_write_transaction_counts_towards_the_next_checkpoint(sqlite_app):
    with sqlite_app.app_context():
        checkpointer = _checkpointers[db.engine]
        checkpointer._commits = 0
        with write_transaction() as connection:
            _insert_message(connection)
        assert checkpointer._commits == 1
        db.session.remove()


def test_a_write_transaction_comes_before_the_sessions_writes(app):
    from volunteer_hub.events.models import Event

    with app.app_context():
        db.session.add(Event(slug="x", title="X", timezone="UTC"))
        db.session.flush()
        with pytest.raises(RuntimeError, match="before the transaction's first write"), \
                write_transaction():
            pass
        db.session.rollback()


def test_a_write_transaction_makes_no_session_where_the_request_had_none(app):
    with app.app_context():
        with write_transaction() as connection:
            _insert_message(connection)
        assert not db.session.registry.has()  # an RSVP's POST needs none
        assert _messages() == 1
        db.session.remove()
