"""Forms coordinators upload and describe materials with."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from volunteer_hub.forms import Form, printable_text, strip
from volunteer_hub.materials.models import size_label


class DetailsForm(Form):
    title = StringField("Title", filters=[strip], validators=[
        DataRequired("Please give the material a title."), Length(max=200), printable_text])
    description = TextAreaField(
        "Short description", filters=[strip],
        description="A sentence or two: what it is, and where to use it.",
        validators=[Length(max=500, message="Please keep the description under 500 characters.")])

    def fields(self) -> dict[str, Any]:
        return {"title": self.title.data, "description": self.description.data or ""}


class FileForm(Form):
    file = FileField("File", validators=[FileRequired("Please choose a file to upload.")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = size_label(current_app.config["MATERIALS_MAX_BYTES"])
        self.file.description = f"A PDF, or a PNG, JPEG or WebP image, at most {limit}."


class UploadForm(DetailsForm, FileForm):
    """A new material: its file and what to say about it."""
