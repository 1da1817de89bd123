"""Materials: listing, uploading, replacing, ordering and retiring them.

Uploads should come after ``begin_write()``: the files stored follow the
transaction (see storage), and that call ends any transaction before it.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import func, select

from volunteer_hub.extensions import db
from volunteer_hub.materials import storage
from volunteer_hub.materials.models import Material


def public_materials() -> list[Material]:
    """What the downloads page lists, in the coordinators' order."""
    return list(db.session.scalars(
        select(Material).where(Material.retired.is_(False))
        .order_by(Material.position, Material.id)))


def all_materials() -> list[Material]:
    """Every material, the ones on show first, in order."""
    return list(db.session.scalars(
        select(Material).order_by(Material.retired, Material.position, Material.id)))


def public_material(material_id: int) -> Material | None:
    """The material if the public may see it."""
    material = db.session.get(Material, material_id)
    return None if material is None or material.retired else material


def _next_position() -> int:
    return (db.session.scalar(select(func.max(Material.position))) or 0) + 1


def add_material(title: str, description: str, upload: BinaryIO) -> Material:
    """Check and keep an uploaded file as a new material, at the end of the
    list; raises storage.UploadRefused."""
    stored = storage.store(upload)
    material = Material(
        title=title, description=description, filename=stored.filename,
        content_type=stored.content_type, size_bytes=stored.size_bytes,
        preview_filename=stored.preview_filename, position=_next_position())
    db.session.add(material)
    db.session.flush()
    return material


def replace_file(material: Material, upload: BinaryIO) -> None:
    """Put a new file in place of the material's; the old one is removed
    once this is committed. Raises storage.UploadRefused."""
    stored = storage.store(upload)
    storage.discard_after_commit(material.filename, material.preview_filename)
    material.filename, material.content_type = stored.filename, stored.content_type
    material.size_bytes, material.preview_filename = stored.size_bytes, stored.preview_filename
    db.session.flush()


def update_details(material: Material, title: str, description: str) -> None:
    """Change what the downloads page says about the material."""
    material.title, material.description = title, description
    db.session.flush()


def move(material: Material, step: int) -> bool:
    """Move a material on show ``step`` places up (-1) or down (+1) the
    list; False when it is already at that end (or retired)."""
    shown = public_materials()
    if material not in shown:
        return False
    index = shown.index(material)
    target = index + step
    if not 0 <= target < len(shown):
        return False
    shown[index], shown[target] = shown[target], shown[index]
    for position, each in enumerate(shown, start=1):
        each.position = position
    db.session.flush()
    return True


def set_retired(material: Material, retired: bool) -> None:
    """Hide a material from the public, or bring it back at the end."""
    if retired == material.retired:
        return
    if not retired:
        material.position = _next_position()
    material.retired = retired
    db.session.flush()
