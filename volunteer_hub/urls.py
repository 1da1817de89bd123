"""Absolute links for emails, built from ``BASE_URL`` rather than from
whichever host a request happened to arrive on."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    """The public URL of ``endpoint``, usable outside any request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def local_path(target: str | None, prefix: str = "/") -> str | None:
    """``target`` if it is a path on this site under ``prefix``, else None:
    redirects built from it never lead to another site. Browsers drop tabs
    and line breaks from URLs and read a backslash as a slash, so a slash, a
    tab and "/evil.example" would reach evil.example: any white space,
    control character or backslash is refused, and so is anything with a
    host."""
    if not target or not target.startswith(prefix) or target.startswith("//"):
        return None
    if any(char.isspace() or char == "\\" or not char.isprintable() for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
