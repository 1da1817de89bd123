"""Two-factor sign-in and password-reset links

Revision ID: a1b2c3d4e5f7
Revises: 9b3c4d5e6f70
Create Date: 2026-11-25 20:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a1b2c3d4e5f7'
down_revision = '9b3c4d5e6f70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['coordinator_id'], ['coordinator.id'], name=op.f('fk_password_reset_link_coordinator_id_coordinator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_link_token_hash'))
    )
    with op.batch_alter_table('password_reset_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_link_coordinator_id'), ['coordinator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_link_created_at'), ['created_at'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['coordinator.id'], name=op.f('fk_recovery_code_coordinator_id_coordinator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_coordinator_id'), ['coordinator_id'], unique=False)

    with op.batch_alter_table('coordinator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('coordinator', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_coordinator_id'))

    op.drop_table('recovery_code')
    with op.batch_alter_table('password_reset_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_link_created_at'))
        batch_op.drop_index(batch_op.f('ix_password_reset_link_coordinator_id'))

    op.drop_table('password_reset_link')
