"""Posters, leaflets and flyers that people download and print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.timefmt import format_number


@dataclass(frozen=True)
class FileFormat:
    """A kind of file we accept: what people are told, and how it is saved."""

    content_type: str
    label: str
    extension: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PDF = FileFormat("application/pdf", lazy_gettext("PDF"), "pdf")
PNG = FileFormat("image/png", lazy_gettext("PNG image"), "png")
JPEG = FileFormat("image/jpeg", lazy_gettext("JPEG image"), "jpg")
WEBP = FileFormat("image/webp", lazy_gettext("WebP image"), "webp")

#: Every accepted format, by the content type our own sniffing gave it.
FORMATS = {kind.content_type: kind for kind in (PDF, PNG, JPEG, WEBP)}


def size_label(size: int) -> str:
    """'850 bytes', '48 KB', '1.2 MB': how big a download is, in words, in
    the language of the page."""
    if size < 1024:
        return ngettext("%(number)s byte", "%(number)s bytes", size, number=format_number(size))
    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=format_number(round(size / 1024)))
    return gettext("%(size)s MB", size=format_number(round(size / (1024 * 1024), 1)))


class Material(db.Model):
    __table_args__ = (
        CheckConstraint(
            "content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')",
            name="known_content_type",
        ),
        CheckConstraint("size_bytes > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: random name of the file in ``instance/materials/``; never the uploader's
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    #: what the file's first bytes say it is, never what the browser claimed
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int]
    #: PNG of a PDF's first page, beside the file; None for images (their own
    #: preview) and for PDFs no preview could be made of
    preview_filename: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: order on the downloads page
    position: Mapped[int] = mapped_column(default=0)
    #: hidden from the public, kept for the console to restore
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def format(self) -> FileFormat:
        return FORMATS[self.content_type]

    @property
    def size_label(self) -> str:
        return size_label(self.size_bytes)

    @property
    def has_preview(self) -> bool:
        return self.format.is_image or self.preview_filename is not None

    @property
    def download_name(self) -> str:
        """The name the file is saved under: the title in ASCII, with the
        extension of what the file really is."""
        stem = "".join(char if char.isascii() and char.isalnum() else "-"
                       for char in self.title.lower())
        stem = "-".join(part for part in stem.split("-") if part)[:80].strip("-")
        # "preview.png" is the address of the preview, not of a download.
        if not stem or stem == "preview":
            stem = f"material-{self.id}"
        return f"{stem}.{self.format.extension}"

    def __repr__(self) -> str:
        return f"<Material {self.title}>"
