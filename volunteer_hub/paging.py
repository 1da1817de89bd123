"""The page of a long list that a request asks for."""

from __future__ import annotations

from flask import request

#: Far beyond any real list; keeps absurd page numbers from overflowing the query.
MAX_PAGE = 100_000


def requested_page(limit: int = MAX_PAGE) -> int:
    """``?page=`` as a number from 1 to ``limit``; 1 when missing or not a number."""
    return min(max(request.args.get("page", 1, type=int), 1), limit)
