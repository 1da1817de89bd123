"""Volunteers: tasks, sign-ups, offers of help; lookup links

Revision ID: 0b8127c19b08
Revises: 29a239be14a1
Create Date: 2026-11-25 18:38:02.337785

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0b8127c19b08'
down_revision = '29a239be14a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('help_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('skills', sa.String(length=500), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('availability', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_offer'))
    )
    op.create_table('lookup_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lookup_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lookup_link_token_hash'))
    )
    with op.batch_alter_table('lookup_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lookup_link_email_key'), ['email_key'], unique=False)

    op.create_table('signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('skills', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('token_nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('submission_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signup')),
    sa.UniqueConstraint('submission_hash', name=op.f('uq_signup_submission_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_signup_token_hash'))
    )
    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signup_email_key'), ['email_key'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('min_volunteers', sa.Integer(), nullable=False),
    sa.Column('max_volunteers', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('OPEN', 'CANCELLED', name='taskstatus', native_enum=False, length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)', name=op.f('ck_task_ends_after_start')),
    sa.CheckConstraint('max_volunteers IS NULL OR (max_volunteers >= 1 AND max_volunteers >= min_volunteers)', name=op.f('ck_task_max_at_least_min')),
    sa.CheckConstraint('min_volunteers >= 0', name=op.f('ck_task_min_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_task_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['venue_id'], ['venue.id'], name=op.f('fk_task_venue_id_venue'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_event_id'), ['event_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signup_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('CONFIRMED', 'WAITLISTED', 'DROPPED', name='assignmentstatus', native_enum=False, length=20), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ical_uid', sa.String(length=255), nullable=False),
    sa.Column('invite_sequence', sa.Integer(), nullable=True),
    sa.Column('invite_active', sa.Boolean(), nullable=False),
    sa.Column('invite_fingerprint', sa.String(length=64), nullable=True),
    sa.CheckConstraint("(status = 'WAITLISTED') = (waitlisted_at IS NOT NULL)", name=op.f('ck_assignment_waitlist_position')),
    sa.ForeignKeyConstraint(['signup_id'], ['signup.id'], name=op.f('fk_assignment_signup_id_signup'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_assignment_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('ical_uid', name=op.f('uq_assignment_ical_uid')),
    sa.UniqueConstraint('signup_id', 'task_id', name=op.f('uq_assignment_signup_id_task_id'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_signup_id'), ['signup_id'], unique=False)
        batch_op.create_index('ix_assignment_task_id_status', ['task_id', 'status'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signup_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_signup_id'), ['signup_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_signup_id_signup'), 'signup', ['signup_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_signup_id_signup'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_signup_id'))
        batch_op.drop_column('signup_id')

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_task_id_status')
        batch_op.drop_index(batch_op.f('ix_assignment_signup_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_event_id'))

    op.drop_table('task')
    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signup_email_key'))

    op.drop_table('signup')
    with op.batch_alter_table('lookup_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lookup_link_email_key'))

    op.drop_table('lookup_link')
    op.drop_table('help_offer')
