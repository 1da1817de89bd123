"""Core statements run straight on the database driver's cursor: for the
few statements of a booking, which run under the writers' lock.

SQLAlchemy's own work around each execution (an execution context, the
compiled-statement cache, the parameters' and results' processing, a
result object) takes about 40 µs; a booking's statements themselves take
a few each on SQLite. Under a surge the bookings of an event take the lock
one after another, so the lock is only as quick as that work.

A ``DriverStatement`` is compiled by SQLAlchemy once per database: its
SQL in the driver's paramstyle, the order of its parameters, and its
types' own bind and result processors (so that values go in and come out
exactly as through ``Connection.execute``). It then runs on the cursor of
a SQLAlchemy connection, inside that connection's transaction, and raises
SQLAlchemy's exceptions (``IntegrityError``, ``OperationalError``) as
``Connection.execute`` would.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from blinker import Namespace
from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

#: Sent with ``sql`` (the statement as the driver runs it) and
#: ``connection`` before each run, when anything listens: the engine's own
#: events (``before_cursor_execute``) do not see these statements.
#: The parameters are left out: they hold people's details.
statement_run = Namespace().signal("driver-statement-run")


@dataclass(frozen=True)
class _Compiled:
    """A statement as one database's driver runs it."""

    sql: str
    #: the parameters' names in their order, for a positional paramstyle
    #: (SQLite's ``?``); None where the driver takes them by name
    order: tuple[str, ...] | None
    #: the values that the statement itself or a column's default fixes
    fixed: dict[str, Any]
    #: (name, the type's bind processor) of the parameters whose type has one
    bind_processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    #: the class of the rows it returns (None: it returns none)
    row: type | None
    #: each returned column's result processor, None where it has none
    result_processors: tuple[Callable[[Any], Any] | None, ...]


class DriverStatement:
    """A Core statement (a select, or an insert with or without
    ``RETURNING``) to run on the driver's cursor; see the module.

    ``columns``: for an insert, the columns that ``params`` give; the others
    take their defaults where these are plain values. An insert that would
    need a column's default computed (a callable) is refused when compiled:
    pass that column's value instead.
    """

    def __init__(self, statement: ClauseElement, *, columns: Iterable[str] | None = None) -> None:
        self.statement = statement
        self.columns = None if columns is None else list(columns)
        self._compiled: dict[str, _Compiled] = {}

    def run(self, connection: Connection, params: Mapping[str, Any]) -> None:
        """Execute it."""
        self._execute(connection, params, fetch=False)

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Execute it and return its first row (a named tuple), or None."""
        return self._execute(connection, params, fetch=True)

    def compiled(self, dialect: Dialect) -> _Compiled:
        try:
            return self._compiled[dialect.name]
        except KeyError:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect,
                                                                 self.columns)
            return compiled

    def _execute(self, connection: Connection, params: Mapping[str, Any], *, fetch: bool) -> Any:
        dialect = connection.dialect
        compiled = self.compiled(dialect)
        values = {**compiled.fixed, **params}
        for name, process in compiled.bind_processors:
            values[name] = process(values[name])
        arguments = values if compiled.order is None else tuple(
            values[name] for name in compiled.order)
        if statement_run.receivers:
            statement_run.send(self, sql=compiled.sql, connection=connection)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            row = cursor.fetchone() if fetch else None
        except dialect.loaded_dbapi.Error as error:
            raise _wrapped(error, compiled.sql, arguments, connection, cursor) from error
        finally:
            cursor.close()
        if row is None:
            return None
        return compiled.row._make(  # type: ignore[union-attr]
            value if process is None else process(value)
            for value, process in zip(row, compiled.result_processors, strict=True))


def _compile(statement: ClauseElement, dialect: Dialect, columns: list[str] | None) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=columns)
    if compiled.literal_execute_params or any(
        bind.expanding for bind in compiled.binds.values()
    ):
        raise ValueError("a DriverStatement takes plain parameters only (no IN lists)")
    fixed = {name: bind.effective_value for name, bind in compiled.binds.items()
             if not bind.required}
    for column in compiled.insert_prefetch:
        if not column.default.is_scalar:
            raise ValueError(f"give {column.table.name}.{column.name} a value: "
                             "its default is computed")
        fixed[column.key] = column.default.arg
    bind_processors = []
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            bind_processors.append((name, process))
    #: a select's columns, an insert's RETURNING columns
    returned = list(statement.exported_columns)  # type: ignore[attr-defined]
    return _Compiled(
        sql=compiled.string,
        order=tuple(compiled.positiontup) if dialect.positional else None,
        fixed=fixed,
        bind_processors=tuple(bind_processors),
        row=namedtuple("Row", [column.key for column in returned]) if returned else None,
        result_processors=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in returned),
    )


def _wrapped(error: Exception, sql: str, arguments: Any, connection: Connection,
             cursor: Any) -> BaseException:
    """``error`` as SQLAlchemy's exception; a lost connection is dropped
    from the pool, as ``Connection.execute`` does."""
    dialect = connection.dialect
    disconnected = dialect.is_disconnect(error, connection.connection, cursor)
    if disconnected:
        connection.invalidate(error)
    return DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                               hide_parameters=connection.engine.hide_parameters,
                               connection_invalidated=disconnected, dialect=dialect)
