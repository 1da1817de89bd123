"""Invites: calendar entries on RSVPs and events, reminders, personal feeds

Revision ID: 29a239be14a1
Revises: 65e926af7eec
Create Date: 2026-11-25 18:27:44.300479

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '29a239be14a1'
down_revision = '65e926af7eec'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('token_nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('email_key', name=op.f('uq_calendar_feed_email_key')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('forget_recipient', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False,
                                      server_default='0'))

    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ical_uid', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('invite_sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('invite_active', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('invite_fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))

    # Every RSVP made before invites existed gets its own calendar UID.
    rsvp = sa.table('rsvp', sa.column('id', sa.Integer), sa.column('ical_uid', sa.String))
    connection = op.get_bind()
    for (rsvp_id,) in connection.execute(sa.select(rsvp.c.id)).all():
        connection.execute(rsvp.update().where(rsvp.c.id == rsvp_id).values(
            ical_uid=f"rsvp-{secrets.token_hex(16)}@volunteer-hub"))

    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.alter_column('ical_uid', existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_rsvp_ical_uid'), ['ical_uid'])


def downgrade():
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_rsvp_ical_uid'), type_='unique')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('invite_fingerprint')
        batch_op.drop_column('invite_active')
        batch_op.drop_column('invite_sequence')
        batch_op.drop_column('ical_uid')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('sequence')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('forget_recipient')

    op.drop_table('calendar_feed')
