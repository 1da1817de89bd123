"""Coordinator-written Markdown turned into HTML that is safe to show."""

from __future__ import annotations

import functools
import html
import re

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


#: Rendering is a pure function of the text, and the same few descriptions
#: are shown on every page view: keep the latest results.
_RENDERED_KEPT = 512


@functools.lru_cache(maxsize=_RENDERED_KEPT)
def _to_html(source: str) -> str:
    return markdown.markdown(source, extensions=["sane_lists"], output_format="html")


@functools.lru_cache(maxsize=_RENDERED_KEPT)
def render_markdown(source: str) -> Markup:
    """HTML for ``source``; scripts, styles, images and other hosts' frames are
    stripped, links get ``rel="noopener noreferrer nofollow"``."""
    # nh3 keeps only the tags and attributes allowed above: safe to mark safe
    return Markup(  # nosec B704
        nh3.clean(
            _to_html(source),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


@functools.lru_cache(maxsize=_RENDERED_KEPT)
def markdown_to_text(source: str) -> str:
    """The words of ``source`` without markup, for calendar descriptions."""
    return html.unescape(nh3.clean(_to_html(source), tags=set())).strip()


_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def linkify(text: str) -> Markup:
    """Plain text for a page: every character escaped, web addresses made
    into links (rel nofollow ugc), line breaks kept by CSS. Never HTML."""
    pieces, last = [], 0
    for match in _URL.finditer(text):
        url = escape(match.group(0))
        link = Markup('<a href="{0}" rel="nofollow ugc noopener noreferrer">{0}</a>')
        pieces += [escape(text[last:match.start()]), link.format(url)]
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)
