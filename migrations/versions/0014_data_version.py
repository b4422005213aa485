"""The section's data version (issue 13): one row, bumped in the same transaction as any
change that can alter a public answer; the response cache and the per-version memo are
keyed by it (``mentoring_site/datastamp.py``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('mentoring_data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_mentoring_data_version_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_data_version'))
    )
    # Not 1: the start is the moment in microseconds, so a table made again (a restore from
    # an archive at an older revision goes down and up again) starts above any version
    # the old one reached, and no page cached under an old number is ever served again.
    now = datetime.now(timezone.utc)
    op.bulk_insert(table, [{"id": 1, "version": int(now.timestamp() * 1_000_000),
                            "changed_at": now.replace(tzinfo=None)}])


def downgrade() -> None:
    op.drop_table('mentoring_data_version')
