"""The municipal office's roles (issue 12): «Муниципальный куратор» (approves management
mentoring programmes, runs the League's orders) and «Специалист управления образования
(реестр)» (keeps the list of schools and reads them). The role column's CHECK constraint
is widened; existing accounts keep their roles.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD = ('curator', 'editor')
NEW = (*OLD, 'municipal_curator', 'registry')


NAME = 'ck_mentoring_account_accountrole'


def _check(values: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _widen(values: tuple[str, ...]) -> None:
    """Replace the CHECK constraint (SQLite: by recreating the table, as batch mode does)."""
    with op.batch_alter_table('mentoring_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), _check(values))


def upgrade() -> None:
    _widen(NEW)


def downgrade() -> None:
    op.execute(sa.text("UPDATE mentoring_account SET role = 'editor' "
                       "WHERE role IN ('municipal_curator', 'registry')"))
    _widen(OLD)
