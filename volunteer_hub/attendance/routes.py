"""Attendance lists and rosters, for print and as CSV."""

from __future__ import annotations

from flask import Blueprint

from volunteer_hub.coordinators.auth import protect

bp = Blueprint("attendance", __name__, url_prefix="/console")
protect(bp)
