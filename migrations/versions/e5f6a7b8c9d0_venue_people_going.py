"""Venues count the people going, kept by the database itself

Deciding whether a party fits used to add up every RSVP going to the venue
under the write lock: one scan per booking, so a surge of RSVPs slowed down
as the venue filled. ``venue.people_going`` holds that sum, and triggers on
``rsvp`` keep it whatever writes an RSVP (the app's services, a bulk update,
a cascade or a hand-written statement), so that the count cannot drift.

SQLite drops a table's triggers with the table: a later batch migration
that rebuilds ``rsvp`` must create them again (``create_triggers`` below).

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None

#: What a row adds to its venue's count: the attendee and their guests, when
#: going to a venue (online RSVPs and the waitlist take no place).
_TAKES_PLACE = "{row}.status = 'GOING' AND {row}.venue_id IS NOT NULL"
_ADD = "UPDATE venue SET people_going = people_going + 1 + NEW.guests WHERE id = NEW.venue_id"
_REMOVE = "UPDATE venue SET people_going = people_going - 1 - OLD.guests WHERE id = OLD.venue_id"

_SQLITE_TRIGGERS = {
    "rsvp_going_insert": f"""
        CREATE TRIGGER rsvp_going_insert AFTER INSERT ON rsvp
        WHEN {_TAKES_PLACE.format(row='NEW')}
        BEGIN {_ADD}; END""",
    "rsvp_going_delete": f"""
        CREATE TRIGGER rsvp_going_delete AFTER DELETE ON rsvp
        WHEN {_TAKES_PLACE.format(row='OLD')}
        BEGIN {_REMOVE}; END""",
    "rsvp_going_update": f"""
        CREATE TRIGGER rsvp_going_update AFTER UPDATE OF status, guests, venue_id ON rsvp
        BEGIN
            {_REMOVE} AND {_TAKES_PLACE.format(row='OLD')};
            {_ADD} AND {_TAKES_PLACE.format(row='NEW')};
        END""",
}

_POSTGRESQL_FUNCTION = f"""
    CREATE FUNCTION rsvp_count_going() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF {_TAKES_PLACE.format(row='OLD')} THEN {_REMOVE}; END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            IF {_TAKES_PLACE.format(row='NEW')} THEN {_ADD}; END IF;
        END IF;
        RETURN NULL;
    END $$"""
_POSTGRESQL_TRIGGER = """
    CREATE TRIGGER rsvp_count_going
    AFTER INSERT OR DELETE OR UPDATE OF status, guests, venue_id ON rsvp
    FOR EACH ROW EXECUTE FUNCTION rsvp_count_going()"""


def create_triggers():
    """The triggers that keep ``venue.people_going``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRESQL_FUNCTION)
        op.execute(_POSTGRESQL_TRIGGER)
    else:
        for statement in _SQLITE_TRIGGERS.values():
            op.execute(statement)


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS rsvp_count_going ON rsvp")
        op.execute("DROP FUNCTION IF EXISTS rsvp_count_going()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    op.add_column('venue', sa.Column('people_going', sa.Integer(), server_default='0',
                                     nullable=False))
    op.execute("""
        UPDATE venue SET people_going = (
            SELECT COALESCE(SUM(1 + rsvp.guests), 0) FROM rsvp
            WHERE rsvp.venue_id = venue.id AND rsvp.status = 'GOING')""")
    create_triggers()


def downgrade():
    drop_triggers()
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_column('people_going')
