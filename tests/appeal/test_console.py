"""Coordinators list, search, hide and export the endorsers; every action is
in the audit log."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from tests.conftest import PASSWORD
from volunteer_hub.appeal import services
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


def audit_log(fetch) -> list[tuple[str, str]]:
    """What the audit log says about the appeal."""
    return [(entry.action, entry.detail) for entry in fetch(
        sa.select(AuditEntry).where(AuditEntry.action.like("appeal.%")).order_by(AuditEntry.id))]


def test_console_lists_searches_and_filters_endorsers(coordinator, make_endorsement):
    make_endorsement(name="Nasrin Sotoudeh-Test", email="nasrin@example.org", city="Tehran")
    make_endorsement(name="Anonymous One", email="anon@example.org", show_name=False)
    make_endorsement(name="Still Pending", email="pending@example.org", confirmed=False)

    html = coordinator.get("/console/appeal").get_data(as_text=True)
    assert "<strong>2</strong> counted on the" in html
    for shown in ("Nasrin Sotoudeh-Test", "nasrin@example.org", "Anonymous One",
                  "Still Pending", "Not confirmed yet", "Name not shown"):
        assert shown in html
    assert 'href="/console/appeal" aria-current="page">Appeal</a>' in html

    found = coordinator.get("/console/appeal?q=TEHRAN").get_data(as_text=True)
    assert "Nasrin Sotoudeh-Test" in found and "Anonymous One" not in found
    found = coordinator.get("/console/appeal?q=anon@").get_data(as_text=True)
    assert "Anonymous One" in found and "Nasrin" not in found
    assert "No endorsement matches" in coordinator.get(
        "/console/appeal?q=%25_nothing").get_data(as_text=True)
    pending = coordinator.get("/console/appeal?status=pending").get_data(as_text=True)
    assert "Still Pending" in pending and "Nasrin" not in pending
    public = coordinator.get("/console/appeal?status=public").get_data(as_text=True)
    assert "Nasrin" in public and "Anonymous One" not in public
    assert coordinator.get("/console/appeal?status=nonsense&page=-1").status_code == 200


def test_console_list_is_paginated(coordinator, make_endorsement, monkeypatch):
    monkeypatch.setattr("volunteer_hub.appeal.routes.ENDORSEMENTS_PER_PAGE", 2)
    for number in range(5):
        make_endorsement(name=f"Person {number}")
    html = coordinator.get("/console/appeal?q=person").get_data(as_text=True)
    assert "Page 1 of 3" in html and "Person 4" in html and "Person 2" not in html
    assert 'href="/console/appeal?q=person&amp;page=2"' in html
    assert "Person 0" in coordinator.get("/console/appeal?q=person&page=3").get_data(as_text=True)


def test_hidden_entries_are_neither_shown_nor_counted_and_hiding_is_audited(
    client, coordinator, make_endorsement, fetch
):
    spam = make_endorsement(name="Offensive Spam", email="spam@example.org")
    make_endorsement(name="Real Person")
    assert "2 people have endorsed" in client.get("/appeal").get_data(as_text=True)

    assert coordinator.get(f"/console/appeal/{spam}/hide").status_code == 405
    response = coordinator.post(f"/console/appeal/{spam}/hide?q=spam&page=1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/console/appeal?q=spam&page=1"
    listing = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "neither shown nor counted" in listing and "Unhide" in listing

    public = client.get("/appeal").get_data(as_text=True)
    assert "1 person has endorsed" in public and "Offensive Spam" not in public
    assert "Real Person" in public
    hidden = coordinator.get("/console/appeal?status=hidden").get_data(as_text=True)
    assert "Offensive Spam" in hidden and "Real Person" not in hidden

    coordinator.post(f"/console/appeal/{spam}/unhide")
    assert "Offensive Spam" in client.get("/appeal").get_data(as_text=True)
    assert [e.hidden for e in fetch(sa.select(Endorsement).order_by(Endorsement.id))] == [
        False, False]
    log = audit_log(fetch)
    # The audit log, which outlives the endorsement, does not name the endorser.
    assert log == [("appeal.hide", f"endorsement {spam}"),
                   ("appeal.unhide", f"endorsement {spam}")]
    assert coordinator.post("/console/appeal/9999/hide").status_code == 404


def test_csv_export_is_utf8_with_a_bom_safe_for_spreadsheets_and_audited(
    coordinator, make_endorsement, fetch
):
    make_endorsement(name="=HYPERLINK(\"http://evil.example\",\"x\")", city="+1 city",
                     affiliation="@SUM(A1)", email="=cmd@example.org")
    make_endorsement(name="شیرین", city="-Tehran", show_name=False)
    make_endorsement(name="Not Confirmed", confirmed=False)

    response = coordinator.get("/console/appeal.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        "attachment; filename=appeal-endorsements-")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["Name", "City", "Affiliation", "Email", "Name shown publicly",
                       "Hidden", "Confirmed (UTC)"]
    first, second = rows[1:]
    assert first[:6] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1 city", "'@SUM(A1)",
                         "'=cmd@example.org", "Yes", ""]
    assert second[:5] == ["شیرین", "'-Tehran", "", "endorser2@example.org", "No"]
    assert "Not Confirmed" not in body
    assert audit_log(fetch) == [("appeal.export", "CSV of 2 endorsements")]


def test_console_appeal_pages_are_for_coordinators_only(client, make_endorsement, fetch):
    endorsement = make_endorsement(name="Shirin")
    for method, url in [("GET", "/console/appeal"), ("GET", "/console/appeal.csv"),
                        ("POST", f"/console/appeal/{endorsement}/hide"),
                        ("POST", f"/console/appeal/{endorsement}/unhide")]:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/console/login")
    assert not fetch(sa.select(Endorsement))[0].hidden
    assert audit_log(fetch) == []


def test_console_and_withdraw_forms_need_their_csrf_token(csrf_app, make_coordinator, fetch):
    with csrf_app.app_context():
        endorsement = services.endorse(name="Shirin", email="s@example.org").endorsement
        endorsement.confirmed_at = utcnow()
        db.session.commit()
        endorsement_id = endorsement.id
        token = services.manage_token(endorsement)
    make_coordinator("admin@example.org", admin=True)
    client = csrf_app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/console/login", data={"email": "admin@example.org",
                                        "password": PASSWORD,
                                        "csrf_token": csrf})
    assert client.post(f"/console/appeal/{endorsement_id}/hide").status_code == 400
    assert client.post(f"/appeal/endorsement/{token}/withdraw").status_code == 400
    assert not fetch(sa.select(Endorsement))[0].hidden
