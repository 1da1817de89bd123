"""Friendly error pages: a person who hits one learns what happened and
where to go next, and never sees a stack trace."""

from __future__ import annotations

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Something in that request was not right"),
          _l("Please go back, reload the page and try again.")),
    404: (_l("Page not found"),
          _l("The page you asked for does not exist or is no longer available. "
             "If you followed a link from an email, check that it was copied whole.")),
    405: (_l("That action is not possible here"),
          _l("Please go back and use the page's buttons.")),
    413: (_l("That was too much to send"),
          _l("Please shorten what you entered and try again.")),
    422: (_l("We could not process that"),
          _l("Please go back, check what you entered and try again.")),
    429: (_l("Too many requests from your connection"),
          _l("Please wait a minute and try again. Nothing you sent was lost or changed.")),
    500: (_l("Something went wrong on our side"),
          _l("Nothing you entered was lost or changed by this error. "
             "Please try again in a moment.")),
}


def render_error(code: int, title: str | None = None, message: str | None = None):
    """The error page for ``code`` with its usual or a specific message."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[400])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def register(app: Flask) -> None:
    """Render every HTTP error with the site's own page."""

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(
            400,
            _l("This form has expired"),
            _l("For your safety, forms stop working after a while or when cookies are "
               "blocked. Please go back, reload the page and send the form again."),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = make_response(render_error(error.code))
        # Keep what the error says about itself, such as Allow on a 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError):
        return render_error(500)
