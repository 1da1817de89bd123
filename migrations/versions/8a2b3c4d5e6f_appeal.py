"""The appeal and its endorsements

Revision ID: 8a2b3c4d5e6f
Revises: 7f1a2b3c4d5e
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '8a2b3c4d5e6f'
down_revision = '7f1a2b3c4d5e'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
