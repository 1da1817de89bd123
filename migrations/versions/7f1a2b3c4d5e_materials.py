"""Materials: uploaded posters, leaflets and flyers

Revision ID: 7f1a2b3c4d5e
Revises: 46cbf100c24a
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '7f1a2b3c4d5e'
down_revision = '46cbf100c24a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('preview_filename', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')", name=op.f('ck_material_known_content_type')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_material_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material')),
    sa.UniqueConstraint('filename', name=op.f('uq_material_filename')),
    sa.UniqueConstraint('preview_filename', name=op.f('uq_material_preview_filename'))
    )


def downgrade():
    op.drop_table('material')
