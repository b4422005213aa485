"""The registry's read model: every query its pages and CSV files make.

Every table can be asked «на дату»: the schools on the list at the end of that day, each
with the last snapshot read by then. Without a date, the schools on the list now with
their latest snapshot. A page of a table costs a fixed number of queries whatever the
number of schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models.registry import RegistryCase, RegistryMentor, RegistrySchool, RegistrySnapshot

#: The counts of the schools table, in its columns' order, with their Russian names.
FIGURES: tuple[tuple[str, str], ...] = (
    ("mentors", "Наставников"),
    ("mentees", "Наставляемых"),
    ("mentees_teachers", "из них педагогов и других взрослых"),
    ("mentees_pupils", "из них обучающихся"),
    ("planned_programs", "Программ планируется"),
    ("active_programs", "Программ реализуется"),
    ("completed_programs", "Программ завершено"),
    ("ended_early_programs", "Программ завершено досрочно"),
    ("pairs", "Пар"),
    ("groups", "Групп"),
    ("young_specialists_with_mentor", "Молодых специалистов с наставником"),
    ("young_specialists", "Молодых специалистов всего"),
    ("cases", "Лучших практик"),
    ("honors", "«Наши наставники»"),
)


@dataclass(frozen=True)
class SchoolLine:
    """A school of the list with its snapshot (``snapshot`` None: never read by then)."""

    school: RegistrySchool
    snapshot: RegistrySnapshot | None

    @property
    def state(self) -> str:
        """``never`` (ещё не читали), ``empty`` (раздел не заполнен) or ``read``."""
        if self.snapshot is None:
            return "never"
        return "empty" if self.snapshot.empty else "read"


@dataclass(frozen=True)
class Paged:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _listed(at: datetime | None):
    """The schools on the list at ``at`` (naive UTC), or now."""
    if at is None:
        return RegistrySchool.removed_at.is_(None)
    return sa.and_(RegistrySchool.added_at <= at,
                   sa.or_(RegistrySchool.removed_at.is_(None), RegistrySchool.removed_at > at))


def _latest(at: datetime | None):
    """Each school's last snapshot read by ``at``: a subquery of snapshot ids."""
    stmt = sa.select(sa.func.max(RegistrySnapshot.id).label("id")).group_by(
        RegistrySnapshot.school_id)
    if at is not None:
        stmt = stmt.where(RegistrySnapshot.read_at <= at)
    return stmt.subquery()


def _order():
    return (RegistrySchool.position, RegistrySchool.id)


def school_lines(sess: Session, at: datetime | None = None,
                 only: RegistrySchool | None = None) -> list[SchoolLine]:
    latest = _latest(at)
    stmt = (
        sa.select(RegistrySchool, RegistrySnapshot)
        .outerjoin(RegistrySnapshot, sa.and_(
            RegistrySnapshot.school_id == RegistrySchool.id,
            RegistrySnapshot.id.in_(sa.select(latest.c.id))))
        .where(_listed(at))
        .order_by(*_order())
    )
    if only is not None:
        stmt = stmt.where(RegistrySchool.id == only.id)
    return [SchoolLine(school, snapshot) for school, snapshot in sess.execute(stmt)]


def totals(lines: list[SchoolLine]) -> dict[str, int | None]:
    """Sums over the schools read; None for a count no school published."""
    sums: dict[str, int | None] = {}
    for name, _label in FIGURES:
        values = [getattr(x.snapshot, name) for x in lines if x.snapshot is not None]
        known = [v for v in values if v is not None]
        sums[name] = sum(known) if known else None
    return sums


def school_by_key(sess: Session, key: str) -> RegistrySchool | None:
    return sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == key))


def listed_schools(sess: Session, at: datetime | None = None) -> list[RegistrySchool]:
    return list(sess.scalars(sa.select(RegistrySchool).where(_listed(at)).order_by(*_order())))


def _page(sess: Session, stmt: sa.Select, page: int | None, per_page: int) -> Paged:
    if page is None:
        items = list(sess.execute(stmt))
        return Paged(items, 1, max(1, len(items)), len(items))
    total = sess.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    ) or 0
    items = list(sess.execute(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Paged(items, page, per_page, total)


def _of_snapshots(model, stmt: sa.Select, at: datetime | None,
                  only: RegistrySchool | None) -> sa.Select:
    latest = _latest(at)
    stmt = (
        stmt.join(RegistrySnapshot, RegistrySnapshot.id == model.snapshot_id)
        .join(RegistrySchool, RegistrySchool.id == RegistrySnapshot.school_id)
        .where(RegistrySnapshot.id.in_(sa.select(latest.c.id)), _listed(at))
    )
    if only is not None:
        stmt = stmt.where(RegistrySchool.id == only.id)
    return stmt


def mentors(sess: Session, *, page: int | None = None, per_page: int = 50,
            only: RegistrySchool | None = None, at: datetime | None = None) -> Paged:
    """Rows of ``(RegistryMentor, RegistrySchool)``, school by school in the list's order."""
    stmt = _of_snapshots(RegistryMentor, sa.select(RegistryMentor, RegistrySchool), at, only)
    return _page(sess, stmt.order_by(*_order(), RegistryMentor.ordinal), page, per_page)


def cases(sess: Session, *, page: int | None = None, per_page: int = 50,
          only: RegistrySchool | None = None, at: datetime | None = None) -> Paged:
    """Rows of ``(RegistryCase, RegistrySchool)``, the newest first."""
    stmt = _of_snapshots(RegistryCase, sa.select(RegistryCase, RegistrySchool), at, only)
    return _page(sess, stmt.order_by(RegistryCase.published_at.desc(), *_order(),
                                     RegistryCase.ordinal), page, per_page)


def last_aggregate(sess: Session) -> datetime | None:
    """When the registry last tried to read any school of the list."""
    return sess.scalar(sa.select(sa.func.max(RegistrySchool.checked_at))
                       .where(_listed(None)))


def first_read(sess: Session) -> datetime | None:
    """The oldest snapshot: the registry's history starts there."""
    return sess.scalar(sa.select(sa.func.min(RegistrySnapshot.read_at)))
