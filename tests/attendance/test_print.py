"""The attendance list printed by a real browser: Chromium makes a PDF with
a page group per place."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.attendance.helpers import CHROMIUM, add_rsvps, print_to_pdf, standalone_page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason=f"printing to PDF needs Chromium at {CHROMIUM}"),
]


def test_attendance_list_prints_to_pdf_one_place_per_page_group(
    app, coordinator, make_event, tmp_path
):
    event = make_event(venues=[{"name": "Revolution Books Harlem"},
                               {"name": "Revolution Books Berkeley",
                                "timezone": "America/Los_Angeles"}])
    harlem, berkeley = event.venues
    add_rsvps(app, event.id, [
        *({"name": f"Harlem Person {n}", "venue_id": harlem.id, "guests": n % 2}
          for n in range(60)),
        {"name": "شیرین عبادی", "venue_id": berkeley.id},
        {"name": "Online Person", "venue_id": None},
    ])
    html = coordinator.get(f"/console/events/{event.id}/attendance").get_data(as_text=True)
    page = standalone_page(html, tmp_path)
    pdf = tmp_path / "attendance.pdf"

    result = print_to_pdf(page, pdf, tmp_path / "profile")

    assert result.returncode == 0, result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    # Harlem's 60 people and 20 walk-in rows need more than one page;
    # Berkeley and Online start pages of their own.
    assert pages >= 4
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout.split("\f")
        assert "Revolution Books Harlem" in text[0] and f"Page 1 of {pages}" in text[0]
        starts = [number for number, sheet in enumerate(text) if "On the list:" in sheet]
        assert len(starts) == 3  # one set of totals per place, each on its own page
        assert "Revolution Books Berkeley" in text[starts[0] + 1]
        assert "Console" not in text[0] and "Sign out" not in text[0]  # no site header
