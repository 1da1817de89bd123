"""The demo leaflet is a real PDF, written by hand, that readers open."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from volunteer_hub.demo.seed import LEAFLET_TITLE, _afternoon
from volunteer_hub.materials.leaflet import event_leaflet, text_width, wrap
from volunteer_hub.materials.models import Material

CAMPAIGN = "International Emergency Campaign to Free Iran's Political Prisoners"
URL = "https://hub.example.org/events/afternoon-of-solidarity-2027"


def _leaflet(**changes) -> bytes:
    event = _afternoon()
    for name, value in changes.items():
        setattr(event, name, value)
    return event_leaflet(event, event_url=URL, campaign=CAMPAIGN)


def _poppler(tool: str, *args: str) -> subprocess.CompletedProcess:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([tool, *args], capture_output=True, check=True, timeout=30)


def test_the_cross_reference_table_points_at_every_object():
    pdf = _leaflet()
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    xref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    assert pdf[xref:].startswith(b"xref\n0 8\n")
    entries = re.findall(rb"(\d{10}) 00000 n \n", pdf[xref:])
    assert len(entries) == 7
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset):].startswith(b"%d 0 obj\n" % number)
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", pdf).group(1))
    stream = pdf.split(b">>\nstream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
    assert _leaflet() == pdf  # the same event gives the same bytes


def test_the_leaflet_reads_as_the_event(tmp_path: Path):
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(_leaflet())
    info = _poppler("pdfinfo", str(path)).stdout.decode()
    assert re.search(r"Pages:\s+1\n", info)
    assert "Leaflet: Iran's Political Prisoners Must Be Freed NOW!" in info
    text = " ".join(_poppler("pdftotext", str(path), "-").stdout.decode().split())
    for expected in (
        CAMPAIGN.upper(),
        "Iran's Political Prisoners Must Be Freed NOW! No U.S. Aggression",
        "An Afternoon of Solidarity & Resistance",
        "Join us, with Revolution Books, for an afternoon of solidarity and resistance.",
        "Revolution Books Harlem Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT "
        "437 Malcolm X Blvd @ 132nd St., New York, NY 10037",
        "Revolution Books Berkeley Saturday 25 September 2027, 3:00 pm – 6:00 pm PDT",
        "Online Saturday 25 September 2027, 3:00 pm – 6:00 pm EDT",
        URL,
    ):
        assert expected in text

    _poppler("pdftoppm", "-png", "-r", "30", "-singlefile", str(path), str(tmp_path / "page"))
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")


def test_awkward_text_is_escaped_or_replaced(tmp_path: Path):
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(_leaflet(title="Vigil (NYC) \\ Narges Mohammadi, نرگس محمدی",
                              description="", starts_at=None, ends_at=None))
    text = " ".join(_poppler("pdftotext", str(path), "-").stdout.decode().split())
    assert "Vigil (NYC) \\ Narges Mohammadi, ???? ?????" in text  # no Persian in Helvetica
    assert "Date and time to be announced" in text


def test_lines_are_wrapped_to_the_fonts_widths():
    assert text_width("Hello", "F1", 10) == pytest.approx((722 + 556 + 222 + 222 + 556) / 100)
    lines = wrap("Iran's Political Prisoners Must Be Freed NOW! No U.S. Aggression", "F2", 30)
    assert lines == ["Iran's Political Prisoners Must Be", "Freed NOW! No U.S. Aggression"]
    assert all(text_width(line, "F2", 30) <= 504 for line in lines)


def test_seed_demo_adds_the_leaflet_once(runner, client, fetch, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"Added material: {LEAFLET_TITLE}" in first.output
    assert "Demo data already present." in runner.invoke(args=["seed-demo"]).output

    [leaflet] = fetch(sa.select(Material))
    assert leaflet.title == LEAFLET_TITLE and leaflet.content_type == "application/pdf"
    page = client.get("/materials").get_data(as_text=True)
    assert LEAFLET_TITLE.replace("&", "&amp;") in page
    response = client.get(f"/materials/{leaflet.id}/{leaflet.download_name}")
    pdf = response.get_data()
    response.close()
    assert pdf.startswith(b"%PDF-") and len(pdf) == leaflet.size_bytes
    assert b"https://hub.example.org/events/afternoon-of-solidarity-2027" in pdf
    if shutil.which("pdftoppm"):
        assert leaflet.preview_filename is not None
        assert (Path(app.instance_path) / "materials" / leaflet.preview_filename).is_file()


def test_a_retired_leaflet_is_not_added_again(runner, coordinator, fetch):
    runner.invoke(args=["seed-demo"])
    [leaflet] = fetch(sa.select(Material))
    coordinator.post(f"/console/materials/{leaflet.id}/retire", data={"retired": "1"})
    assert "Demo data already present." in runner.invoke(args=["seed-demo"]).output
    assert len(fetch(sa.select(Material))) == 1
