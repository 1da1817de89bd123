"""Template filters and globals shared by every page and email."""

from __future__ import annotations

from flask import Flask

from volunteer_hub import timefmt
from volunteer_hub.markup import linkify, render_markdown


def register(app: Flask) -> None:
    """Make the helpers available to Jinja."""
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(linkify, "linkify")
    app.add_template_filter(timefmt.format_when, "when")
    app.add_template_filter(timefmt.format_date, "date")
    app.add_template_filter(timefmt.format_time, "time")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
