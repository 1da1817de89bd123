"""No client (IP) address, and nothing like one, is stored with anybody's data."""

from __future__ import annotations

import re

from volunteer_hub import models  # noqa: F401 (every model, as Alembic sees them)
from volunteer_hub.extensions import db

#: Column names that would hold where a request came from.
SUSPECT = re.compile(r"(^|_)ip(_|$)|ip_?addr|remote_?addr|user_?agent|forwarded|client_?addr"
                     r"|host_?addr|(^|_)ua(_|$)|useragent")


def test_no_column_suggests_a_client_address():
    suspects = [f"{table.name}.{column.name}" for table in db.Model.metadata.sorted_tables
                for column in table.columns if SUSPECT.search(column.name.lower())]
    assert suspects == []


def test_the_check_would_catch_one():
    for name in ("ip", "ip_address", "last_login_ip", "remote_addr", "user_agent",
                 "x_forwarded_for"):
        assert SUSPECT.search(name), name
    for name in ("email", "address", "description", "shipping", "zip", "ical_uid"):
        assert not SUSPECT.search(name), name
