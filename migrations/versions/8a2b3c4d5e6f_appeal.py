"""The appeal and its endorsements

Revision ID: 8a2b3c4d5e6f
Revises: 7f1a2b3c4d5e
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '8a2b3c4d5e6f'
down_revision = '7f1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('endorsement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('token_nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsement')),
    sa.UniqueConstraint('email_key', name=op.f('uq_endorsement_email_key')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_endorsement_token_hash'))
    )
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.create_index('ix_endorsement_confirmed_at_hidden', ['confirmed_at', 'hidden'], unique=False)


def downgrade():
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_index('ix_endorsement_confirmed_at_hidden')

    op.drop_table('endorsement')
