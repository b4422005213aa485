"""Management mentoring on the office's site (issue 12): directions (the nine of the
regional order seeded, editable), management teams with members (contacts for the office
only), programmes with their teams, directions, plan in three stages, states and report.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

#: Положение о системе менторства, п. 2.5 (the typical programme names the same nine).
DIRECTIONS = (
    "Управление развитием образовательной организации",
    "Управление деятельностью образовательной организации",
    "Управление качеством образования",
    "Организация инновационной деятельности",
    "Организация адаптивного образования для детей с ОВЗ и детей-инвалидов",
    "Обеспечение комплексной безопасности",
    "Организация воспитательной деятельности (в том числе внеурочной деятельности и "
    "дополнительного образования)",
    "Управление инвестиционной, финансово-хозяйственной деятельностью",
    "Управление кадровой политикой и развитием кадрового потенциала",
)


def upgrade() -> None:
    direction = op.create_table('mentoring_mgmt_direction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mgmt_direction')),
    sa.UniqueConstraint('title', name=op.f('uq_mentoring_mgmt_direction_title'))
    )
    op.create_table('mentoring_mgmt_program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('coordinator', sa.String(length=300), nullable=True),
    sa.Column('curator', sa.String(length=300), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('draft', 'submitted', 'approved', 'running', 'completed', name='mgmtstate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=300), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('conclusions', sa.Text(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mgmt_program'))
    )
    op.create_table('mentoring_mgmt_plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('organisational', 'practical', 'final', name='mgmtstage', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=500), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_mgmt_program.id'], name=op.f('fk_mentoring_mgmt_plan_item_program_id_mentoring_mgmt_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mgmt_plan_item'))
    )
    with op.batch_alter_table('mentoring_mgmt_plan_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_mgmt_plan_item_program_id'), ['program_id'], unique=False)

    op.create_table('mentoring_mgmt_program_direction',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['mentoring_mgmt_direction.id'], name=op.f('fk_mentoring_mgmt_program_direction_direction_id_mentoring_mgmt_direction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_mgmt_program.id'], name=op.f('fk_mentoring_mgmt_program_direction_program_id_mentoring_mgmt_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'direction_id', name=op.f('pk_mentoring_mgmt_program_direction'))
    )
    op.create_table('mentoring_mgmt_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.Enum('experienced', 'developing', name='teamkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['mentoring_registry_school.id'], name=op.f('fk_mentoring_mgmt_team_school_id_mentoring_registry_school'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mgmt_team'))
    )
    with op.batch_alter_table('mentoring_mgmt_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_mgmt_team_school_id'), ['school_id'], unique=False)

    op.create_table('mentoring_mgmt_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=300), nullable=True),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('is_contact', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['mentoring_mgmt_team.id'], name=op.f('fk_mentoring_mgmt_member_team_id_mentoring_mgmt_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_mgmt_member'))
    )
    with op.batch_alter_table('mentoring_mgmt_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_mgmt_member_team_id'), ['team_id'], unique=False)

    op.create_table('mentoring_mgmt_program_team',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['mentoring_mgmt_program.id'], name=op.f('fk_mentoring_mgmt_program_team_program_id_mentoring_mgmt_program'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['mentoring_mgmt_team.id'], name=op.f('fk_mentoring_mgmt_program_team_team_id_mentoring_mgmt_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'team_id', name=op.f('pk_mentoring_mgmt_program_team'))
    )
    op.create_table('mentoring_mgmt_team_direction',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['mentoring_mgmt_direction.id'], name=op.f('fk_mentoring_mgmt_team_direction_direction_id_mentoring_mgmt_direction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['mentoring_mgmt_team.id'], name=op.f('fk_mentoring_mgmt_team_direction_team_id_mentoring_mgmt_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'direction_id', name=op.f('pk_mentoring_mgmt_team_direction'))
    )
    op.bulk_insert(direction, [{"title": title, "position": i}
                               for i, title in enumerate(DIRECTIONS, 1)])


def downgrade() -> None:
    op.drop_table('mentoring_mgmt_team_direction')
    op.drop_table('mentoring_mgmt_program_team')
    with op.batch_alter_table('mentoring_mgmt_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_mgmt_member_team_id'))

    op.drop_table('mentoring_mgmt_member')
    with op.batch_alter_table('mentoring_mgmt_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_mgmt_team_school_id'))

    op.drop_table('mentoring_mgmt_team')
    op.drop_table('mentoring_mgmt_program_direction')
    with op.batch_alter_table('mentoring_mgmt_plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_mgmt_plan_item_program_id'))

    op.drop_table('mentoring_mgmt_plan_item')
    op.drop_table('mentoring_mgmt_program')
    op.drop_table('mentoring_mgmt_direction')
