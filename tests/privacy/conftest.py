"""Helpers for the privacy tests: booking through the forms, running the
purge at a chosen moment, and reading every text the database holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import manage_path, rsvp_form, signup_form, signup_path
from volunteer_hub.events.models import Event
from volunteer_hub.extensions import db
from volunteer_hub.privacy.purge import PurgeReport, purge_expired


def book(client: FlaskClient, event: Event, venue: Any = None, **fields: Any) -> str:
    """RSVP through the form; returns the manage page's path."""
    return manage_path(client.post(f"/events/{event.slug}/rsvp",
                                   data=rsvp_form(venue or event.venues[0], **fields)))


def sign_up(client: FlaskClient, task_ids: list[int], **fields: Any) -> str:
    """Volunteer through the form; returns the manage page's path."""
    return signup_path(client.post("/volunteer", data=signup_form(task_ids, **fields)))


@pytest.fixture
def purge(app: Flask) -> Callable[[datetime], PurgeReport]:
    """Run the purge as of ``now`` and commit, as the command does."""

    def purge(now: datetime) -> PurgeReport:
        with app.app_context():
            report = purge_expired(now)
            db.session.commit()
            return report

    return purge


@pytest.fixture
def database_text(app: Flask) -> Callable[[], str]:
    """Every value of every text column of every table, one per line, lower-cased."""

    def database_text() -> str:
        values = []
        with app.app_context():
            for table in db.metadata.sorted_tables:
                columns = [column for column in table.columns
                           if isinstance(column.type, sa.String | sa.Text)]
                if columns:
                    for row in db.session.execute(sa.select(*columns)):
                        values += [str(value) for value in row if value]
        return "\n".join(values).casefold()

    return database_text


@pytest.fixture
def set_event_times(app: Flask) -> Callable[..., None]:
    """Move an event in time, as time passing would."""

    def move(event_id: int, **times: Any) -> None:
        with app.app_context():
            db.session.execute(sa.update(Event).where(Event.id == event_id).values(**times))
            db.session.commit()

    return move
