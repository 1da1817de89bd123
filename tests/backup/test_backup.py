"""``flask backup``: an online copy of the SQLite database that is whole and
consistent while the site goes on writing; on PostgreSQL it points to
pg_dump instead."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import SATURDAY_3PM_NEW_YORK
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db


def sqlite_path(app) -> Path:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("flask backup copies SQLite databases; PostgreSQL has pg_dump")
        return Path(db.engine.url.database)


def rows(path: Path, sql: str) -> list[tuple]:
    """Open a copy on its own, as someone restoring it would."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        return copy.execute(sql).fetchall()


def add_event(number: int, venues: int = 3) -> None:
    """One transaction: an event and its venues, all or nothing."""
    db.session.add(Event(
        slug=f"written-{number}", title=f"Written {number}", timezone="UTC",
        starts_at=SATURDAY_3PM_NEW_YORK, ends_at=SATURDAY_3PM_NEW_YORK + timedelta(hours=1),
        status=EventStatus.PUBLISHED,
        venues=[Venue(name=f"Hall {n}", address="1 Street", timezone="UTC", position=n)
                for n in range(venues)]))
    db.session.commit()


def test_a_backup_during_an_open_write_has_what_was_committed_and_nothing_else(
        app, runner, make_event, tmp_path):
    database = sqlite_path(app)
    make_event(title="Afternoon of Solidarity")
    make_event(title="Press conference at the UN")
    writer = sqlite3.connect(database, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock through the backup
    writer.execute("UPDATE event SET title = 'half-done'")
    writer.execute("DELETE FROM venue")

    result = runner.invoke(args=["backup", str(tmp_path / "during.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Backed up the database to" in result.output
    writer.execute("COMMIT")
    writer.close()

    during = tmp_path / "during.sqlite3"
    assert rows(during, "SELECT title FROM event ORDER BY id") == [
        ("Afternoon of Solidarity",), ("Press conference at the UN",)]
    assert rows(during, "SELECT count(*) FROM venue") == [(2,)]
    assert rows(during, "PRAGMA journal_mode") == [("delete",)]  # one file, no -wal
    assert rows(during, "SELECT version_num FROM alembic_version") == rows(
        database, "SELECT version_num FROM alembic_version")

    assert runner.invoke(args=["backup", str(tmp_path / "after.sqlite3")]).exit_code == 0
    assert rows(tmp_path / "after.sqlite3", "SELECT DISTINCT title FROM event") == [
        ("half-done",)]
    assert rows(tmp_path / "after.sqlite3", "SELECT count(*) FROM venue") == [(0,)]


def test_backups_while_another_connection_keeps_writing_are_whole_transactions(
        app, runner, tmp_path):
    sqlite_path(app)
    with app.app_context():
        for number in range(20):
            add_event(number)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def keep_writing() -> None:
        try:
            with app.app_context():
                number = 20
                while not stop.is_set():
                    add_event(number)
                    written.append(number)
                    number += 1
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = []
        for copy in range(3):
            while len(written) < 10 * (copy + 1):  # writes land between the backups
                stop.wait(0.01)
            copies.append(tmp_path / f"copy-{copy}.sqlite3")
            result = runner.invoke(args=["backup", str(copies[-1])])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join(timeout=30)
    assert errors == []

    counts = []
    for copy in copies:
        assert rows(copy, "PRAGMA integrity_check") == [("ok",)]
        # every event has all three venues: no transaction is half in a copy
        venues = rows(copy, "SELECT e.slug, count(v.id) FROM event e "
                            "LEFT JOIN venue v ON v.event_id = e.id GROUP BY e.id")
        assert {count for _, count in venues} == {3}
        slugs = {slug for slug, _ in venues}
        assert {f"written-{n}" for n in range(20)} <= slugs  # all committed before
        counts.append(len(slugs))
    assert counts == sorted(counts) and counts[0] < counts[-1] < 20 + len(written) + 1


def test_a_backup_is_for_its_owner_only_and_never_replaces_a_file(app, runner, tmp_path):
    sqlite_path(app)
    result = runner.invoke(args=["backup", str(tmp_path)])  # a folder: a dated file in it
    assert result.exit_code == 0, result.output
    [copy] = tmp_path.glob("volunteer_hub-*.sqlite3")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert rows(copy, "SELECT count(*) FROM event") == [(0,)]

    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 1
    assert "exists already; a backup never replaces a file" in result.output
    assert not list(tmp_path.glob(".*partial*"))
    result = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "hub.sqlite3")])
    assert result.exit_code == 1
    assert "nowhere is not a folder" in result.output


def test_on_postgresql_it_refuses_and_points_to_pg_dump(app, runner, tmp_path):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the refusal is for PostgreSQL")
    result = runner.invoke(args=["backup", str(tmp_path / "hub.sqlite3")])
    assert result.exit_code == 1
    assert "flask backup copies SQLite databases only" in result.output
    assert "pg_dump --format=custom" in result.output
    assert not list(tmp_path.glob("*hub.sqlite3*"))
