"""The public downloads page, downloads and previews."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from tests.materials.conftest import JPEG, PDF, PNG, WEBP
from volunteer_hub.materials import storage
from volunteer_hub.materials.models import Material

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                    reason="pdftoppm (poppler-utils) is not installed")


def _material(fetch, title: str) -> Material:
    [material] = fetch(sa.select(Material).where(Material.title == title))
    return material


def test_the_page_lists_materials_in_order_with_format_and_size(client, upload, fetch):
    assert upload("Poster for the afternoon", PDF, description="Print it in A3.").status_code == 303
    assert upload("Flyer", PNG, "flyer.png", content_type="image/png").status_code == 303

    page = client.get("/materials").get_data(as_text=True)
    assert page.index("Poster for the afternoon") < page.index("Flyer")
    assert "Print it in A3." in page
    assert "<dd>PDF</dd>" in page and "<dd>PNG image</dd>" in page
    assert f"<dd>{len(PDF)} bytes</dd>" in page
    poster = _material(fetch, "Poster for the afternoon")
    assert f'href="/materials/{poster.id}/poster-for-the-afternoon.pdf"' in page
    assert 'aria-current="page">Materials</a>' in page


def test_an_empty_page_says_so(client):
    assert "There is nothing to download yet" in client.get("/materials").get_data(as_text=True)


def test_a_download_is_the_uploaded_file_as_a_safe_attachment(client, upload, fetch):
    upload("Poster: free them now!", PDF, "C:\\Users\\someone\\<script>.html")
    poster = _material(fetch, "Poster: free them now!")
    assert poster.download_name == "poster-free-them-now.pdf"

    response = client.get(f"/materials/{poster.id}/poster-free-them-now.pdf")
    assert response.status_code == 200
    assert response.get_data() == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=poster-free-them-now.pdf")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none';")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()

    # An old or mangled name leads to the current one.
    moved = client.get(f"/materials/{poster.id}/old-name.pdf")
    assert moved.status_code == 302
    assert moved.headers["Location"] == f"/materials/{poster.id}/poster-free-them-now.pdf"


@pytest.mark.parametrize(("data", "name", "content_type", "label"), [
    (PNG, "flyer.png", "image/png", "PNG image"),
    (JPEG, "flyer.jpeg", "image/jpeg", "JPEG image"),
    (WEBP, "flyer.webp", "image/webp", "WebP image"),
])
def test_an_image_is_its_own_preview(client, upload, fetch, data, name, content_type, label):
    # The browser's claim is ignored either way: the type comes from the bytes.
    assert upload("Flyer", data, name, content_type="application/octet-stream"
                  ).status_code == 303
    flyer = _material(fetch, "Flyer")
    assert flyer.content_type == content_type and flyer.preview_filename is None
    assert flyer.download_name == f"flyer.{flyer.format.extension}"
    assert label in client.get("/materials").get_data(as_text=True)

    preview = client.get(f"/materials/{flyer.id}/preview.png")
    assert preview.status_code == 200 and preview.get_data() == data
    assert preview.mimetype == content_type
    assert preview.headers["Content-Disposition"] == (
        f"inline; filename=preview.{flyer.format.extension}")
    assert preview.headers["Content-Security-Policy"].startswith("default-src 'none';")
    preview.close()


@needs_pdftoppm
def test_a_pdf_gets_a_png_of_its_first_page(client, upload, fetch, stored_files):
    upload("Poster", PDF)
    poster = _material(fetch, "Poster")
    assert poster.preview_filename and poster.preview_filename in stored_files()
    assert stored_files() == sorted([poster.filename, poster.preview_filename])

    page = client.get("/materials").get_data(as_text=True)
    assert f'src="/materials/{poster.id}/preview.png"' in page
    preview = client.get(f"/materials/{poster.id}/preview.png")
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    assert preview.headers["Content-Disposition"] == "inline; filename=preview.png"
    assert preview.get_data().startswith(b"\x89PNG\r\n\x1a\n")
    preview.close()


def test_without_pdftoppm_a_pdf_shows_a_plain_label(client, upload, fetch, monkeypatch):
    monkeypatch.setattr(storage.shutil, "which", lambda name: None)
    upload("Poster", PDF)
    poster = _material(fetch, "Poster")
    assert poster.preview_filename is None
    page = client.get("/materials").get_data(as_text=True)
    assert "PDF: no preview" in page and "preview.png" not in page
    assert client.get(f"/materials/{poster.id}/preview.png").status_code == 404


def test_a_pdf_pdftoppm_cannot_draw_still_uploads_without_preview(upload, fetch, stored_files):
    # A PDF in outline only: the signature and end marker, nothing to draw.
    assert upload("Broken", b"%PDF-1.4\nnot really a pdf\n%%EOF\n").status_code == 303
    broken = _material(fetch, "Broken")
    assert broken.preview_filename is None
    assert stored_files() == [broken.filename]


def test_missing_and_retired_materials_are_not_found(client, coordinator, upload, fetch):
    upload("Old poster", PDF)
    poster = _material(fetch, "Old poster")
    assert client.get("/materials/999/poster.pdf").status_code == 404
    assert client.get("/materials/999/preview.png").status_code == 404

    coordinator.post(f"/console/materials/{poster.id}/retire", data={"retired": "1"})
    assert "Old poster" not in client.get("/materials").get_data(as_text=True)
    assert client.get(f"/materials/{poster.id}/old-poster.pdf").status_code == 404
    assert client.get(f"/materials/{poster.id}/preview.png").status_code == 404
    assert client.get(f"/materials/{poster.id}/other.pdf").status_code == 404


def test_a_file_gone_from_disk_is_not_found(client, upload, fetch, materials_folder):
    upload("Poster", PDF)
    poster = _material(fetch, "Poster")
    (materials_folder / poster.filename).unlink()
    assert client.get(f"/materials/{poster.id}/poster.pdf").status_code == 404
