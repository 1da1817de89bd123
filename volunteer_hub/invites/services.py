"""Personal feeds: one secret, revocable calendar URL per email address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from volunteer_hub.database import utcnow
from volunteer_hub.driver import DriverStatement
from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.tokens import link_token, new_nonce, token_hash
from volunteer_hub.urls import absolute_url

LINK_PURPOSE = "calendar-feed"


@dataclass(frozen=True)
class FeedLinks:
    """What an email offers: subscribe (webcal) and revoke."""

    subscribe: str
    download: str
    revoke: str


def feed_token(feed: CalendarFeed) -> str:
    return link_token(LINK_PURPOSE, feed.token_nonce)


def feed_for(email: str) -> CalendarFeed:
    """The address's feed, created on first use."""
    query = select(CalendarFeed).where(CalendarFeed.email_key == email.casefold())
    if (feed := db.session.scalar(query)) is None:
        ensure_feed(email)
        feed = db.session.scalars(query).one()
    return feed


def new_feed(email: str) -> dict[str, Any]:
    """The row of a new feed for the address (its keys made, nothing stored):
    worked out before a writer's lock is taken, to be stored under it."""
    nonce = new_nonce()
    return dict(email_key=email.casefold(), token_nonce=nonce,
                token_hash=token_hash(link_token(LINK_PURPOSE, nonce)))


def ensure_feed(email: str, feed: dict[str, Any] | None = None,
                connection: Connection | None = None) -> None:
    """Create the address's feed (``feed``, from ``new_feed``, or a new one)
    unless it has one, in one statement that does nothing when another
    request creates it at the same moment; on the session's connection
    unless given another (the one a booking holds already)."""
    connection = connection or db.session.connection()
    _INSERT_FEED[connection.dialect.name].run(
        connection, {**(feed or new_feed(email)), "created_at": utcnow()})


#: ``ensure_feed``'s insert for each database, compiled once (it runs under
#: a booking's lock: volunteer_hub.driver).
_INSERT_FEED = {
    dialect.dialect.name: DriverStatement(
        dialect.insert(CalendarFeed.__table__).on_conflict_do_nothing().inline())
    for dialect in (sqlite, postgresql)
}


def feed_links(email: str) -> FeedLinks:
    """The links to the address's feed, for an email to that address only."""
    token = feed_token(feed_for(email))
    download = absolute_url("invites.personal_feed", token=token)
    return FeedLinks(
        subscribe="webcal://" + download.split("://", 1)[1],
        download=download,
        revoke=absolute_url("invites.confirm_revoke", token=token),
    )


def find_feed(token: str) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))


def revoke_feed(feed: CalendarFeed) -> None:
    """Retire the feed's URL; the next email offers a new one."""
    db.session.delete(feed)
    db.session.flush()
