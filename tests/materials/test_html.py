"""The materials pages are valid HTML, as the W3C Nu HTML checker sees them."""

from __future__ import annotations

import json
import subprocess

import pytest
import sqlalchemy as sa

from tests.materials.conftest import PDF, PNG
from tests.test_html_validity import VNU_TIMEOUT_SECONDS, _describe, vnu  # noqa: F401 (fixture)
from volunteer_hub.materials.models import Material


@pytest.mark.slow
def test_materials_pages_are_valid_html(vnu, client, coordinator, upload, fetch,  # noqa: F811
                                        tmp_path):
    pages = {"public-empty": client.get("/materials").get_data(as_text=True)}
    upload("Poster for the afternoon", PDF, description="Print it in A3.")
    upload("Flyer", PNG, "flyer.png")
    upload("Retired flyer", PNG, "old.png")
    retired = fetch(sa.select(Material).where(Material.title == "Retired flyer"))[0]
    coordinator.post(f"/console/materials/{retired.id}/retire", data={"retired": "1"})
    pages["public"] = client.get("/materials").get_data(as_text=True)
    pages["console"] = coordinator.get("/console/materials").get_data(as_text=True)
    pages["console-errors"] = upload("", b"<svg/>", "x.png").get_data(as_text=True)
    pages["edit"] = coordinator.get(f"/console/materials/{retired.id}/edit").get_data(
        as_text=True)

    files = []
    for name, html in pages.items():
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(str(file))
    result = subprocess.run([*vnu, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=VNU_TIMEOUT_SECONDS,
                            check=False)
    problems = [_describe(message) for message in json.loads(result.stderr)["messages"]]
    assert not problems, "\n".join(problems)
