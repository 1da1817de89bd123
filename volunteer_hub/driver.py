"""Core statements run straight on the database driver's cursor: for the
few statements of a booking, which run under the writers' lock.

SQLAlchemy's own work around each execution (an execution context, the
compiled-statement cache, the parameters' and results' processing, a
result object) takes about 40 µs; a booking's statements themselves take
a few each on SQLite. Under a surge the bookings of an event take the lock
one after another, so the lock is only as quick as that work.

A ``DriverStatement`` is compiled by SQLAlchemy once for each kind of
database (its dialect and paramstyle) and set of parameter names: its SQL
in the driver's paramstyle, the order of its parameters, the values of the
columns' plain defaults, and its types' own bind and result processors, so
that values go in and come out as through ``Connection.execute``. It then
runs on the cursor of a SQLAlchemy connection, inside the transaction that
connection has begun, and raises SQLAlchemy's exceptions
(``IntegrityError``, ``OperationalError``, ``StatementError``) as
``Connection.execute`` would.

SQLAlchemy's engine events (``before_cursor_execute``) and its statement
log do not see these statements; ``statement_run`` announces them instead.
"""

from __future__ import annotations

import contextlib
from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any

from blinker import Namespace
from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

#: Sent with ``sql`` (the statement as the driver runs it) and
#: ``connection`` before each run, when anything listens. The parameters
#: are left out: they hold people's details.
statement_run = Namespace().signal("driver-statement-run")

Processor = Callable[[Any], Any]


class _Compiled:
    """A statement as one database's driver runs it, for one set of
    parameter names."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, names: frozenset[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        binds = compiled.binds
        if compiled.literal_execute_params or compiled.escaped_bind_names or any(
            bind.expanding or bind.callable is not None for bind in binds.values()
        ):
            raise ValueError("a DriverStatement takes plain, named parameters only")
        self.sql: str = compiled.string
        #: values the parameters need not give: the statement's own (which
        #: they may override, as with ``Connection.execute``) and the
        #: columns' plain defaults
        self.fixed: dict[str, Any] = {
            name: bind.effective_value for name, bind in binds.items() if not bind.required}
        for column in compiled.insert_prefetch:
            if not column.default.is_scalar:
                raise ValueError(f"give {column.table.name}.{column.name} a value: "
                                 "its default is computed")
            self.fixed[column.key] = column.default.arg
        if unknown := names - binds.keys():
            raise ValueError(f"the statement has no parameter {', '.join(sorted(unknown))}")
        if missing := binds.keys() - names - self.fixed.keys():
            raise ValueError(f"the statement needs a value for {', '.join(sorted(missing))}")
        #: the parameters' names in their order, for a positional paramstyle
        #: (SQLite's ``?``); None where the driver takes them by name
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if dialect.positional else None)
        self.bind_processors: tuple[tuple[str, Processor], ...] = tuple(
            (name, process) for name, bind in binds.items()
            if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None)
        # a select's columns, an insert's RETURNING columns
        returned = list(statement.exported_columns)  # type: ignore[attr-defined]
        self.types = [column.type.dialect_impl(dialect) for column in returned]
        self.row = namedtuple("Row", [column.key for column in returned]) if returned else None
        #: each returned column's result processor (None where it has none),
        #: from the type codes of the first result's columns, as SQLAlchemy's
        self.result_processors: list[Processor | None] | None = None

    def arguments(self, params: Mapping[str, Any]) -> Any:
        """``params`` as the driver takes them, processed by their types."""
        values = {**self.fixed, **params}
        for name, process in self.bind_processors:
            values[name] = process(values[name])
        return values if self.order is None else tuple(values[name] for name in self.order)

    def row_of(self, values: tuple[Any, ...], description: Any, dialect: Dialect) -> Any:
        """A row the driver returned, processed by its columns' types."""
        processors = self.result_processors
        if processors is None:
            processors = self.result_processors = [
                type_.result_processor(dialect, column[1])
                for type_, column in zip(self.types, description, strict=True)]
        return self.row._make(  # type: ignore[union-attr]
            value if process is None else process(value)
            for value, process in zip(values, processors, strict=True))


class DriverStatement:
    """A Core statement (a select, or an insert with or without
    ``RETURNING``) to run on the driver's cursor; see the module.

    An insert's columns are those of the parameters given, as with
    ``Connection.execute``; the others take their defaults where these are
    plain values. An insert that would need a default computed (a callable)
    is refused: give that column a value.
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[type[Dialect], str, frozenset[str]], _Compiled] = {}

    def run(self, connection: Connection, params: Mapping[str, Any]) -> None:
        """Execute it in ``connection``'s transaction."""
        self._execute(connection, params, fetch=False)

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Execute it in ``connection``'s transaction and return its first
        row (a named tuple), or None."""
        return self._execute(connection, params, fetch=True)

    def _compiled_for(self, dialect: Dialect, names: frozenset[str]) -> _Compiled:
        key = (type(dialect), dialect.paramstyle, names)
        if (compiled := self._compiled.get(key)) is None:
            compiled = self._compiled[key] = _Compiled(self.statement, dialect, names)
        return compiled

    def _execute(self, connection: Connection, params: Mapping[str, Any], *, fetch: bool) -> Any:
        if not connection.in_transaction():
            # the driver would commit it alone (SQLite), or begin a
            # transaction SQLAlchemy knows nothing of (psycopg)
            raise RuntimeError("a DriverStatement runs in a transaction begun first")
        dialect = connection.dialect
        compiled = self._compiled_for(dialect, frozenset(params))
        error_class = dialect.loaded_dbapi.Error
        try:
            arguments = compiled.arguments(params)
        except Exception as error:  # a value its type refuses, such as a naive datetime
            raise _wrapped(error, compiled.sql, params, connection) from error
        if statement_run.receivers:
            statement_run.send(self, sql=compiled.sql, connection=connection)
        cursor = None
        try:
            cursor = connection.connection.cursor()
            cursor.execute(compiled.sql, arguments)
            row = cursor.fetchone() if fetch else None
            description = cursor.description
        except error_class as error:
            _close(cursor, error_class)
            raise _wrapped(error, compiled.sql, arguments, connection, cursor) from error
        _close(cursor, error_class)
        return None if row is None else compiled.row_of(row, description, dialect)


def _close(cursor: Any, error_class: type[Exception]) -> None:
    """Close ``cursor`` if there is one; a cursor that cannot be closed (its
    connection lost) is left to the garbage collector."""
    if cursor is not None:
        with contextlib.suppress(error_class):
            cursor.close()


def _wrapped(error: Exception, sql: str, arguments: Any, connection: Connection,
             cursor: Any = None) -> BaseException:
    """``error`` as SQLAlchemy's exception; a lost connection is dropped
    from the pool, as ``Connection.execute`` does."""
    dialect = connection.dialect
    disconnected = isinstance(error, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
        error, connection.connection, cursor)
    if disconnected:
        connection.invalidate(error)
    return DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                               hide_parameters=connection.engine.hide_parameters,
                               connection_invalidated=disconnected, dialect=dialect)
