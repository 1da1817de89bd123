"""Small helpers shared by tests."""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from typing import Any

from volunteer_hub.events.models import Venue


def rsvp_form(venue: Venue | str, **overrides: Any) -> dict[str, Any]:
    """The fields of a filled-in RSVP form."""
    data = {
        "name": "Shirin",
        "email": "shirin@example.org",
        "attendance": venue if isinstance(venue, str) else str(venue.id),
        "guests": "0",
        "submission_key": secrets.token_urlsafe(32),
    }
    data.update(overrides)
    return data


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def manage_path(response: Any) -> str:
    """The manage page an RSVP submission redirected to."""
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/rsvp/")
    return location
