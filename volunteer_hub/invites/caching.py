"""Conditional requests for the public calendars.

Calendar apps poll a subscribed feed every few minutes. Each poll asks
"changed since?" (If-None-Match / If-Modified-Since); when nothing changed
the answer is 304 Not Modified, decided from one small aggregate query,
before any calendar is built.

The validator covers everything the public calendars show: every event's
last change (``updated_at`` moves with each edit, status change and
``sequence`` bump) and the set of venues, plus the language of the request
(the few words of an entry are translated) and this version of the code.
It holds nothing about any person: the public calendars show no one.

Because the validator changes with anything the public feed shows, it also
keys the feed's text, kept once built (``kept_feed``): every request for an
unchanged feed without a validator (a new subscriber, an app that never
asks "changed since?") is answered without building it again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from flask import current_app
from sqlalchemy import func, select

from volunteer_hub import i18n
from volunteer_hub.database import utcnow
from volunteer_hub.events.models import Event, Venue
from volunteer_hub.extensions import db
from volunteer_hub.invites.ical import FeedText

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime


@cache
def _code_version() -> str:
    """Changes when the calendar builders or the translations change, so a
    new release never answers 304 for what an older one built."""
    package = Path(__file__).resolve().parent.parent
    files = sorted([*package.glob("invites/*.py"), *i18n.TRANSLATIONS.glob("*/LC_MESSAGES/*.mo")])
    stamp = "|".join(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
                     for path in files)
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _validator(*parts: object, last_modified: datetime | None) -> Validator:
    config = current_app.config
    seed = "|".join(str(part) for part in (
        *parts, i18n.current_language(), config["CAMPAIGN_NAME"], config["BASE_URL"],
        _code_version()))
    # HTTP dates count whole seconds: a change later in the current second
    # would carry the same Last-Modified, so until that second is over, say
    # one second earlier (a client asking again just gets the feed again).
    modified = (last_modified or _EPOCH).replace(microsecond=0)
    if modified >= utcnow().replace(microsecond=0):
        modified -= timedelta(seconds=1)
    return Validator(hashlib.sha256(seed.encode()).hexdigest()[:32], modified)


def public_feed_validator() -> Validator:
    """For /calendar.ics: any change to any event or venue makes a new one."""
    events, changed, sequences = db.session.execute(
        select(func.count(Event.id), func.max(Event.updated_at), func.sum(Event.sequence))
    ).one()
    venues, newest_venue = db.session.execute(
        select(func.count(Venue.id), func.max(Venue.id))).one()
    return _validator("feed", events, changed, sequences, venues, newest_venue,
                      last_modified=changed)


def event_validator(event: Event) -> Validator:
    """For one event's .ics, from the event as loaded with its venues."""
    venues = ",".join(str(venue.id) for venue in event.venues)
    return _validator("event", event.id, event.updated_at, event.sequence, event.status.name,
                      venues, last_modified=event.updated_at)


class Kept(Generic[K, V]):
    """The values built last, up to ``size`` of them, by key, in this
    process (each gunicorn worker has its own); safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value kept under ``key``, or the one ``build`` makes, then kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        # Built outside the lock: two threads may build the same value at
        # once, which only costs time, and nobody waits on another's build.
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


#: Feeds kept per app: one per language, and the one before a change
#: while requests that began earlier still ask for it.
KEPT_FEEDS = 4


def kept_feed(validator: Validator, build: Callable[[], FeedText]) -> FeedText:
    """The feed that ``validator`` stands for: built by ``build`` the first
    time, then kept."""
    kept = current_app.extensions.setdefault("volunteer_hub.kept_feeds", Kept(KEPT_FEEDS))
    return kept.get(validator.etag, build)
