"""Materials: the public downloads page and the console's management."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.errors import render_error
from volunteer_hub.extensions import db
from volunteer_hub.materials import services, storage
from volunteer_hub.materials.forms import DetailsForm, FileForm, UploadForm
from volunteer_hub.materials.models import PNG, Material
from volunteer_hub.rsvps.forms import ConfirmForm

bp = Blueprint("materials", __name__)
console_bp = Blueprint("materials_console", __name__, url_prefix="/console")
protect(console_bp)

#: Room for the form's other fields next to the file.
FORM_OVERHEAD_BYTES = 64 * 1024
UPLOAD_ENDPOINTS = ("materials_console.upload", "materials_console.replace")


def _send(material: Material, *, preview: bool = False) -> ResponseReturnValue:
    """The material's file (or its preview), with the type we found in it.
    A download is always an attachment; nothing in it may run or load."""
    kind = material.format
    if preview and not kind.is_image:
        if material.preview_filename is None:
            abort(404)
        path, kind = storage.folder() / material.preview_filename, PNG
    else:
        path = storage.folder() / material.filename
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=kind.content_type, as_attachment=not preview,
                         download_name=f"preview.{kind.extension}" if preview
                         else material.download_name)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; frame-ancestors 'none'; form-action 'none'; sandbox")
    return response


@bp.get("/materials")
def index() -> ResponseReturnValue:
    return render_template("materials/index.html", materials=services.public_materials())


@bp.get("/materials/<int:material_id>/preview.png")
def preview(material_id: int) -> ResponseReturnValue:
    material = services.public_material(material_id)
    if material is None:
        abort(404)
    return _send(material, preview=True)


@bp.get("/materials/<int:material_id>/<filename>")
def download(material_id: int, filename: str) -> ResponseReturnValue:
    material = services.public_material(material_id)
    if material is None:
        abort(404)
    if filename != material.download_name:  # renamed or replaced since the link was made
        return redirect(url_for("materials.download", material_id=material.id,
                                filename=material.download_name))
    return _send(material)


# The console ---------------------------------------------------------------

@console_bp.url_value_preprocessor
def _allow_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # The site takes at most MAX_CONTENT_LENGTH per request. Uploads by a
    # signed-in coordinator may be larger; this runs before the CSRF check
    # reads the form, which is when the limit applies.
    if endpoint in UPLOAD_ENDPOINTS and current_user.is_authenticated:
        request.max_content_length = (
            current_app.config["MATERIALS_MAX_BYTES"] + FORM_OVERHEAD_BYTES)


@console_bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Say so on the form, rather than on an error page."""
    if request.endpoint not in UPLOAD_ENDPOINTS or not current_user.is_authenticated:
        return render_error(413)
    db.session.rollback()
    message = storage.too_large_message()
    if request.endpoint == "materials_console.replace":
        file_form = FileForm(formdata=None)
        file_form.file.errors = [message]
        material = db.get_or_404(Material, request.view_args["material_id"])
        return _render_edit(material, file_form=file_form, status=413)
    form = UploadForm(formdata=None)
    form.file.errors = [message]
    return _render_manage(form, status=413)


def _render_manage(form: UploadForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("materials/manage.html", materials=services.all_materials(),
                           form=form or UploadForm(formdata=None)), status


def _render_edit(material: Material, details: DetailsForm | None = None,
                 file_form: FileForm | None = None, status: int = 200) -> ResponseReturnValue:
    if details is None:
        details = DetailsForm(formdata=None, data={"title": material.title,
                                                   "description": material.description})
    return render_template("materials/edit.html", material=material, form=details,
                           file_form=file_form or FileForm(formdata=None)), status


@console_bp.get("/materials")
def manage() -> ResponseReturnValue:
    return _render_manage()


@console_bp.post("/materials")
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_manage(form, 422)
    try:
        material = services.add_material(upload=form.file.data.stream, **form.fields())
    except storage.UploadRefused as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _render_manage(form, 422)
    audit(current_user, "material.upload",
          f"{material.title} ({material.format.label}, {material.size_label})")
    db.session.commit()
    flash(f"“{material.title}” is on the downloads page.", "success")
    return redirect(url_for("materials_console.manage"), 303)


@console_bp.route("/materials/<int:material_id>/edit", methods=["GET", "POST"])
def edit(material_id: int) -> ResponseReturnValue:
    if request.method == "GET":
        return _render_edit(db.get_or_404(Material, material_id))
    material = db.get_or_404(Material, material_id)
    form = DetailsForm()
    if not form.validate_on_submit():
        return _render_edit(material, details=form, status=422)
    services.update_details(material, **form.fields())
    audit(current_user, "material.update", material.title)
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("materials_console.manage"), 303)


@console_bp.post("/materials/<int:material_id>/replace")
def replace(material_id: int) -> ResponseReturnValue:
    form = FileForm()  # reads the upload before taking the write lock
    material = db.get_or_404(Material, material_id)
    if not form.validate_on_submit():
        return _render_edit(material, file_form=form, status=422)
    try:
        services.replace_file(material, form.file.data.stream)
    except storage.UploadRefused as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _render_edit(db.get_or_404(Material, material_id), file_form=form, status=422)
    audit(current_user, "material.replace",
          f"{material.title} ({material.format.label}, {material.size_label})")
    db.session.commit()
    flash(f"The file of “{material.title}” is replaced.", "success")
    return redirect(url_for("materials_console.manage"), 303)


@console_bp.post("/materials/<int:material_id>/move")
def move(material_id: int) -> ResponseReturnValue:
    material = db.get_or_404(Material, material_id)
    direction = request.form.get("direction")
    if not ConfirmForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    if services.move(material, -1 if direction == "up" else 1):
        audit(current_user, "material.move", f"{material.title} {direction}")
        db.session.commit()
    return redirect(url_for("materials_console.manage", _anchor=f"material-{material.id}"), 303)


@console_bp.post("/materials/<int:material_id>/retire")
def retire(material_id: int) -> ResponseReturnValue:
    material = db.get_or_404(Material, material_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    retired = request.form.get("retired") != "0"
    services.set_retired(material, retired)
    audit(current_user, "material.retire" if retired else "material.restore", material.title)
    db.session.commit()
    flash(f"“{material.title}” is retired: the public no longer sees it." if retired
          else f"“{material.title}” is back on the downloads page, at the end.", "success")
    return redirect(url_for("materials_console.manage"), 303)


@console_bp.get("/materials/<int:material_id>/download")
def console_download(material_id: int) -> ResponseReturnValue:
    """Any material's file, retired ones included, to check it."""
    return _send(db.get_or_404(Material, material_id))


@console_bp.get("/materials/<int:material_id>/preview.png")
def console_preview(material_id: int) -> ResponseReturnValue:
    return _send(db.get_or_404(Material, material_id), preview=True)
