"""The appeal page, endorsing it, and the console's list of endorsers."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("appeal", __name__)
