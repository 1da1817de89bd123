"""Fixtures for the appeal: a filled-in endorsement form, endorsements made
directly, and the personal link an endorser is emailed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask

from volunteer_hub.appeal import services
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.spam import started_stamp

LINK = re.compile(r"https://hub\.example\.org(/appeal/endorsement/[A-Za-z0-9_-]+)")


@pytest.fixture
def endorsement_form(app: Flask) -> Callable[..., dict[str, Any]]:
    """The fields of a filled-in endorsement form, as a browser sends them."""

    def form(**overrides: Any) -> dict[str, Any]:
        with app.test_request_context():
            data: dict[str, Any] = {"name": "Shirin", "email": "shirin@example.org",
                                    "city": "", "affiliation": "", "show_name": "y",
                                    "website": "", "started": started_stamp()}
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return form


@pytest.fixture
def make_endorsement(app: Flask) -> Callable[..., int]:
    """Create an endorsement (by default confirmed, name shown) and return its id."""
    counter = iter(range(1, 100_000))

    def make(*, confirmed: bool = True, **overrides: Any) -> int:
        number = next(counter)
        values: dict[str, Any] = {"name": f"Endorser {number}",
                                  "email": f"endorser{number}@example.org",
                                  "show_name": True}
        values.update(overrides)
        with app.app_context():
            result = services.endorse(**values)
            if confirmed:
                result.endorsement.confirmed_at = utcnow()
            db.session.commit()
            return result.endorsement.id

    return make


def link_in(message: EmailMessage) -> str:
    """The path of the personal link in an appeal email."""
    text = message.get_body(("plain",)).get_content()
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def email_long_ago(app: Flask, endorsement_id: int) -> None:
    """Pretend the last email about the endorsement went out an hour ago."""
    with app.app_context():
        endorsement = db.session.get(Endorsement, endorsement_id)
        endorsement.emailed_at = utcnow() - timedelta(hours=1)
        db.session.commit()
