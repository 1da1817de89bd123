"""Serving busy public pages fast without serving anyone's data to another.

Two mechanisms:

* ``PageCache``: a page that everybody sees alike except for the keys of its
  forms (the CSRF token, a one-time submission key, the "form shown at"
  stamp) is rendered once, kept for ``PAGE_CACHE_SECONDS``, and for every
  visitor only those keys are filled in afresh. The kept page holds no
  person's data: it is cached only for a plain GET with no query string and
  no message waiting in the visitor's session, with blank forms, and the
  keys it was rendered with are cut out of it. Each process keeps its own
  copy, so what one server renders is what the database said at most
  ``PAGE_CACHE_SECONDS`` ago; RSVPs themselves are always decided against
  the database, under its lock.

* ``register()``: a public page without a form's CSRF token, a message or a
  new cookie gets an ``ETag`` from its bytes and ``Cache-Control:
  no-cache``: a browser or proxy may keep it but must ask "still the
  same?" each time, and gets ``304 Not Modified`` only when the bytes it
  holds are exactly those the page would have now. ``Vary:
  Accept-Language, Cookie`` (i18n) keeps languages apart.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_wtf import FlaskForm

from volunteer_hub import i18n
from volunteer_hub.signing import csrf_token
from volunteer_hub.spam import started_stamp
from volunteer_hub.tokens import new_nonce

#: Per-visitor keys a cached page can hold: name -> how to make a fresh one.
_MAKERS: dict[str, Callable[[], str]] = {
    "csrf_token": csrf_token,
    "submission_key": new_nonce,
    "started": started_stamp,
}
V = TypeVar("V")
#: Pages kept per process; beyond that the oldest half is dropped.
_MAX_PAGES = 512


@dataclass(frozen=True)
class FormKeys:
    """The keys one visitor's forms carry on one page view."""

    values: dict[str, str]

    @classmethod
    def fresh(cls) -> FormKeys:
        makers = dict(_MAKERS)
        if not current_app.config.get("WTF_CSRF_ENABLED", True):
            del makers["csrf_token"]
        return cls({name: make() for name, make in makers.items()})

    def put_into(self, *forms: FlaskForm) -> None:
        """Give ``forms`` these keys (the CSRF token is the request's own already)."""
        for form in forms:
            for name in ("submission_key", "started"):
                if (field := getattr(form, name, None)) is not None:
                    field.data = self.values[name]


@dataclass(frozen=True)
class _Page:
    """A rendered page with the form keys cut out: ``parts`` alternates text
    and key names, text first and last."""

    parts: tuple[str, ...]
    expires: float

    @classmethod
    def cut(cls, html: str, keys: FormKeys, expires: float) -> _Page:
        by_value = {value: name for name, value in keys.values.items()}
        pattern = "|".join(re.escape(value) for value in sorted(by_value, key=len, reverse=True))
        pieces = re.split(f"({pattern})", html) if pattern else [html]
        return cls(tuple(by_value.get(piece, piece) if index % 2 else piece
                         for index, piece in enumerate(pieces)), expires)

    def fill(self, keys: FormKeys) -> str:
        return "".join(keys.values[piece] if index % 2 else piece
                       for index, piece in enumerate(self.parts))


class PageCache:
    """Rendered public pages of one app, kept for ``PAGE_CACHE_SECONDS``.

    When a kept page runs out, one request draws it anew while the others
    go on serving the kept one, so that a busy page is drawn once, not by
    every thread that asks in the moment it runs out."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._pages: dict[Hashable, _Page] = {}
        self._drawing: set[Hashable] = set()
        self._lock = threading.Lock()

    def serve(self, key: Hashable, render: Callable[[FormKeys], str]) -> str:
        """The page for ``key`` with fresh form keys; ``render`` draws it
        (putting the given keys into its forms) when no fresh copy is kept.
        ``render`` may abort (404): nothing is kept then."""
        keys = FormKeys.fresh()
        if not self._cacheable():
            return render(keys)
        key = (key, i18n.current_language())
        page = self._pages.get(key)
        if page is None:
            html = render(keys)
            self._keep(key, _Page.cut(html, keys, self.clock() + self.seconds))
            return html
        if not self._claim(key, page):
            return page.fill(keys)
        try:
            html = render(keys)
            self._keep(key, _Page.cut(html, keys, self.clock() + self.seconds))
        except BaseException:
            self._pages.pop(key, None)  # gone (404): nobody gets the old page
            raise
        finally:
            self._drawing.discard(key)
        return html

    def _keep(self, key: Hashable, page: _Page) -> None:
        _make_room(self._pages, _MAX_PAGES)
        self._pages[key] = page

    def _claim(self, key: Hashable, page: _Page) -> bool:
        """Whether this request is to draw the kept ``page`` anew: it ran
        out, and no other request is drawing it already."""
        if page.expires > self.clock():
            return False
        with self._lock:
            if key in self._drawing:
                return False
            self._drawing.add(key)
            return True

    def _cacheable(self) -> bool:
        return (self.seconds > 0 and request.method == "GET" and not request.query_string
                and "_flashes" not in session)


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


class Recent(Generic[V]):
    """Values kept for ``seconds`` each, by key, in this process: what a
    busy page reads on every request and may see up to that old."""

    def __init__(self, seconds: float, size: int = _MAX_PAGES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._values: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept under ``key`` while fresh, else the one ``build``
        makes (which may raise: nothing is kept then)."""
        now = self.clock()
        kept = self._values.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = build()
        if self.seconds > 0:
            _make_room(self._values, self.size)
            self._values[key] = (now + self.seconds, value)
        return value


def _make_room(kept: dict[Hashable, Any], size: int) -> None:
    """With ``size`` values kept already, drop the oldest half."""
    if len(kept) >= size:
        for old in list(kept)[: size // 2]:
            kept.pop(old, None)


def recent(name: str) -> Recent[Any]:
    """The app's ``Recent`` values called ``name``, kept PAGE_CACHE_SECONDS."""
    extensions = current_app.extensions
    if (kept := extensions.get(f"recent.{name}")) is None:
        kept = extensions[f"recent.{name}"] = Recent(current_app.config["PAGE_CACHE_SECONDS"])
    return kept


def register(app: Flask) -> None:
    """Set up the page cache and conditional answers for public pages."""
    app.extensions["page_cache"] = PageCache(app.config["PAGE_CACHE_SECONDS"])

    @app.after_request
    def _revalidate(response: Response) -> Response:
        if _shared_alike(response):
            response.headers["Cache-Control"] = "no-cache"
            response.add_etag()
            response.make_conditional(request)
        return response


def _shared_alike(response: Response) -> bool:
    """A public page every visitor of its language gets alike: no form
    token of this visitor's (Flask-WTF keeps the one it made in ``g``), no
    message taken from the session, no cookie set, no caching rule of its own."""
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and response.mimetype == "text/html" and not response.is_streamed
            and "Cache-Control" not in response.headers and "Set-Cookie" not in response.headers
            and not request.path.startswith("/console")
            and not session.modified and "csrf_token" not in g)


#: What a new server process builds before its first visitor: the public
#: calendar feed (a second or more for a thousand events, then milliseconds)
#: as calendar apps ask for it, with no language given.
WARM_UP_PATHS = ("/calendar.ics",)


def warm_up(app: Flask) -> None:
    """Build what is slow to build the first time, so that no visitor waits
    for it; a failure (no database yet, say) is only logged."""
    client = app.test_client()
    for path in WARM_UP_PATHS:
        try:
            client.get(path)
        except Exception:  # the site still starts; its first visitor waits instead
            app.logger.exception("warming up %s failed", path)
