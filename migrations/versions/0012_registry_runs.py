"""The registry's runs (issue 12): each reading of every school, so the office's admin can
show the progress of «Обновить все» and of the cron run from any web worker.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mentoring_registry_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('started_by', sa.String(length=200), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_registry_run'))
    )


def downgrade() -> None:
    op.drop_table('mentoring_registry_run')
