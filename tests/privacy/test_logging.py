"""Secret links never reach the logs: not werkzeug's request log (what
``flask run`` prints), not the log of a failed request."""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from tests.privacy.conftest import book
from volunteer_hub.privacy.logging import REDACTED, TokenFilter, install


def _serve_one_request(app, path: str) -> int:
    """Serve ``path`` once with werkzeug's development server, as `flask run`
    does, and return the status code."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}") as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
    finally:
        thread.join(timeout=10)
        server.server_close()
    return status


def test_flask_runs_request_log_shows_no_token(app, client, make_event, caplog):
    path = book(client, make_event())
    token = path.rsplit("/", 1)[1]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        assert _serve_one_request(app, f"{path}/data.json") == 200
        assert _serve_one_request(app, f"/rsvp/{token[:-3]}/delete") == 404  # a damaged link
        assert _serve_one_request(app, "/find/sent") == 200
    log = caplog.text
    assert token not in log and token[:-3] not in log
    assert f"GET /rsvp/{REDACTED}/data.json HTTP/1.1" in log
    assert f"GET /rsvp/{REDACTED}/delete HTTP/1.1" in log
    assert "GET /find/sent HTTP/1.1" in log  # a page of its own is not a token
    # nor who asked: the client's address is left out of every line
    assert "127.0.0.1" not in log
    assert all(record.getMessage().startswith("- - - [") for record in caplog.records
               if record.name == "werkzeug")


def test_a_failed_request_is_logged_without_its_token(app, caplog):
    def boom(token: str):
        raise RuntimeError("something broke")

    app.add_url_rule("/rsvp/<token>/boom", view_func=boom)
    app.testing = False  # log the error and answer 500, as in production
    secret = "S3cretTokenS3cretTokenS3cretTokenS3cretTok"
    with caplog.at_level(logging.ERROR):
        assert app.test_client().get(f"/rsvp/{secret}/boom").status_code == 500
    assert "Exception on /rsvp/[token]/boom [GET]" in caplog.text
    assert secret not in caplog.text


def test_every_route_with_a_token_is_covered(app):
    token_filter = TokenFilter.for_app(app)
    secret = "AbC_dEf-123"
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: secret if m.group(1) == "token" else "7",
                          rule.rule)
            assert secret not in token_filter.redact(f"GET {path} HTTP/1.1"), rule.rule


def test_the_filter_can_be_extended_to_remove_more(app):
    class AlsoAddresses(TokenFilter):
        def redact(self, text: str) -> str:
            return re.sub(r"\d+\.\d+\.\d+\.\d+", "[address]", super().redact(text))

    installed = install(app, AlsoAddresses)
    try:
        record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                                   '%s - - [date] "%s" %s %s',
                                   ("203.0.113.7", "GET /signup/Secret123 HTTP/1.1", "200", "-"),
                                   None)
        assert installed.filter(record)
        assert record.getMessage() == '[address] - - [date] "GET /signup/[token] HTTP/1.1" 200 -'
        werkzeug_filters = logging.getLogger("werkzeug").filters
        assert installed in werkzeug_filters
        assert sum(isinstance(f, TokenFilter) for f in werkzeug_filters) == 2
    finally:
        for logger in (logging.getLogger("werkzeug"), app.logger):
            logger.removeFilter(installed)


@pytest.mark.parametrize("args", [None, ({"path": "/rsvp/Secret"},)])
def test_records_without_positional_arguments_are_redacted_too(app, args):
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               "GET /rsvp/Secret" if args is None else "GET %(path)s",
                               args, None)
    TokenFilter.for_app(app).filter(record)
    assert record.getMessage() == "GET /rsvp/[token]"
