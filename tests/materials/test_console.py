"""Coordinators replace, describe, reorder, retire and restore materials;
every change is in the audit log."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.materials.conftest import JPEG, PDF, PNG, multipart, padded_pdf
from volunteer_hub.coordinators.models import AuditEntry
from volunteer_hub.materials.models import Material


def _materials(fetch) -> dict[str, Material]:
    return {m.title: m for m in fetch(sa.select(Material))}


def _public_order(client) -> list[str]:
    page = client.get("/materials").get_data(as_text=True)
    titles = ["Poster", "Leaflet", "Flyer"]
    return sorted((t for t in titles if f"<h2>{t}</h2>" in page),
                  key=lambda t: page.index(f"<h2>{t}</h2>"))


def _actions(fetch) -> list[str]:
    return [e.action for e in fetch(sa.select(AuditEntry).order_by(AuditEntry.id))
            if e.action.startswith("material.")]


def _replace(coordinator, material_id: int, data: bytes, name: str = "new.bin"):
    return coordinator.post(f"/console/materials/{material_id}/replace", **multipart(
        {"file": FileStorage(BytesIO(data), name)}))


def test_the_console_lists_materials_with_an_upload_form(coordinator, upload):
    upload("Poster", PDF, description="For the windows.")
    page = coordinator.get("/console/materials").get_data(as_text=True)
    assert "Poster" in page and "For the windows." in page and "PDF" in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="file">File</label>' in page
    assert "at most 20 MB" in page
    assert 'aria-current="page">Materials</a>' in page


def test_uploading_says_so_and_is_audited(coordinator, upload, fetch):
    response = upload("Poster", PDF)
    assert response.status_code == 303 and response.headers["Location"] == "/console/materials"
    assert "“Poster” is on the downloads page." in coordinator.get(
        "/console/materials").get_data(as_text=True)
    [entry] = [e for e in fetch(sa.select(AuditEntry)) if e.action == "material.upload"]
    assert entry.detail == f"Poster (PDF, {len(PDF)} bytes)" and entry.coordinator_name == "Admin"


def test_replacing_a_file_serves_the_new_one_and_deletes_the_old(
    client, coordinator, upload, fetch, stored_files
):
    upload("Poster", PDF)
    old = _materials(fetch)["Poster"]
    assert old.filename in stored_files()

    assert _replace(coordinator, old.id, PNG, "poster.pdf").status_code == 303
    new = _materials(fetch)["Poster"]
    assert new.content_type == "image/png" and new.size_bytes == len(PNG)
    assert new.preview_filename is None
    assert stored_files() == [new.filename]  # the old PDF and its preview are gone
    assert new.download_name == "poster.png"
    response = client.get(f"/materials/{new.id}/poster.png")
    assert response.get_data() == PNG and response.mimetype == "image/png"
    response.close()
    # Links to the old file lead to the new one.
    assert client.get(f"/materials/{new.id}/poster.pdf").headers["Location"] == (
        f"/materials/{new.id}/poster.png")
    assert _actions(fetch) == ["material.upload", "material.replace"]


def test_a_refused_replacement_keeps_the_old_file(coordinator, upload, fetch, stored_files):
    upload("Poster", PNG, "poster.png")
    before = _materials(fetch)["Poster"]
    response = _replace(coordinator, before.id, b"<svg onload=alert(1)></svg>", "poster.png")
    assert response.status_code == 422
    assert "contains web page code" in response.get_data(as_text=True)
    assert _materials(fetch)["Poster"].filename == before.filename
    assert stored_files() == [before.filename]

    too_large = _replace(coordinator, before.id, padded_pdf(50 * 1024 * 1024))
    assert too_large.status_code == 413
    page = too_large.get_data(as_text=True)
    assert "This file is too large: files can be at most 20 MB." in page
    assert "<h1>Poster</h1>" in page  # the material's own page
    assert stored_files() == [before.filename]

    missing = coordinator.post(f"/console/materials/{before.id}/replace", **multipart({}))
    assert missing.status_code == 422 and "Please choose a file" in missing.get_data(as_text=True)
    assert coordinator.post("/console/materials/999/replace", **multipart(
        {"file": FileStorage(BytesIO(PNG), "x.png")})).status_code == 404


def test_editing_the_title_and_description(client, coordinator, upload, fetch):
    upload("Poster", PDF)
    poster = _materials(fetch)["Poster"]
    page = coordinator.get(f"/console/materials/{poster.id}/edit").get_data(as_text=True)
    assert 'value="Poster"' in page

    response = coordinator.post(f"/console/materials/{poster.id}/edit", data={
        "title": "Poster for the UN week", "description": "A3, colour."})
    assert response.status_code == 303
    edited = _materials(fetch)["Poster for the UN week"]
    assert edited.description == "A3, colour." and edited.filename == poster.filename
    assert "A3, colour." in client.get("/materials").get_data(as_text=True)

    invalid = coordinator.post(f"/console/materials/{poster.id}/edit",
                               data={"title": " ", "description": "x" * 501})
    assert invalid.status_code == 422
    assert "Please give the material a title." in invalid.get_data(as_text=True)
    assert "under 500 characters" in invalid.get_data(as_text=True)
    assert coordinator.get("/console/materials/999/edit").status_code == 404
    assert _actions(fetch) == ["material.upload", "material.update"]


def test_moving_materials_up_and_down_reorders_the_public_page(
    client, coordinator, upload, fetch
):
    upload("Poster", PDF)
    upload("Leaflet", PDF)
    upload("Flyer", JPEG, "flyer.jpg")
    ids = {title: m.id for title, m in _materials(fetch).items()}
    assert _public_order(client) == ["Poster", "Leaflet", "Flyer"]

    def move(title: str, direction: str):
        return coordinator.post(f"/console/materials/{ids[title]}/move",
                                data={"direction": direction})

    assert move("Flyer", "up").status_code == 303
    assert _public_order(client) == ["Poster", "Flyer", "Leaflet"]
    move("Poster", "down")
    assert _public_order(client) == ["Flyer", "Poster", "Leaflet"]
    move("Flyer", "up")  # already first: nothing changes
    move("Leaflet", "down")  # already last
    assert _public_order(client) == ["Flyer", "Poster", "Leaflet"]
    assert move("Poster", "sideways").status_code == 400
    assert _actions(fetch)[3:] == ["material.move", "material.move"]


def test_retiring_hides_a_material_and_restoring_brings_it_back_at_the_end(
    client, coordinator, upload, fetch
):
    upload("Poster", PDF)
    upload("Leaflet", PDF)
    upload("Flyer", PNG, "flyer.png")
    ids = {title: m.id for title, m in _materials(fetch).items()}

    response = coordinator.post(f"/console/materials/{ids['Poster']}/retire",
                                data={"retired": "1"})
    assert response.status_code == 303
    assert _public_order(client) == ["Leaflet", "Flyer"]
    console = coordinator.get("/console/materials").get_data(as_text=True)
    assert "“Poster” is retired" in console
    retired_section = console.split('<h2 id="retired">', 1)[1].split("<h2", 1)[0]
    assert "Poster" in retired_section and "Restore" in retired_section
    # Coordinators can still check a retired file.
    check = coordinator.get(f"/console/materials/{ids['Poster']}/download")
    assert check.status_code == 200 and check.get_data() == PDF
    check.close()
    # A retired material cannot be moved.
    coordinator.post(f"/console/materials/{ids['Poster']}/move", data={"direction": "up"})

    coordinator.post(f"/console/materials/{ids['Poster']}/retire", data={"retired": "0"})
    assert _public_order(client) == ["Leaflet", "Flyer", "Poster"]
    assert _actions(fetch)[3:] == ["material.retire", "material.restore"]


def test_console_previews_show_retired_materials_too(coordinator, upload, fetch):
    upload("Flyer", PNG, "flyer.png")
    flyer = _materials(fetch)["Flyer"]
    coordinator.post(f"/console/materials/{flyer.id}/retire", data={"retired": "1"})
    preview = coordinator.get(f"/console/materials/{flyer.id}/preview.png")
    assert preview.status_code == 200 and preview.get_data() == PNG
    assert preview.headers["Cache-Control"] == "no-store"
    preview.close()
    assert coordinator.get("/console/materials/999/preview.png").status_code == 404


def test_console_pages_need_a_signed_in_coordinator(client, upload, fetch):
    upload("Poster", PDF)
    poster = _materials(fetch)["Poster"]
    for url in ("/console/materials", f"/console/materials/{poster.id}/edit",
                f"/console/materials/{poster.id}/download"):
        response = client.get(url)
        assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    response = client.post(f"/console/materials/{poster.id}/retire", data={"retired": "1"})
    assert response.status_code == 302
    assert not _materials(fetch)["Poster"].retired
