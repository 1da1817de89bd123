"""Uploads are judged by their content and size, and a refused upload
leaves nothing behind: no file, no row."""

from __future__ import annotations

import re
import shutil
from io import BytesIO

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.conftest import PASSWORD
from tests.materials.conftest import PDF, PNG, multipart, padded_pdf
from volunteer_hub.materials.models import Material

MB = 1024 * 1024
WEB_PAGE = "contains web page code (HTML, SVG or a script), so it was refused"
NOT_ACCEPTED = "This file is not one we accept, whatever its name says."
TOO_LARGE = "This file is too large: files can be at most 20 MB."
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
       b'<script>alert(document.cookie)</script></svg>')


def _errors(response) -> str:
    return response.get_data(as_text=True).split('id="upload"', 1)[1]


@pytest.mark.parametrize(("data", "filename", "content_type", "message"), [
    (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "poster.pdf",
     "application/pdf", WEB_PAGE),
    (SVG, "poster.pdf", "application/pdf", WEB_PAGE),
    (SVG, "flyer.png", "image/png", WEB_PAGE),
    (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "poster.pdf",
     "application/pdf", WEB_PAGE),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"<svg onload=alert(1)>", "flyer.png",
     "image/png", WEB_PAGE),
    (b"", "poster.pdf", "application/pdf", "This file is empty."),
    (b"Just some text, not a poster at all.\n", "poster.pdf", "application/pdf", NOT_ACCEPTED),
    (b"GIF89a\x01\x00\x01\x00", "flyer.png", "image/png", NOT_ACCEPTED),
    (PDF[: len(PDF) // 2], "poster.pdf", "application/pdf", "This PDF is incomplete"),
])
def test_files_that_are_not_what_they_claim_are_refused(
    upload, fetch, stored_files, data, filename, content_type, message
):
    response = upload("Poster", data, filename, content_type=content_type)
    assert response.status_code == 422
    assert message in _errors(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert fetch(sa.select(Material)) == []
    assert stored_files() == []


def test_a_form_without_a_file_or_title_says_what_is_missing(coordinator, fetch):
    response = coordinator.post("/console/materials", **multipart({"title": ""}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please give the material a title." in page
    assert "Please choose a file to upload." in page
    assert fetch(sa.select(Material)) == []


def test_a_50_mb_upload_is_refused_on_the_form(upload, fetch, stored_files):
    response = upload("Huge poster", padded_pdf(50 * MB))
    assert response.status_code == 413
    assert TOO_LARGE in _errors(response)
    # The console's own page, not an error page.
    assert "<h1>Materials</h1>" in response.get_data(as_text=True)
    assert fetch(sa.select(Material)) == []
    assert stored_files() == []


def test_a_file_just_over_the_limit_is_refused_after_reading(app, upload, fetch, stored_files):
    # Within the request's allowance for the other fields, but over the
    # file limit itself: the copy stops and the part written is removed.
    app.config["MATERIALS_MAX_BYTES"] = 4000
    response = upload("Poster", padded_pdf(4001))
    assert response.status_code == 422
    assert "files can be at most 4 KB" in _errors(response)
    assert fetch(sa.select(Material)) == []
    assert stored_files() == []
    app.config["MATERIALS_MAX_BYTES"] = 4000 + 1
    assert upload("Poster", padded_pdf(4001)).status_code == 303


def test_files_above_the_sites_1_mb_request_limit_are_accepted(app, upload, fetch):
    assert app.config["MAX_CONTENT_LENGTH"] == MB
    assert upload("Big poster", padded_pdf(3 * MB)).status_code == 303
    [poster] = fetch(sa.select(Material))
    assert poster.size_bytes == 3 * MB and poster.size_label == "3 MB"


def test_visitors_cannot_upload_even_small_files(client, upload, fetch, stored_files):
    response = upload("Poster", PNG, "flyer.png", client=client)
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    big = upload("Poster", padded_pdf(2 * MB), client=client)
    assert big.status_code in (302, 413)  # never above the site's own limit
    assert fetch(sa.select(Material)) == []
    assert stored_files() == []


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_with_csrf_on_large_uploads_work_and_oversized_ones_are_told(
    csrf_app, make_coordinator, fetch, stored_files
):
    # The larger limit must be in place before the CSRF check reads the form.
    make_coordinator("admin@example.org", name="Admin", admin=True)
    client = csrf_app.test_client()
    login = client.get("/console/login").get_data(as_text=True)
    assert client.post("/console/login", data={
        "email": "admin@example.org", "password": PASSWORD, "csrf_token": _token(login)
    }).status_code == 303
    token = _token(client.get("/console/materials").get_data(as_text=True))

    def send(data: bytes, **extra: str):
        return client.post("/console/materials", **multipart({
            "title": "Poster", "file": FileStorage(BytesIO(data), "poster.pdf"), **extra}))

    assert send(padded_pdf(2 * MB), csrf_token=token).status_code == 303
    assert len(fetch(sa.select(Material))) == 1
    too_large = send(padded_pdf(50 * MB), csrf_token=token)
    assert too_large.status_code == 413 and TOO_LARGE in _errors(too_large)
    assert send(PNG).status_code == 400  # no token
    assert len(fetch(sa.select(Material))) == 1
    # The one PDF, and its preview where pdftoppm (poppler-utils) can draw one.
    assert len(stored_files()) == (2 if shutil.which("pdftoppm") else 1)
