"""The endorsers as a CSV file that spreadsheets open safely."""

from __future__ import annotations

from collections.abc import Iterable

from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.attendance.export import csv_response, filename, to_csv
from volunteer_hub.database import utcnow

__all__ = ["csv_response", "endorsements_csv", "export_filename"]

HEADER = ("Name", "City", "Affiliation", "Email", "Name shown publicly", "Hidden",
          "Confirmed (UTC)")


def endorsements_csv(endorsements: Iterable[Endorsement]) -> str:
    """One row per confirmed endorsement; cells that a spreadsheet would run
    as formulas are neutralised by ``to_csv``."""
    return to_csv(HEADER, (
        (e.name, e.city, e.affiliation, e.email, "Yes" if e.show_name else "No",
         "Yes" if e.hidden else "", e.confirmed_at.strftime("%Y-%m-%d %H:%M") if e.confirmed_at
         else "")
        for e in endorsements
    ))


def export_filename() -> str:
    """e.g. appeal-endorsements-2026-11-25.csv"""
    return filename("appeal-endorsements", utcnow().date().isoformat())
