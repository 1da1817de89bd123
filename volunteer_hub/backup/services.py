"""An online backup of the SQLite database: one consistent snapshot, taken
while the site keeps serving and writing."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

PG_DUMP_HINT = (
    "On PostgreSQL use pg_dump instead, for example "
    "`pg_dump --format=custom --file=volunteer_hub.dump \"$VOLUNTEER_HUB_DATABASE_URL\"`, "
    "and pg_restore to restore it (docs/deploy.md)."
)


class BackupError(Exception):
    """No backup was taken; the message says why and what to do instead."""


def backup_sqlite(engine: Engine, destination: Path) -> Path:
    """Copy the SQLite database behind ``engine`` to ``destination`` (a new
    file, or a folder to put a dated file in) and return the file's path.

    Python's ``Connection.backup`` copies every page in one step, under one
    read transaction: in WAL mode writers go on meanwhile, and the copy holds
    exactly the transactions committed before it began. (Copying in several
    steps would restart whenever another connection writes, and might never
    finish on a busy site.) The copy is written aside and renamed into place,
    so a failed backup leaves no half file, and only its owner may read it:
    it holds people's names and addresses.
    """
    if engine.dialect.name != "sqlite":
        raise BackupError(f"flask backup copies SQLite databases only. {PG_DUMP_HINT}")
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"volunteer_hub-{stamp}.sqlite3"
    if destination.exists():
        raise BackupError(f"{destination} exists already; a backup never replaces a file.")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent} is not a folder.")

    draft = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        source = engine.raw_connection()
        try:
            with sqlite3.connect(draft) as copy:
                source.driver_connection.backup(copy)
                # one self-contained file: no -wal or -shm beside it
                copy.execute("PRAGMA journal_mode=DELETE")
                check = copy.execute("PRAGMA quick_check").fetchone()[0]
            copy.close()
        finally:
            source.close()
        if check != "ok":
            raise BackupError(f"The copy failed SQLite's quick_check: {check}")
        os.replace(draft, destination)
    finally:
        draft.unlink(missing_ok=True)
    return destination
