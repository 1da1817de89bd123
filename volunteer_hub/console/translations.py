"""Coordinators enter an event's title and description in Persian and
Spanish; public pages in those languages show them instead of the original."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from volunteer_hub.console.forms import TranslationForm
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.events.models import Event
from volunteer_hub.events.services import get_event_or_404
from volunteer_hub.events.translations import (
    TRANSLATED_LANGUAGES,
    remove_translation,
    save_translation,
    translation_of,
)
from volunteer_hub.extensions import db
from volunteer_hub.i18n import text_direction
from volunteer_hub.markup import render_markdown
from volunteer_hub.rsvps.forms import ConfirmForm

bp = Blueprint("translations", __name__, url_prefix="/console")
protect(bp)

#: The languages' names in English, for the (English) console.
LANGUAGE_NAMES = {"fa": "Persian", "es": "Spanish"}


def _name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)


def _language_or_404(language: str) -> str:
    if language not in TRANSLATED_LANGUAGES:
        abort(404)
    return language


def _filled_form(event: Event, language: str) -> TranslationForm:
    form = TranslationForm(prefix=language, formdata=None)
    translation = translation_of(event, language)
    if translation is not None:
        form.title.data, form.description.data = translation.title, translation.description
    return form


def _render(event: Event, posted: TranslationForm | None = None, language: str = "",
            status: int = 200) -> ResponseReturnValue:
    """The page with a form per language; ``posted`` is the one just sent."""
    sections = []
    for code in TRANSLATED_LANGUAGES:
        form = posted if code == language and posted is not None else _filled_form(event, code)
        preview = (render_markdown(form.description.data or "")
                   if code == language and "preview" in request.form else None)
        sections.append({"code": code, "name": _name(code),
                         "direction": text_direction(code), "form": form, "preview": preview,
                         "saved": translation_of(event, code) is not None})
    return render_template("console/translations.html", event=event, sections=sections,
                           confirm=ConfirmForm()), status


@bp.get("/events/<int:event_id>/translations")
def translations(event_id: int) -> ResponseReturnValue:
    return _render(get_event_or_404(event_id))


@bp.post("/events/<int:event_id>/translations/<language>")
def save(event_id: int, language: str) -> ResponseReturnValue:
    """Save (or preview) the title and description in one language."""
    event = get_event_or_404(event_id)
    language = _language_or_404(language)
    form = TranslationForm(prefix=language)
    if "preview" in request.form or not form.validate_on_submit():
        return _render(event, form, language, 422 if form.errors else 200)
    name = _name(language)
    kept = save_translation(event, language, title=form.title.data or "",
                            description=form.description.data or "")
    audit(current_user, "translation.save" if kept else "translation.remove",
          f"{name} of {event.title}")
    db.session.commit()
    flash(f"{name} translation saved." if kept else
          f"{name} translation removed: the page shows the original.", "success")
    return redirect(url_for("translations.translations", event_id=event.id), 303)


@bp.post("/events/<int:event_id>/translations/<language>/remove")
def remove(event_id: int, language: str) -> ResponseReturnValue:
    event = get_event_or_404(event_id)
    language = _language_or_404(language)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = _name(language)
    if remove_translation(event, language):
        audit(current_user, "translation.remove", f"{name} of {event.title}")
        db.session.commit()
        flash(f"{name} translation removed: the page shows the original.", "success")
    else:
        flash(f"There was no {name} translation to remove.", "info")
    return redirect(url_for("translations.translations", event_id=event.id), 303)
