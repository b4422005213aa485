"""The public programmes' list in its order from an index (issue 13): their ids are read
from ``(is_public, status, starts_on, id)`` without touching the rows (whose texts made the
sort read every programme), then the page's programmes are loaded by id.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_mentoring_program_public_order", "mentoring_program",
                    ["is_public", "status", "starts_on", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_mentoring_program_public_order", table_name="mentoring_program")
