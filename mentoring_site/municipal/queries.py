"""The registry's read model: every query its pages and CSV files make.

Only schools in the current schools file are shown (one taken off the list disappears
at once, before the next aggregate deletes its rows), in the order of the file. A page
of a table costs two queries whatever the number of schools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import CaseRow, MentorRow, SchoolRow
from .schools import School


@dataclass(frozen=True)
class SchoolLine:
    """A school of the list with what was last read from it (``row`` None: not yet read)."""

    school: School
    row: SchoolRow | None

    @property
    def section_updated(self) -> datetime | None:
        """The section's own «last updated», else its Last-Modified."""
        if self.row is None:
            return None
        return self.row.last_updated or self.row.last_modified


@dataclass(frozen=True)
class Paged:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def school_lines(sess: Session, schools: Sequence[School]) -> list[SchoolLine]:
    rows = {r.key: r for r in sess.scalars(
        sa.select(SchoolRow).where(SchoolRow.key.in_([s.key for s in schools]))
    )}
    return [SchoolLine(s, rows.get(s.key)) for s in schools]


def _scope(schools: Sequence[School], only: School | None):
    keys = [only.key] if only else [s.key for s in schools]
    order = sa.case({s.key: s.position for s in schools}, value=SchoolRow.key, else_=0)
    return SchoolRow.key.in_(keys), order


def _page(sess: Session, stmt: sa.Select, page: int | None, per_page: int) -> Paged:
    if page is None:
        items = list(sess.execute(stmt))
        return Paged(items, 1, max(1, len(items)), len(items))
    total = sess.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    ) or 0
    items = list(sess.execute(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Paged(items, page, per_page, total)


def mentors(sess: Session, schools: Sequence[School], *, page: int | None = None,
            per_page: int = 50, only: School | None = None) -> Paged:
    """Rows of ``(MentorRow, school key)``, school by school in the list's order."""
    where, order = _scope(schools, only)
    stmt = (
        sa.select(MentorRow, SchoolRow.key)
        .join(SchoolRow, SchoolRow.id == MentorRow.school_id)
        .where(where)
        .order_by(order, MentorRow.ordinal)
    )
    return _page(sess, stmt, page, per_page)


def cases(sess: Session, schools: Sequence[School], *, page: int | None = None,
          per_page: int = 50, only: School | None = None) -> Paged:
    """Rows of ``(CaseRow, school key)``, the newest first."""
    where, order = _scope(schools, only)
    stmt = (
        sa.select(CaseRow, SchoolRow.key)
        .join(SchoolRow, SchoolRow.id == CaseRow.school_id)
        .where(where)
        .order_by(CaseRow.published_at.desc(), order, CaseRow.ordinal)
    )
    return _page(sess, stmt, page, per_page)


def last_aggregate(sess: Session, schools: Sequence[School]) -> datetime | None:
    """When the registry last tried to read any school of the list."""
    return sess.scalar(
        sa.select(sa.func.max(SchoolRow.checked_at))
        .where(SchoolRow.key.in_([s.key for s in schools]))
    )
