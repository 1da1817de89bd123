"""Database plumbing shared by every feature: the model base, UTC timestamps,
SQLite settings, and the write lock that capacity decisions take first."""

from __future__ import annotations

import enum
import fcntl
import functools
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, DateTime, Engine, MetaData, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Session, registry
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

#: Predictable constraint names, so migrations can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored in UTC; SQLite keeps them naive, so the zone is
    put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Model(DeclarativeBase):
    """Base of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            enum.Enum: SAEnum(enum.Enum, native_enum=False, length=20),
        },
    )


db = SQLAlchemy(model_class=Model)


def render_migration_type(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write ``UTCDateTime`` columns into migrations as plain
    ``sa.DateTime(timezone=True)``, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


#: bytes of SQLite's write-ahead log file kept when the log starts over
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024
#: bytes of the database file that SQLite reads through a memory map rather
#: than a read() into its own cache for each page. That cache starts empty
#: in every transaction that follows another process's write, so under a
#: surge of bookings every page was copied in again and again.
MMAP_SIZE = 256 * 1024 * 1024


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL mode, a busy timeout, enforced foreign keys, and transactions that
    we begin ourselves, so that a writer can ask for ``BEGIN IMMEDIATE``.

    pysqlite otherwise opens transactions lazily and only before writes, which
    lets two requests read the same free seat and both take it.

    A database in a file also gets its writers' turns (``WriterTurns``) and
    its checkpoints out of the commits (``Checkpointer``).
    """
    turns = checkpointer = None
    if engine.url.database and engine.url.database != ":memory:":
        turns = _writer_turns[engine] = WriterTurns(f"{engine.url.database}-writers")
        checkpointer = _checkpointers[engine] = Checkpointer(engine.url.database, turns)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if checkpointer is not None:
            cursor.execute("PRAGMA wal_autocheckpoint=0")  # the Checkpointer's job
            # the log starts over after each checkpoint; its file need not
            # stay larger than one round of writes ever made it
            cursor.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
            cursor.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
        cursor.close()

    # The dialect's own hook for a transaction's start, rather than the
    # engine's "begin" event: an engine with events of its connections
    # dispatches them around every statement, which cost each statement a
    # tenth of its time.
    engine.dialect.do_begin = functools.partial(_begin, turns)  # type: ignore[method-assign]


@dataclass
class _Write:
    """A write transaction that ``begin_write()`` is starting."""

    #: how long to wait for the writers' turn, in seconds
    timeout: float
    #: the turn ``_begin`` took, for the session to give back
    turn: WriterTurns | None = None


#: set while ``begin_write()`` starts its transaction
_starting_write: ContextVar[_Write | None] = ContextVar("starting_write", default=None)


def _begin(turns: WriterTurns | None, dbapi_connection: Any) -> None:
    """BEGIN, or for ``begin_write()`` the writers' turn and BEGIN IMMEDIATE:
    the turn is taken as late as can be, once the session's connection is
    out of the pool, and held for the transaction alone."""
    write = _starting_write.get()
    if write is None:
        dbapi_connection.execute("BEGIN")
        return
    if turns is not None and not turns.acquire(write.timeout):
        raise DatabaseBusy(f"no turn to write within {write.timeout * 1000:.0f} ms")
    try:
        dbapi_connection.execute("BEGIN IMMEDIATE")
    except BaseException:
        if turns is not None:
            turns.release()
        raise
    write.turn = turns


class Checkpointer:
    """Copies the write-ahead log back into an SQLite database in a thread
    of its own, after every ``EVERY`` commits of this process.

    SQLite would do it itself (``wal_autocheckpoint``), inside the commit
    that crosses its threshold, while that writer still holds its turn
    (``WriterTurns``): the copy then stood between every waiting booking
    and the lock for up to a tenth of a second, once every hundred RSVPs or
    so. Here a commit only counts. The thread copies the bulk beside the
    writers (a passive checkpoint blocks neither them nor readers), then
    takes a turn of its own to copy the few pages written meanwhile, so
    that the next writer finds the log fully copied and starts it over
    from the beginning (the file stays as large as one round of writes).
    It ends when the process has been quiet for ``IDLE`` seconds and starts
    again on the next commits; SQLite copies what is left when the last
    connection closes.
    """

    #: commits of this process between two checkpoints
    EVERY = 100
    #: seconds without a checkpoint to do before the thread ends
    IDLE = 60.0
    #: the longest the thread waits for its turn; else it tries next time
    TURN_TIMEOUT = 5.0

    def __init__(self, path: str, turns: WriterTurns) -> None:
        self.path = path
        self.turns = turns
        self._commits = 0
        self._wanted = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def committed(self) -> None:
        self._commits += 1  # a count lost between threads only delays a checkpoint
        if self._commits >= self.EVERY:
            self._commits = 0
            self.request()

    def request(self) -> None:
        """Ask for a checkpoint soon (starting the thread if need be)."""
        self._wanted.set()
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoint", daemon=True)
                self._thread.start()

    def checkpoint(self) -> None:
        """Copy the log into the database: the bulk beside the writers, the
        rest in a turn of the writers' own."""
        # mode=rw: a database removed meanwhile is not made again, empty
        connection = sqlite3.connect(f"{Path(self.path).absolute().as_uri()}?mode=rw",
                                     uri=True, timeout=1, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if self.turns.acquire(self.TURN_TIMEOUT):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                finally:
                    self.turns.release()
        finally:
            connection.close()

    def _run(self) -> None:
        while self._wanted.wait(self.IDLE):
            self._wanted.clear()
            try:
                self.checkpoint()
            except sqlite3.Error:
                log.exception("checkpointing %s failed; the next commits try again", self.path)


class DatabaseBusy(Exception):
    """No turn to write came within ``LOCK_TIMEOUT_MS``."""


class WriterTurns:
    """The writers of one SQLite database, in every process, take turns here
    before ``BEGIN IMMEDIATE``.

    SQLite has one write lock, and a writer that finds it taken sleeps in
    SQLite's busy handler for up to 100 ms between tries, so under a surge
    the lock stands idle while writers sleep, and waits grow long and
    uneven. Here a writer waits on a lock of its process (woken the moment
    the one before is done), then on an ``flock`` of a file beside the
    database that the writers of other processes share, tried every half
    millisecond. A process that dies holding it loses it at once.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._in_process = threading.Lock()
        self._file: int | None = None

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._in_process.acquire(timeout=timeout):
            return False
        try:
            if self._file is None:
                self._file = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            while True:
                try:
                    fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.0005)
        except BaseException:
            self._in_process.release()
            raise
        self._in_process.release()
        return False

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._in_process.release()

    def __del__(self) -> None:
        if self._file is not None:
            os.close(self._file)


_writer_turns: weakref.WeakKeyDictionary[Engine, WriterTurns] = weakref.WeakKeyDictionary()
_checkpointers: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


def begin_write() -> None:
    """Start this request's transaction as a writer that decides on capacity.

    On SQLite the transaction takes the database's write lock at once
    (``BEGIN IMMEDIATE``), so no other writer can read the same counts in
    between; on PostgreSQL the services lock the event row instead.

    A transaction that has only read so far (loading the signed-in
    coordinator, say) is ended first; what it loaded is read again under the
    lock. One that has already written cannot be restarted, and raises.

    On SQLite, writers first take turns (``WriterTurns``). Waiting ends
    after ``LOCK_TIMEOUT_MS`` with ``DatabaseBusy`` or an
    ``OperationalError`` (SQLite's busy timeout, PostgreSQL's
    ``lock_timeout`` for this transaction), which the person gets as "busy,
    try again" (``volunteer_hub.overload``).
    """
    session = db.session()
    _end_reading(session, "begin_write()")
    with _starting_as_writer() as write:
        connection = session.connection()
    if write.turn is not None:
        session.info["writer_turn"] = write.turn
    _limit_lock_wait(connection)


@contextmanager
def _starting_as_writer() -> Iterator[_Write]:
    """Around the start of a writer's transaction: what ``_begin`` needs to
    take the writers' turn and ``BEGIN IMMEDIATE``, and the turn given back
    should the start fail."""
    write = _Write(int(current_app.config["LOCK_TIMEOUT_MS"]) / 1000)
    token = _starting_write.set(write)
    try:
        yield write
    except BaseException:
        if write.turn is not None:
            write.turn.release()
        raise
    finally:
        _starting_write.reset(token)


def _limit_lock_wait(connection: Connection) -> None:
    """On PostgreSQL, the transaction waits for locks ``LOCK_TIMEOUT_MS`` at most."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"SET LOCAL lock_timeout = {int(current_app.config['LOCK_TIMEOUT_MS'])}")


def _end_reading(session: Session, caller: str) -> None:
    """End the session's transaction if it has only read: what it loaded is
    read again afterwards. One that has written cannot be ended so."""
    if session.in_transaction():
        if session.new or session.dirty or session.deleted or session.info.get("wrote"):
            raise RuntimeError(f"{caller} must come before the transaction's first write")
        session.rollback()


@contextmanager
def write_transaction() -> Iterator[Connection]:
    """A writer's transaction, as ``begin_write()`` starts one, on a
    connection of its own outside the ORM session: for a few Core
    statements that decide on capacity (a booking), committed when the
    block ends and rolled back if it raises. The session's start, flush and
    commit cost more than such statements themselves, and the writers' turn
    is held for all of it.

    A session transaction that has only read so far is ended first, so that
    what the session reads afterwards includes this one's writes. The turn
    is given back once the commit is in; on PostgreSQL the transaction waits
    for locks ``LOCK_TIMEOUT_MS`` at most. Waiting ends as for
    ``begin_write()``, with ``DatabaseBusy`` or an ``OperationalError``.
    """
    if db.session.registry.has():  # else there is no transaction to end (nor a session to make)
        _end_reading(db.session(), "write_transaction()")
    engine = db.engine
    with engine.connect() as connection:
        with _starting_as_writer() as write:
            transaction = connection.begin()
        try:
            _limit_lock_wait(connection)
            yield connection
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise
        finally:
            if write.turn is not None:
                write.turn.release()
    if (checkpointer := _checkpointers.get(engine)) is not None:
        checkpointer.committed()


def _end_turn(session: Session) -> None:
    if (turns := session.info.pop("writer_turn", None)) is not None:
        turns.release()


@event.listens_for(Session, "after_flush")
def _remember_writes(session: Session, _context: Any) -> None:
    session.info["wrote"] = True


@event.listens_for(Session, "after_commit")
def _end_turn_once_committed(session: Session) -> None:
    # The next writer may go as soon as the database has the commit; the
    # session's own tidying up (its connection back to the pool, its
    # objects expired) needs no turn. A savepoint's commit ends nothing.
    if session.in_nested_transaction():
        return
    wrote = session.info.get("wrote") or "writer_turn" in session.info
    _end_turn(session)
    if wrote and (checkpointer := _checkpointers.get(session.get_bind())) is not None:
        checkpointer.committed()


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("wrote", None)
        _end_turn(session)
