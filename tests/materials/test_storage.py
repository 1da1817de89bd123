"""Files on disk follow the transaction that refers to them."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.materials.conftest import JPEG, PDF, PNG, WEBP
from volunteer_hub.extensions import db
from volunteer_hub.materials import storage
from volunteer_hub.materials.models import JPEG as JPEG_FORMAT
from volunteer_hub.materials.models import PDF as PDF_FORMAT
from volunteer_hub.materials.models import PNG as PNG_FORMAT
from volunteer_hub.materials.models import WEBP as WEBP_FORMAT
from volunteer_hub.materials.models import size_label


@pytest.mark.parametrize(("data", "kind"), [
    (PDF, PDF_FORMAT), (PNG, PNG_FORMAT), (JPEG, JPEG_FORMAT), (WEBP, WEBP_FORMAT)])
def test_formats_are_recognised_by_their_first_bytes(data, kind):
    assert storage.sniff(data[:1024], data[-1024:]) is kind


@pytest.mark.parametrize("data", [
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    b"\xef\xbb\xbf<!DOCTYPE HTML><title>x</title>",
    b"%PDF-1.7\n<SCRIPT>alert(1)</SCRIPT>\n%%EOF",
    b"RIFF\x00\x00\x00\x00WEBPVP8 <iframe src=//evil>",
    b"RIFF\x00\x00\x00\x00AVI LIST",
    b"\x89PNG\r\n\x1a\n",  # a signature and nothing else
    b"PK\x03\x04",  # a zip, an .odt, a .docx
])
def test_everything_else_is_refused(data):
    with pytest.raises(storage.UploadRefused):
        storage.sniff(data[:1024], data[-1024:])


def test_sizes_read_as_people_say_them():
    assert [size_label(size) for size in (1, 1023, 1024, 48_000, 1024 * 1024,
                                          int(1.25 * 1024 * 1024), 20 * 1024 * 1024)] == [
        "1 byte", "1,023 bytes", "1 KB", "47 KB", "1 MB", "1.2 MB", "20 MB"]


def test_new_files_go_when_the_transaction_does_not_commit(app, stored_files):
    with app.app_context():
        stored = storage.store(BytesIO(PDF))
        assert stored.filename in stored_files() and stored.size_bytes == len(PDF)
        db.session.rollback()
        assert stored_files() == []

        stored = storage.store(BytesIO(PNG))
        db.session.close()  # ended without a rollback: an error, say
        assert stored_files() == []

        stored = storage.store(BytesIO(PNG))
        db.session.commit()
        assert stored_files() == [stored.filename]


def test_replaced_files_go_only_once_the_transaction_commits(app, stored_files):
    with app.app_context():
        stored = storage.store(BytesIO(PNG))
        db.session.commit()

        storage.discard_after_commit(stored.filename, None)
        db.session.rollback()
        assert stored_files() == [stored.filename]  # the replacement failed: keep it

        storage.discard_after_commit(stored.filename)
        db.session.commit()
        assert stored_files() == []


def test_a_refused_upload_leaves_no_partial_file(app, stored_files):
    app.config["MATERIALS_MAX_BYTES"] = 100_000
    with app.app_context():
        with pytest.raises(storage.UploadRefused, match="at most 98 KB"):
            storage.store(BytesIO(PNG + b"\0" * 200_000))
        with pytest.raises(storage.UploadRefused, match="empty"):
            storage.store(BytesIO(b""))
        assert stored_files() == []
        db.session.rollback()
