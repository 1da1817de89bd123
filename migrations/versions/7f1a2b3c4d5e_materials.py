"""Materials: uploaded posters, leaflets and flyers

Revision ID: 7f1a2b3c4d5e
Revises: 46cbf100c24a
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '7f1a2b3c4d5e'
down_revision = '46cbf100c24a'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
