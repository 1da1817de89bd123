"""Signed session cookies and CSRF tokens, with their signers built once per
key instead of once or twice for every request.

Flask builds the session's serializer afresh to read the cookie and again to
write it, and Flask-WTF builds the CSRF token's for every token; building
one serializes a probe value to learn whether it writes text. On the busy
event page, where each new visitor gets a session and a token, that was a
tenth of the work. The serializers hold nothing but their keys and
settings, so one per key serves every request and thread.

They also derive each signing key once, where itsdangerous derives it again
(a hash or an HMAC) for every signature, and leave small payloads
uncompressed: a session holding a CSRF token or a token itself does not
shrink, yet itsdangerous tried zlib on each. A session of plain values
(text, numbers, yes or no: a new visitor's, holding a CSRF token) is
written as the plain JSON that Flask's tagged serializer makes of it
without walking it for tags, and its cookie from the attributes worked
out once. What they sign and write is unchanged: Flask reads the cookies
and Flask-WTF checks the tokens as ever (tests/security/test_signing.py).
"""

from __future__ import annotations

import json
import re
import secrets
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, g, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, want_bytes
from itsdangerous.serializer import Serializer
from werkzeug.http import dump_cookie

#: Flask-WTF's salt for CSRF tokens (flask_wtf.csrf), which its check expects.
CSRF_SALT = "wtf-csrf-token"
#: Payloads from this many bytes of JSON on are worth trying to compress.
COMPRESS_FROM = 200
#: Values that Flask's tagged JSON writes as they are (no tag applies).
_PLAIN = frozenset({str, int, bool, type(None)})
#: A cookie value that werkzeug writes unquoted (signed cookies always are).
_UNQUOTED = re.compile(r"[\w.\-]+", re.ASCII)


class _KeptKeySigner(TimestampSigner):
    """itsdangerous' timestamp signer, deriving each key only once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._derived: dict[bytes, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        if (key := self._derived.get(secret)) is None:
            key = self._derived[secret] = super().derive_key(secret)
        return key


class KeptSerializer(URLSafeTimedSerializer):
    """itsdangerous' URL-safe timed serializer with one signer per salt,
    which compresses only payloads large enough to shrink."""

    signer = _KeptKeySigner

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signers: dict[bytes | str | None, TimestampSigner] = {}

    def make_signer(self, salt: str | bytes | None = None) -> TimestampSigner:
        if (signer := self._signers.get(salt)) is None:
            signer = self._signers[salt] = super().make_signer(salt)
        return signer  # type: ignore[return-value]

    def dump_payload(self, obj: Any) -> bytes:
        json = Serializer.dump_payload(self, obj)
        if len(json) >= COMPRESS_FROM:
            return super().dump_payload(obj)
        return base64_encode(json)


class SessionSerializer(TaggedJSONSerializer):
    """Flask's tagged JSON for sessions; a session of plain values, which it
    would tag no part of, is written straight away, in the same bytes
    (sorted keys, no spaces, ASCII, as Flask's JSON provider writes)."""

    def dumps(self, value: Any) -> str:
        if type(value) is dict and all(type(item) in _PLAIN for item in value.values()):
            return json.dumps(value, separators=(",", ":"), sort_keys=True)
        return super().dumps(value)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer kept per secret key."""

    serializer = SessionSerializer()

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._cookie_tails: dict[tuple, str] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if (serializer := self._serializers.get(keys)) is None:
            flasks = super().get_signing_serializer(app)
            if flasks is None:
                return None
            # Flask's own serializer, made again as a KeptSerializer
            serializer = self._serializers[keys] = KeptSerializer(
                flasks.secret_keys, salt=flasks.salt, serializer=flasks.serializer,
                signer_kwargs=flasks.signer_kwargs)
        return serializer

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's ``save_session``, for the common case of a session to set,
        with ``Vary: Cookie`` added without reading the whole header into a
        set twice (Flask's ``response.vary.add``); anything else (an emptied
        session, one left as it was) goes to Flask's own."""
        if not session or not self.should_set_cookie(app, session):
            super().save_session(app, session, response)
            return
        name = self.get_cookie_name(app)
        attributes = {
            "httponly": self.get_cookie_httponly(app), "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app), "secure": self.get_cookie_secure(app),
            "partitioned": self.get_cookie_partitioned(app),
            "samesite": self.get_cookie_samesite(app),
        }
        value = self.get_signing_serializer(app).dumps(dict(session))  # type: ignore[union-attr]
        expires = self.get_expiration_time(app, session)
        header = f"{name}={value}{self._cookie_tail(name, attributes)}"
        if expires is None and len(header) <= response.max_cookie_size \
                and _UNQUOTED.fullmatch(value):
            # a cookie for this visit (no expiry date): only its value changes
            response.headers.add("Set-Cookie", header)
        else:  # werkzeug's own, which warns of a cookie too large
            response.set_cookie(name, value, expires=expires, **attributes)
        vary_on_cookie(response)

    def _cookie_tail(self, name: str, attributes: dict[str, Any]) -> str:
        """What follows the value in the ``Set-Cookie`` header of cookie
        ``name`` with ``attributes`` (no expiry date), as werkzeug writes
        it; worked out once for each name and attributes."""
        key = (name, *attributes.values())
        if (tail := self._cookie_tails.get(key)) is None:
            tail = self._cookie_tails[key] = dump_cookie(name, "", **attributes).removeprefix(
                f"{name}=")
        return tail


def vary_on_cookie(response: Response) -> None:
    """Add ``Cookie`` to the response's ``Vary`` header unless it is there."""
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Cookie"
    elif "cookie" not in (part.strip().lower() for part in vary.split(",")):
        response.headers["Vary"] = f"{vary}, Cookie"


@lru_cache(maxsize=8)
def _csrf_serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return KeptSerializer(secret_key, salt=CSRF_SALT)


def csrf_settings() -> tuple[str | bytes, str]:
    """The key that signs CSRF tokens and the name of their field (in the
    session and in ``g``), from the app's configuration."""
    config = current_app.config
    return (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key,
            config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def csrf_token() -> str:
    """This request's CSRF token, made as ``flask_wtf.csrf.generate_csrf``
    makes it (the raw value in the session, the signed one kept in ``g`` for
    the rest of the request), which Flask-WTF then checks as its own."""
    secret, field = csrf_settings()
    if field not in g:
        if not isinstance(session.get(field), str):
            session[field] = secrets.token_hex(20)
        setattr(g, field, _csrf_serializer(secret).dumps(session[field]))
    return g.get(field)


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()
