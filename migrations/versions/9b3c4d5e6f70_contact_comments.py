"""Contact messages and moderated comments

Revision ID: 9b3c4d5e6f70
Revises: 8a2b3c4d5e6f
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9b3c4d5e6f70'
down_revision = '8a2b3c4d5e6f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('topic', sa.Enum('IDEA', 'COMMENT', 'QUESTION', 'ORGANISE', name='topic', native_enum=False, length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('NEW', 'HANDLED', name='messagestate', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_message'))
    )
    with op.batch_alter_table('contact_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_message_state'), ['state'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('PENDING', 'APPROVED', 'REJECTED', 'SPAM', name='commentstate', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('moderated_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_comment_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_event_id_state', ['event_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_state'), ['state'], unique=False)

    op.create_table('contact_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_name', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['contact_message.id'], name=op.f('fk_contact_reply_message_id_contact_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_reply'))
    )
    with op.batch_alter_table('contact_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_reply_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_reply_message_id'))

    op.drop_table('contact_reply')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_state'))
        batch_op.drop_index('ix_comment_event_id_state')

    op.drop_table('comment')
    with op.batch_alter_table('contact_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_message_state'))

    op.drop_table('contact_message')
