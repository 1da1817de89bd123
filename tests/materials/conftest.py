"""Sample files, as real as the checks need, and helpers to upload them."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from volunteer_hub.materials.leaflet import write_pdf


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\x8a\x1c\x1c" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


#: A real one-page PDF that poppler can draw.
PDF = write_pdf(b"BT /F2 36 Tf 72 700 Td (Free them now) Tj ET", "Poster")
PNG = _png()
#: Sniffing needs only the start; nothing here decodes the pixels.
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64 + b"\xff\xd9")
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8L" + b"\x00" * 28


def padded_pdf(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes: the sample, padded before its end marker."""
    end = b"\n%%EOF\n"
    return PDF + b"\0" * (size - len(PDF) - len(end)) + end


@pytest.fixture
def materials_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "materials"


@pytest.fixture
def stored_files(materials_folder: Path) -> Callable[[], list[str]]:
    """Every file in instance/materials, temporary ones included."""

    def stored_files() -> list[str]:
        if not materials_folder.exists():
            return []
        return sorted(path.name for path in materials_folder.iterdir())

    return stored_files


def multipart(fields: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments posting ``fields`` as multipart/form-data.

    Encoded in memory: the test client would spool a large body to a
    temporary file that nobody closes, and setup.cfg turns that warning
    into an error."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def upload(coordinator: FlaskClient) -> Callable[..., Any]:
    """Upload a file from the console as the signed-in coordinator."""

    def upload(title: str = "Poster", data: bytes = PDF, filename: str = "poster.pdf",
               description: str = "", client: FlaskClient | None = None,
               content_type: str = "application/pdf") -> Any:
        return (client or coordinator).post("/console/materials", **multipart({
            "title": title, "description": description,
            "file": FileStorage(BytesIO(data), filename, content_type=content_type),
        }))

    return upload
