"""Languages: English, Persian and Spanish for the public side.

The language comes from the switcher (a plain link that sets a cookie), or
else from the browser's Accept-Language, or else English. The console stays
in English: its texts are not translated yet, and a right-to-left layout
around English text would only confuse.

Catalogues live in ``translations/<language>/LC_MESSAGES/``: ``messages``
for pages, forms and errors, ``mail`` for emails and invites. `make run` and
`make test` compile them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import Babel, force_locale, get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from volunteer_hub.urls import local_path

#: What the switcher offers, each in its own language.
LANGUAGES = {"en": "English", "fa": "فارسی", "es": "Español"}
DEFAULT_LANGUAGE = "en"
COOKIE = "language"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: What a public page's language depends on, for caches (the header Vary).
VARY = ("Accept-Language", "Cookie")
_VARY_HEADER = ", ".join(VARY)
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()
bp = Blueprint("i18n", __name__)


def _is_console() -> bool:
    return request.path.startswith("/console")


def select_language() -> str:
    """The language of the page being served (English for work done outside
    a request, unless ``language()`` says otherwise)."""
    if not has_request_context() or _is_console():
        return DEFAULT_LANGUAGE
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return _preferred(request.headers.get("Accept-Language", ""))


@lru_cache(maxsize=512)
def _preferred(accept_language: str) -> str:
    """The language we speak that an Accept-Language header prefers: kept,
    since most visitors' browsers send one of a few headers."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(
        LANGUAGES, DEFAULT_LANGUAGE)


#: One babel Locale per language, made once: Flask-Babel parses whatever the
#: selector gives (a Locale as it is, a code anew for every request).
_LOCALES = {code: Locale.parse(code) for code in LANGUAGES}


def _select_locale() -> Locale:
    return _LOCALES[select_language()]


def current_language() -> str:
    """The language of this request, or English outside one."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def visitor_language() -> str | None:
    """The language of the public page being served, which is the person's
    own choice: None on the console and outside a request, where it is not."""
    if not has_request_context() or _is_console():
        return None
    return current_language()


def N_(message: str) -> str:
    """Marks ``message`` for the catalogues where it is defined, to be
    translated later where it is used (N_ is the name gettext tools look for)."""
    return message


def text_direction(language: str | None = None) -> str:
    """"rtl" for Persian, "ltr" for the others."""
    code = language or current_language()
    return (_LOCALES.get(code) or Locale.parse(code)).text_direction


def known_language(language: str | None) -> str:
    """``language`` if we speak it, else English: for values read back from
    the database or a form."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _has_mail_catalogue(code: str) -> bool:
    return (TRANSLATIONS / code / "LC_MESSAGES" / "mail.po").exists()


def mail_language(code: str | None) -> str:
    """The language of a person's emails and invites: theirs where the
    emails are translated into it (Persian), else English, so that nobody
    gets an email half in one language and half in another."""
    code = known_language(code)
    return code if code == DEFAULT_LANGUAGE or _has_mail_catalogue(code) else DEFAULT_LANGUAGE


@contextmanager
def language(code: str | None) -> Iterator[None]:
    """Render emails and invites in a person's own language."""
    with force_locale(known_language(code)):
        yield


def _safe_next(target: str | None) -> str:
    """Only a path on this site: the switcher is never an open redirect."""
    return local_path(target) or url_for("events.index")


@bp.get("/language/<code>")
def switch(code: str) -> ResponseReturnValue:
    """Remember the chosen language and go back to the page. A plain link,
    so it works without JavaScript."""
    response = redirect(_safe_next(request.args.get("next")), 303)
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DOMAIN", "messages;mail")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", f"{TRANSLATIONS};{TRANSLATIONS}")
    babel.init_app(app, locale_selector=_select_locale)
    app.register_blueprint(bp)

    @app.after_request
    def _vary(response: Response) -> Response:
        # The same address serves each language: caches must keep them apart.
        if not _is_console():
            if "Vary" in response.headers:
                response.vary.update(VARY)
            else:  # the usual case, without parsing an empty header
                response.headers["Vary"] = _VARY_HEADER
        return response

    @app.context_processor
    def _languages() -> dict[str, object]:
        code = current_language()
        return {"languages": LANGUAGES, "language_code": code,
                "text_direction": text_direction(code)}
