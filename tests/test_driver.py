"""Core statements run on the driver's cursor (volunteer_hub.driver) read
and write what ``Connection.execute`` would, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from volunteer_hub.driver import DriverStatement, statement_run
from volunteer_hub.events.models import Event, EventStatus, Venue
from volunteer_hub.extensions import db
from volunteer_hub.invites.models import CalendarFeed
from volunteer_hub.mail.models import MessageStatus, OutboxMessage

EVENTS, VENUES = Event.__table__, Venue.__table__

#: an event with the venue asked for, if it is one of the event's
EVENT_AND_VENUE = DriverStatement(
    sa.select(EVENTS.c.status, EVENTS.c.starts_at, EVENTS.c.online, EVENTS.c.stream_url,
              VENUES.c.id.label("venue_id"), VENUES.c.capacity)
    .select_from(EVENTS.outerjoin(VENUES, sa.and_(
        VENUES.c.id == sa.bindparam("venue_id", type_=sa.Integer),
        VENUES.c.event_id == EVENTS.c.id)))
    .where(EVENTS.c.id == sa.bindparam("event_id")))

MESSAGES = OutboxMessage.__table__
NEW_MESSAGE = DriverStatement(sa.insert(MESSAGES).returning(MESSAGES.c.id))
NEW_FEED = DriverStatement(sa.insert(CalendarFeed.__table__))

NOON = datetime(2027, 9, 25, 16, 0, tzinfo=UTC)
#: the same moment at Tehran's offset (+03:30 all year since 2022)
NOON_IN_TEHRAN = datetime(2027, 9, 25, 19, 30, tzinfo=timezone(timedelta(hours=3, minutes=30)))


def _message(**values):
    return {"recipient": "shirin@example.org", "subject": "Ready", "mime": None,
            "next_attempt_at": NOON, "created_at": NOON, **values}


def test_a_select_reads_the_values_sqlalchemy_reads(app, make_event):
    event = make_event(stream_url=None)
    venue = event.venues[0]
    with app.app_context(), db.engine.connect() as connection, connection.begin():
        for venue_id in (venue.id, venue.id + 1000):  # one of the event's, and none
            params = {"event_id": event.id, "venue_id": venue_id}
            row = EVENT_AND_VENUE.first(connection, params)
            assert tuple(row) == tuple(connection.execute(EVENT_AND_VENUE.statement, params).one())
        row = EVENT_AND_VENUE.first(connection, {"event_id": event.id, "venue_id": venue.id})
    assert row.status is EventStatus.PUBLISHED
    assert row.starts_at == event.starts_at and row.starts_at.tzinfo is UTC
    assert (row.online, row.stream_url, row.venue_id, row.capacity) == (True, None, venue.id, 10)


def test_a_select_that_finds_nothing_gives_none(app, make_event):
    with app.app_context(), db.engine.connect() as connection, connection.begin():
        assert EVENT_AND_VENUE.first(connection, {"event_id": 404, "venue_id": None}) is None


def test_an_insert_stores_its_values_and_the_columns_plain_defaults(app, fetch):
    with app.app_context(), db.engine.begin() as connection:
        row = NEW_MESSAGE.first(connection, _message())
    [message] = fetch(sa.select(OutboxMessage))
    assert message.id == row.id
    assert (message.recipient, message.subject, message.mime) == (
        "shirin@example.org", "Ready", None)
    assert (message.next_attempt_at, message.created_at) == (NOON, NOON)
    # the model's defaults, as Connection.execute would have filled them in
    assert (message.status, message.attempts, message.forget_recipient) == (
        MessageStatus.PENDING, 0, False)


def test_values_are_stored_exactly_as_sqlalchemy_stores_them(app, fetch):
    # an aware time in another zone is stored in UTC (the app's UTCDateTime),
    # in the form SQLAlchemy writes for this database
    with app.app_context(), db.engine.begin() as connection:
        mine = NEW_MESSAGE.first(connection, _message(next_attempt_at=NOON_IN_TEHRAN)).id
        theirs = connection.execute(NEW_MESSAGE.statement, _message(
            next_attempt_at=NOON_IN_TEHRAN)).scalar_one()
        stored = dict(connection.execute(sa.select(
            MESSAGES.c.id, sa.cast(MESSAGES.c.next_attempt_at, sa.String))).all())
    assert stored[mine] == stored[theirs]
    assert [message.next_attempt_at for message in fetch(sa.select(OutboxMessage))] == [NOON] * 2


def test_a_value_its_type_refuses_raises_sqlalchemys_statement_error(app, fetch):
    with (app.app_context(), db.engine.connect() as connection, connection.begin(),
          pytest.raises(sa.exc.StatementError, match="naive datetime")):
        NEW_MESSAGE.run(connection, _message(created_at=NOON.replace(tzinfo=None)))
    assert fetch(sa.select(OutboxMessage.id)) == []


def test_an_insert_whose_default_is_computed_must_be_given_that_column(app):
    without = {key: value for key, value in _message().items() if key != "next_attempt_at"}
    with (app.app_context(), db.engine.connect() as connection, connection.begin(),
          pytest.raises(ValueError, match=r"outbox_message\.next_attempt_at")):
        NEW_MESSAGE.run(connection, without)


@pytest.mark.parametrize(("params", "refusal"), [
    ({"event_id": 1, "venue_id": None, "slug": "x"}, "has no parameter slug"),
    ({"event_id": 1}, "needs a value for venue_id"),
])
def test_a_parameter_unknown_or_missing_is_refused_not_ignored(app, params, refusal):
    with (app.app_context(), db.engine.connect() as connection, connection.begin(),
          pytest.raises(ValueError, match=refusal)):
        EVENT_AND_VENUE.first(connection, params)


def test_a_list_of_values_is_refused_when_compiled(app):
    statement = DriverStatement(sa.select(EVENTS.c.slug).where(
        EVENTS.c.id.in_(sa.bindparam("ids", expanding=True))))
    with (app.app_context(), db.engine.connect() as connection, connection.begin(),
          pytest.raises(ValueError, match="plain, named parameters only")):
        statement.first(connection, {"ids": [1, 2]})


def test_a_lost_connection_is_dropped_from_the_pool_and_the_next_one_works(app, make_event):
    event = make_event()
    params = {"event_id": event.id, "venue_id": None}
    with app.app_context():
        with db.engine.connect() as connection:
            transaction = connection.begin()
            connection.connection.dbapi_connection.close()  # the server went away
            with pytest.raises(sa.exc.DBAPIError) as raised:
                EVENT_AND_VENUE.first(connection, params)
            # dropped at once, as Connection.execute does, before any rollback
            assert raised.value.connection_invalidated and connection.invalidated
            transaction.rollback()
        with db.engine.connect() as connection, connection.begin():
            assert EVENT_AND_VENUE.first(connection, params).status is EventStatus.PUBLISHED


def test_it_runs_only_in_a_transaction_begun_first(app, fetch):
    with (app.app_context(), db.engine.connect() as connection,
          pytest.raises(RuntimeError, match="transaction begun first")):
        NEW_MESSAGE.run(connection, _message())
    assert fetch(sa.select(OutboxMessage.id)) == []


def test_a_broken_rule_raises_sqlalchemys_error_and_rolls_back_with_its_transaction(app, fetch):
    feed = {"email_key": "a@example.org", "token_nonce": "n", "token_hash": "h" * 64,
            "created_at": NOON}
    with app.app_context():
        with db.engine.connect() as connection, connection.begin():
            NEW_FEED.run(connection, feed)
        with (pytest.raises(sa.exc.IntegrityError) as raised,
              db.engine.connect() as connection, connection.begin()):
            NEW_FEED.run(connection, {**feed, "email_key": "b@example.org",
                                      "token_hash": "i" * 64})
            NEW_FEED.run(connection, feed)  # the same address and token again
    # SQLAlchemy's error, with the statement, as Connection.execute raises it
    assert "INSERT INTO calendar_feed" in str(raised.value)
    assert fetch(sa.select(CalendarFeed.email_key)) == ["a@example.org"]


def test_its_statements_are_part_of_the_connections_transaction(app, fetch):
    with app.app_context(), db.engine.connect() as connection, connection.begin() as transaction:
        NEW_MESSAGE.first(connection, _message())
        transaction.rollback()
    assert fetch(sa.select(OutboxMessage.id)) == []


def test_a_parameter_used_twice_is_given_at_both_places(app, make_event):
    event = make_event()
    twice = DriverStatement(sa.select(EVENTS.c.slug).where(
        EVENTS.c.id == sa.bindparam("event_id"),
        EVENTS.c.id <= sa.bindparam("event_id")))
    with app.app_context(), db.engine.connect() as connection, connection.begin():
        assert twice.first(connection, {"event_id": event.id}).slug == event.slug


def test_listeners_hear_each_statement_without_its_parameters(app, make_event):
    event = make_event()
    heard = []

    def listen(statement, **details):
        heard.append((statement, details))

    statement_run.connect(listen)
    try:
        with app.app_context(), db.engine.connect() as connection, connection.begin():
            EVENT_AND_VENUE.first(connection, {"event_id": event.id, "venue_id": None})
    finally:
        statement_run.disconnect(listen)
    [(statement, details)] = heard
    assert statement is EVENT_AND_VENUE
    assert set(details) == {"sql", "connection"}
    assert details["sql"].startswith("SELECT event.status")
