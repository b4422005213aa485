"""Consents a curator can execute: the parent or legal representative named in a pupil's
consent, and the written consent to take part in a programme (Положение 3.2–3.3: a teacher
becomes a mentor with his written consent; the order fixing pairs cites the participants'
written consents), recorded per participation with a private scan.

Existing rows keep working: the new text columns are empty, the new date and scan empty
(«не зарегистрировано — проверить» in the orders, as before for a missing consent).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

FK_SCAN = 'fk_mentoring_participation_written_consent_scan_id_mentoring_media'


def upgrade() -> None:
    with op.batch_alter_table('mentoring_consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('representative_name', sa.String(length=300),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('representative_document', sa.String(length=300),
                                      nullable=False, server_default=''))
    with op.batch_alter_table('mentoring_consent', schema=None) as batch_op:
        for column in ('representative_name', 'representative_document'):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table('mentoring_participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_consent_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('written_consent_scan_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f(FK_SCAN), 'mentoring_media',
                                    ['written_consent_scan_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('mentoring_participation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(FK_SCAN), type_='foreignkey')
        batch_op.drop_column('written_consent_scan_id')
        batch_op.drop_column('written_consent_on')
    with op.batch_alter_table('mentoring_consent', schema=None) as batch_op:
        batch_op.drop_column('representative_document')
        batch_op.drop_column('representative_name')
