"""The materials pages are valid HTML, as the W3C Nu HTML checker sees them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.materials.conftest import PDF, PNG
from tests.test_html_validity import assert_valid_html, vnu  # noqa: F401 (fixture)
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

    assert_valid_html(vnu, pages, tmp_path / "pages")
