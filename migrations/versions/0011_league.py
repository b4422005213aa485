"""The League of mentor schools (issue 12; district order 7.4, roadmap 8.1–8.2): an editable
list of directions (started with the nine directions of management mentoring of the
regional regulation, 2.5), the members' applications and the orders that include them, and
each registry school's key for sending an application from its own section (only its hash).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

#: The regional regulation's nine directions (2.5), as a new office's list starts.
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
    direction = op.create_table('mentoring_league_direction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_league_direction')),
    sa.UniqueConstraint('name', name=op.f('uq_mentoring_league_direction_name'))
    )
    op.create_table('mentoring_league_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['mentoring_registry_school.id'], name=op.f('fk_mentoring_league_key_school_id_mentoring_registry_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_league_key')),
    sa.UniqueConstraint('digest', name=op.f('uq_mentoring_league_key_digest')),
    sa.UniqueConstraint('school_id', name=op.f('uq_mentoring_league_key_school_id'))
    )
    op.create_table('mentoring_league_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('state', sa.Enum('application', 'included', 'rejected', name='leaguestate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('source', sa.Enum('office', 'school', name='leaguesource', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('contact_name', sa.String(length=300), nullable=True),
    sa.Column('contact_position', sa.String(length=300), nullable=True),
    sa.Column('contact_phone', sa.String(length=100), nullable=True),
    sa.Column('contact_email', sa.String(length=300), nullable=True),
    sa.Column('contacts_public', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('order_number', sa.String(length=100), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('order_file_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['order_file_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_league_member_order_file_id_mentoring_media'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['mentoring_registry_school.id'], name=op.f('fk_mentoring_league_member_school_id_mentoring_registry_school'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_league_member'))
    )
    with op.batch_alter_table('mentoring_league_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_league_member_school_id'), ['school_id'], unique=False)

    op.create_table('mentoring_league_member_direction',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['mentoring_league_direction.id'], name=op.f('fk_mentoring_league_member_direction_direction_id_mentoring_league_direction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['mentoring_league_member.id'], name=op.f('fk_mentoring_league_member_direction_member_id_mentoring_league_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'direction_id', name=op.f('pk_mentoring_league_member_direction'))
    )
    op.bulk_insert(direction, [{"name": name, "position": i, "hidden": False}
                               for i, name in enumerate(DIRECTIONS, 1)])


def downgrade() -> None:
    op.drop_table('mentoring_league_member_direction')
    with op.batch_alter_table('mentoring_league_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_league_member_school_id'))

    op.drop_table('mentoring_league_member')
    op.drop_table('mentoring_league_key')
    op.drop_table('mentoring_league_direction')
