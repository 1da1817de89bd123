"""Template filters and globals shared by every page and email."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from markupsafe import Markup

from volunteer_hub import timefmt
from volunteer_hub.events.translations import local_description, local_title
from volunteer_hub.markup import linkify, render_markdown


def csrf_field(form: FlaskForm) -> Markup:
    """The form's hidden CSRF input, without an ``id``: a page often holds
    several forms, and ids must be unique. Nothing when CSRF is off."""
    field = getattr(form, "csrf_token", None)
    return field(id=False) if field is not None else Markup("")


def register(app: Flask) -> None:
    """Make the helpers available to Jinja."""
    app.add_template_global(csrf_field)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(linkify, "linkify")
    app.add_template_filter(local_title)
    app.add_template_filter(local_description)
    app.add_template_filter(timefmt.format_when, "when")
    app.add_template_filter(timefmt.format_date, "date")
    app.add_template_filter(timefmt.format_time, "time")
    app.add_template_filter(timefmt.format_number, "number")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
