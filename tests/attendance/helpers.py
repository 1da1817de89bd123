"""Helpers for the attendance tests: many RSVPs at once, CSV parsing, and
printing a page with Chromium."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from volunteer_hub import PROJECT_ROOT
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.rsvps.models import Rsvp, RsvpStatus

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-pdf-header-footer")


def add_rsvps(app: Flask, event_id: int, people: Sequence[dict[str, Any]]) -> None:
    """Insert RSVPs directly (fast, and free of the form's rules); each dict
    gives at least ``name`` and may give ``venue_id``, ``guests``, ``status``."""
    now = utcnow()
    with app.app_context():
        start = db.session.scalar(sa.select(sa.func.count(Rsvp.id))) or 0
        rows = [
            {
                "event_id": event_id,
                "venue_id": person.get("venue_id"),
                "status": person.get("status", RsvpStatus.GOING),
                "waitlisted_at": now if person.get("status") is RsvpStatus.WAITLISTED else None,
                "name": person["name"],
                "email": f"person{start + number}@example.org",
                "email_key": f"person{start + number}@example.org",
                "guests": person.get("guests", 0),
                "checked_in_at": now if person.get("checked_in") else None,
                "keep_updated": False,
                "token_nonce": f"nonce-{start + number}",
                "token_hash": f"{start + number:064d}",
                "ical_uid": f"rsvp-{start + number}@test",
                "invite_active": False,
                "created_at": now,
                "updated_at": now,
            }
            for number, person in enumerate(people, start=1)
        ]
        db.session.execute(sa.insert(Rsvp), rows)
        db.session.commit()


def read_csv(response: Any) -> list[list[str]]:
    """The rows of a CSV download, after checking it starts with a BOM."""
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def standalone_page(html: str, folder: Path) -> Path:
    """Write a page and the site's stylesheet to ``folder`` so a browser can
    open it from disk; returns the page's path."""
    shutil.copyfile(PROJECT_ROOT / "static" / "css" / "site.css", folder / "site.css")
    page = folder / "page.html"
    page.write_text(html.replace('href="/static/css/site.css"', 'href="site.css"'),
                    encoding="utf-8")
    return page


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    """Print ``page`` to ``pdf`` with headless Chromium."""
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
