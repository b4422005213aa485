"""The municipal registry in the section's database (issue 12): the office's list of
schools and every read of a school kept as a dated snapshot with its mentors and cases.
Until now the registry kept a cache of its own, rebuilt from the schools' APIs; it starts
empty here and is filled by the next «Обновить» / ``flask mentoring aggregate``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentoring_registry_school',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_school')),
    sa.UniqueConstraint('key', name=op.f('uq_mentoring_registry_school_key')),
    sa.UniqueConstraint('url', name=op.f('uq_mentoring_registry_school_url'))
    )
    op.create_table('mentoring_registry_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['mentoring_registry_school.id'], name=op.f('fk_mentoring_registry_page_school_id_mentoring_registry_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_page')),
    sa.UniqueConstraint('school_id', 'url', name='school_url')
    )
    op.create_table('mentoring_registry_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('api_name', sa.String(length=500), nullable=False),
    sa.Column('empty', sa.Boolean(), nullable=False),
    sa.Column('section_updated', sa.DateTime(), nullable=True),
    sa.Column('mentors', sa.Integer(), nullable=False),
    sa.Column('mentees', sa.Integer(), nullable=False),
    sa.Column('active_programs', sa.Integer(), nullable=False),
    sa.Column('completed_programs', sa.Integer(), nullable=False),
    sa.Column('planned_programs', sa.Integer(), nullable=True),
    sa.Column('ended_early_programs', sa.Integer(), nullable=True),
    sa.Column('pairs', sa.Integer(), nullable=True),
    sa.Column('groups', sa.Integer(), nullable=True),
    sa.Column('mentees_teachers', sa.Integer(), nullable=True),
    sa.Column('mentees_pupils', sa.Integer(), nullable=True),
    sa.Column('young_specialists', sa.Integer(), nullable=True),
    sa.Column('young_specialists_with_mentor', sa.Integer(), nullable=True),
    sa.Column('cases', sa.Integer(), nullable=True),
    sa.Column('honors', sa.Integer(), nullable=True),
    sa.Column('curator_name', sa.String(length=300), nullable=True),
    sa.Column('curator_position', sa.String(length=500), nullable=True),
    sa.Column('curator_phone', sa.String(length=100), nullable=True),
    sa.Column('curator_email', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['mentoring_registry_school.id'], name=op.f('fk_mentoring_registry_snapshot_school_id_mentoring_registry_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_snapshot'))
    )
    with op.batch_alter_table('mentoring_registry_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_registry_snapshot_school_read', ['school_id', 'read_at'], unique=False)

    op.create_table('mentoring_registry_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('program_title', sa.String(length=1000), nullable=False),
    sa.Column('program_url', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['mentoring_registry_snapshot.id'], name=op.f('fk_mentoring_registry_case_snapshot_id_mentoring_registry_snapshot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_case'))
    )
    with op.batch_alter_table('mentoring_registry_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_registry_case_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('mentoring_registry_mentor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('is_student', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Text(), nullable=True),
    sa.Column('subjects', sa.Text(), nullable=True),
    sa.Column('qualification', sa.Text(), nullable=True),
    sa.Column('experience_years', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['mentoring_registry_snapshot.id'], name=op.f('fk_mentoring_registry_mentor_snapshot_id_mentoring_registry_snapshot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_mentor'))
    )
    with op.batch_alter_table('mentoring_registry_mentor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_registry_mentor_snapshot_id'), ['snapshot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mentoring_registry_mentor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_registry_mentor_snapshot_id'))

    op.drop_table('mentoring_registry_mentor')
    with op.batch_alter_table('mentoring_registry_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_registry_case_snapshot_id'))

    op.drop_table('mentoring_registry_case')
    with op.batch_alter_table('mentoring_registry_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_registry_snapshot_school_read')

    op.drop_table('mentoring_registry_snapshot')
    op.drop_table('mentoring_registry_page')
    op.drop_table('mentoring_registry_school')
