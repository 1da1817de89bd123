"""Contact messages and moderated comments

Revision ID: 9b3c4d5e6f70
Revises: 8a2b3c4d5e6f
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '9b3c4d5e6f70'
down_revision = '8a2b3c4d5e6f'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
