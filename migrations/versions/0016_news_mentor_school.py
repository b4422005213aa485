"""An announcement may be kept off «Школа наставничества» (issue 12): a parents' meeting or
a directors' conference the office announces is not an event of its School for mentors.

Every announcement already published stays on the page (server default true), as it was.
The server default stays: dropping it would recreate mentoring_news on SQLite, which the
registrations refer to (as 0003 kept the programme's ``conclusions``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentoring_news") as batch:
        batch.add_column(sa.Column("in_mentor_school", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("mentoring_news") as batch:
        batch.drop_column("in_mentor_school")
