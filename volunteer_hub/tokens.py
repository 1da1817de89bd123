"""Secret links that open one RSVP (or one sign-up) and nothing more.

A link's token is an HMAC, under the app's secret key, of a random 256-bit
nonce. The database keeps the nonce and the SHA-256 of the token, never the
token: a copy of the database alone opens nothing, yet the server can put the
same link into every later email and calendar update. Changing the secret key
therefore retires every link already sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app


def new_nonce() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def link_token(purpose: str, nonce: str) -> str:
    """The token for ``nonce``; ``purpose`` keeps RSVP and sign-up links apart."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"{purpose}\0{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """What the database stores to find a token again."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
