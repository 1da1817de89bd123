"""Helpers for two-factor sign-in and password resets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import pytest
from flask import Flask

from volunteer_hub.coordinators import two_factor
from volunteer_hub.coordinators.models import Coordinator
from volunteer_hub.database import utcnow
from volunteer_hub.extensions import db


@dataclass(frozen=True)
class Enrolled:
    """What a coordinator who turned on two-factor sign-in holds."""

    secret: str
    recovery_codes: list[str]

    def code(self, when: datetime | None = None) -> str:
        """What the authenticator app shows at ``when`` (now by default)."""
        return pyotp.TOTP(self.secret).at(when or utcnow())

    def wrong_code(self, when: datetime | None = None) -> str:
        """Six digits that are none of the codes accepted around ``when``."""
        when = when or utcnow()
        accepted = {self.code(when + timedelta(seconds=30 * shift)) for shift in (-1, 0, 1)}
        return next(code for code in ("000000", "111111", "222222", "333333")
                    if code not in accepted)


@pytest.fixture
def enrol(app: Flask) -> Callable[[int], Enrolled]:
    """Turn on two-factor sign-in for a coordinator, through the services.
    The confirming code is from a few minutes ago, so the codes of now are
    still unused."""

    def enrol(coordinator_id: int) -> Enrolled:
        with app.app_context():
            coordinator = db.session.get_one(Coordinator, coordinator_id)
            secret = two_factor.start_enrolment(coordinator)
            earlier = utcnow() - timedelta(minutes=3)
            codes = two_factor.confirm_enrolment(
                coordinator, pyotp.TOTP(secret).at(earlier), now=earlier)
            db.session.commit()
            return Enrolled(secret, codes)

    return enrol


def csrf_token(page: str, name: str = "csrf_token") -> str:
    """The CSRF token of the form field ``name`` on ``page``."""
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"', page).group(1)
