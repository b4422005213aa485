"""A person's consent to processing for the banks of mentors and mentees (152-ФЗ ст. 9),
recorded apart from the consent to dissemination: it does not decide what the public sees;
its withdrawal removes the person's questionnaire answers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentoring_processing_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('document_ref', sa.String(length=200), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=True),
    sa.Column('representative_name', sa.String(length=300), nullable=False),
    sa.Column('representative_document', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['mentoring_person.id'], name=op.f('fk_mentoring_processing_agreement_person_id_mentoring_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scan_id'], ['mentoring_media.id'], name=op.f('fk_mentoring_processing_agreement_scan_id_mentoring_media')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_processing_agreement'))
    )
    with op.batch_alter_table('mentoring_processing_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_processing_agreement_person_id'),
                              ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mentoring_processing_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_processing_agreement_person_id'))
    op.drop_table('mentoring_processing_agreement')
