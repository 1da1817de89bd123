"""Broadcasts: messages to a segment of an event's people

Revision ID: 46cbf100c24a
Revises: 68658e9b5c42
Create Date: 2026-11-25 18:58:44.217530

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '46cbf100c24a'
down_revision = '68658e9b5c42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('segment', sa.String(length=40), nullable=False),
    sa.Column('segment_label', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['coordinator.id'], name=op.f('fk_broadcast_coordinator_id_coordinator'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_broadcast_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast'))
    )
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcast_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcast_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_broadcast_id_broadcast'), 'broadcast', ['broadcast_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_broadcast_id_broadcast'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_broadcast_id'))
        batch_op.drop_column('broadcast_id')

    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcast_event_id'))

    op.drop_table('broadcast')
