"""Uploaded files on disk, in ``instance/materials/`` and never under
``static/``.

A file is taken for what its first bytes say it is, not for its name or the
type the browser sent. It is written aside, checked, and only then moved to
its random name. Files follow the transaction that refers to them: new ones
are removed again if it does not commit, replaced ones only once it has.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from volunteer_hub.extensions import db
from volunteer_hub.materials.models import JPEG, PDF, PNG, WEBP, FileFormat, size_label

#: How much of the start of a file is searched for web page code.
HEAD_BYTES = 1024
#: A PDF's end-of-file marker must be within this much of its end.
TAIL_BYTES = 1024
CHUNK_BYTES = 64 * 1024
#: Tags that make a file a web page (or an SVG image, which can carry
#: scripts) whatever else it claims to be; compared in lower case.
MARKUP = (b"<html", b"<!doctype html", b"<head", b"<body", b"<svg", b"<script", b"<iframe")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The longest side of a PDF's preview, in pixels.
PREVIEW_PIXELS = 800
#: A PDF that takes longer than this to draw gets no preview (uploads run
#: under the write lock, so this stays well below the SQLite busy timeout).
PREVIEW_TIMEOUT_SECONDS = 10
_PENDING = "material_files"


class UploadRefused(Exception):
    """An upload we do not keep; the message is for the coordinator."""


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size_bytes: int
    preview_filename: str | None


def folder() -> Path:
    """Where materials are kept."""
    return Path(current_app.instance_path) / "materials"


def too_large_message() -> str:
    limit = size_label(current_app.config["MATERIALS_MAX_BYTES"])
    return (f"This file is too large: files can be at most {limit}. Please make it smaller "
            "(a PDF exported for screen, or an image at a lower resolution) and try again.")


def sniff(head: bytes, tail: bytes) -> FileFormat:
    """The format of a file from its first and last bytes; raises
    UploadRefused for anything we do not accept."""
    lowered = head.lower()
    if any(tag in lowered for tag in MARKUP):
        raise UploadRefused(
            "This file contains web page code (HTML, SVG or a script), so it was refused: "
            "it could harm the people who open it. Please upload a PDF, or a PNG, JPEG "
            "or WebP image.")
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise UploadRefused("This PDF is incomplete (it has no proper end). "
                                "Please save or export it again and upload the new file.")
        return PDF
    if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and head[12:16] in (
            b"VP8 ", b"VP8L", b"VP8X"):
        return WEBP
    raise UploadRefused("This file is not one we accept, whatever its name says. "
                        "Please upload a PDF, or a PNG, JPEG or WebP image.")


def store(stream: BinaryIO) -> StoredFile:
    """Check ``stream`` and keep it under a random name, with a preview if
    it is a PDF; raises UploadRefused, leaving nothing behind."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target, prefix=".upload-", suffix=".part")
    draft = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as file:
            size = _copy(stream, file, current_app.config["MATERIALS_MAX_BYTES"])
        if size == 0:
            raise UploadRefused("This file is empty. Please choose the file again.")
        kind = sniff(*_head_and_tail(draft, size))
        filename = f"{secrets.token_hex(16)}.{kind.extension}"
        os.replace(draft, target / filename)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    discard_unless_committed(filename)
    preview = make_preview(target / filename) if kind is PDF else None
    return StoredFile(filename, kind.content_type, size, preview)


def _copy(stream: BinaryIO, file: BinaryIO, limit: int) -> int:
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise UploadRefused(too_large_message())
        file.write(chunk)
    return size


def _head_and_tail(path: Path, size: int) -> tuple[bytes, bytes]:
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
        file.seek(max(0, size - TAIL_BYTES))
        return head, file.read()


def make_preview(pdf: Path) -> str | None:
    """Draw the PDF's first page as a PNG beside it with ``pdftoppm``
    (poppler-utils) and return its name; None without pdftoppm, or if it
    fails or takes too long."""
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    prefix = pdf.with_name(f".preview-{secrets.token_hex(8)}")
    drawn = prefix.with_name(prefix.name + ".png")
    name = f"{secrets.token_hex(16)}.png"
    try:
        subprocess.run(
            [program, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to",
             str(PREVIEW_PIXELS), "-q", str(pdf), str(prefix)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=PREVIEW_TIMEOUT_SECONDS, check=True)
        with drawn.open("rb") as file:
            if file.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
                return None
        os.replace(drawn, pdf.with_name(name))
    except (OSError, subprocess.SubprocessError) as error:
        current_app.logger.warning("No preview for %s: %s", pdf.name, error)
        return None
    finally:
        drawn.unlink(missing_ok=True)
    discard_unless_committed(name)
    return name


def _pending() -> dict[str, list[Path]]:
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even with nothing written yet, ends it
    return session.info.setdefault(_PENDING, {"commit": [], "rollback": []})


def discard_unless_committed(*names: str | None) -> None:
    """Remove these new files if this transaction does not commit."""
    _pending()["rollback"].extend(folder() / name for name in names if name)


def discard_after_commit(*names: str | None) -> None:
    """Remove these files once this transaction has committed (the files a
    replacement takes the place of)."""
    _pending()["commit"].extend(folder() / name for name in names if name)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        _unlink(pending["commit"])


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    # Still pending at the end: the transaction was rolled back or closed.
    if transaction.parent is None:
        pending = session.info.pop(_PENDING, None)
        if pending:
            _unlink(pending["rollback"])
