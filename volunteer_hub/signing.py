"""Signed session cookies and CSRF tokens, with their signers built once per
key instead of once or twice for every request.

Flask builds the session's serializer afresh to read the cookie and again to
write it, and Flask-WTF builds the CSRF token's for every token; building
one serializes a probe value to learn whether it writes text. On the busy
event page, where each new visitor gets a session and a token, that was a
tenth of the work. The serializers hold nothing but their keys and
settings, so one per key serves every request and thread. What they sign is
unchanged: Flask reads the cookies and Flask-WTF checks the tokens as ever.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

#: Flask-WTF's salt for CSRF tokens (flask_wtf.csrf), which its check expects.
CSRF_SALT = "wtf-csrf-token"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer kept per secret key."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if (serializer := self._serializers.get(keys)) is None:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                self._serializers[keys] = serializer
        return serializer


@lru_cache(maxsize=8)
def _csrf_serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=CSRF_SALT)


def csrf_token() -> str:
    """This request's CSRF token, made as ``flask_wtf.csrf.generate_csrf``
    makes it (the raw value in the session, the signed one kept in ``g`` for
    the rest of the request), which Flask-WTF then checks as its own."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field not in g:
        if not isinstance(session.get(field), str):
            session[field] = secrets.token_hex(20)
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        setattr(g, field, _csrf_serializer(secret).dumps(session[field]))
    return g.get(field)


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()
