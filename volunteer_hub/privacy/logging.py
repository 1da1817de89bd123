"""Logs that hold no secret links.

Personal links carry their token in the path (``/rsvp/<token>``,
``/signup/<token>``, ``/calendar/<token>.ics``, ``/find/<token>``,
``/appeal/endorsement/<token>``), and whoever holds one opens that person's
RSVP. ``flask run``'s request log (the ``werkzeug`` logger) and Flask's log
of a failed request both name the path, so ``install()`` puts a filter on
both loggers that rewrites each token as ``[token]`` before any handler sees
the record. Which paths hold a token is read from the app's routes: any
route with a ``token`` argument is covered, including ones added later.

``PrivateLogFilter``, the one installed, also drops the client's address
that werkzeug puts at the start of each request line. To remove more,
subclass it, extend ``redact()`` (calling ``super().redact()``), and pass
the subclass to ``install()``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from flask import Flask

REDACTED = "[token]"
#: The variable part of a path segment: up to the next separator or the end
#: of the path (a quote or space in a log line).
_SEGMENT = r"[^/?#\s\"'.%]+"
_TOKEN_RULE = re.compile(r"^([^<]*)<(?:[a-z]+:)?token>")


class RedactingFilter(logging.Filter):
    """Rewrites what a record will print with ``redact()``; keeps every record."""

    def redact(self, text: str) -> str:
        """``text`` with secrets removed; subclasses add their own rules."""
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(self.redact(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: self.redact(value) if isinstance(value, str) else value
                           for key, value in record.args.items()}
        elif isinstance(record.msg, str):
            # Only a message without arguments: in a format string the
            # rewrite could swallow a placeholder.
            record.msg = self.redact(record.msg)
        return True


class TokenFilter(RedactingFilter):
    """Replaces the token in every path that carries one."""

    def __init__(self, prefixes: Iterable[str], static_paths: Iterable[str] = ()) -> None:
        super().__init__()
        ordered = sorted(set(prefixes), key=len, reverse=True)
        self.pattern = re.compile(
            "(" + "|".join(map(re.escape, ordered)) + f")({_SEGMENT})") if ordered else None
        #: paths under a token prefix that are pages of their own ("/find/sent")
        self.static_paths = frozenset(static_paths)

    @classmethod
    def for_app(cls, app: Flask) -> TokenFilter:
        """A filter for every route of ``app`` with a ``token`` argument."""
        prefixes = {match.group(1) for rule in app.url_map.iter_rules()
                    if (match := _TOKEN_RULE.match(rule.rule))}
        static_paths = set()
        for rule in app.url_map.iter_rules():
            if not rule.arguments:
                for prefix in prefixes:
                    if rule.rule.startswith(prefix) and (
                            found := re.match(_SEGMENT, rule.rule[len(prefix):])):
                        static_paths.add(prefix + found.group(0))
        return cls(prefixes, static_paths)

    def redact(self, text: str) -> str:
        text = super().redact(text)
        return self.pattern.sub(self._replace, text) if self.pattern else text

    def _replace(self, match: re.Match[str]) -> str:
        if match.group(0) in self.static_paths:
            return match.group(0)
        return match.group(1) + REDACTED


#: werkzeug's request log line starts with the client's address.
_CLIENT_ADDRESS = re.compile(r"^\S+ - - \[")


class PrivateLogFilter(TokenFilter):
    """Tokens out, and the client's address too: werkzeug writes it at the
    start of every request line, and a log of who opened which page is
    exactly what someone watching the campaign's people would want."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.name == "werkzeug":
            record.msg = _CLIENT_ADDRESS.sub("- - - [", record.msg, count=1)
        return super().filter(record)


def install(app: Flask, filter_class: type[TokenFilter] = PrivateLogFilter) -> TokenFilter:
    """Filter werkzeug's request log and the app's own log; a second app (in
    tests) replaces the filter the first one installed."""
    token_filter = filter_class.for_app(app)
    for logger in (logging.getLogger("werkzeug"), app.logger):
        for old in [old for old in logger.filters if type(old) is filter_class]:
            logger.removeFilter(old)
        logger.addFilter(token_filter)
    return token_filter
