"""Coordinator-written Markdown turned into HTML that is safe to show."""

from __future__ import annotations

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


def render_markdown(source: str) -> Markup:
    """HTML for ``source``; scripts, styles, images and other hosts' frames are
    stripped, links get ``rel="noopener noreferrer nofollow"``."""
    html = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    # nh3 keeps only the tags and attributes allowed above: safe to mark safe
    return Markup(  # nosec B704
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


def markdown_to_text(source: str) -> str:
    """The words of ``source`` without markup, for calendar descriptions."""
    rendered = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


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
