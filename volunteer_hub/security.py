"""Security headers sent with every response."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort")
)


#: Sent with every response that does not set them itself.
HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
)
#: Over HTTPS, browsers are also told to come back over HTTPS only.
HEADERS_OVER_HTTPS = (*HEADERS, ("Strict-Transport-Security", "max-age=31536000"))
#: over HTTPS or not -> (lower-case name, name, value) of each header
_WANTED = {secure: tuple((name.lower(), name, value) for name, value in headers)
           for secure, headers in ((False, HEADERS), (True, HEADERS_OVER_HTTPS))}


def never_cache(blueprint: Blueprint) -> None:
    """Responses of ``blueprint`` stay out of every cache and the browser's
    history: they carry secret links, one-time keys or personal data."""

    @blueprint.after_request
    def _no_store(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        return response


def register(app: Flask) -> None:
    """Add the headers to every response the app sends."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # Each of the headers unless the view set its own: the names present
        # are read in one pass (a lookup per header would scan them all).
        headers = response.headers
        present = {name.lower() for name, _value in headers}
        headers.extend([(name, value) for key, name, value in _WANTED[request.is_secure]
                        if key not in present])
        return response
