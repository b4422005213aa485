"""What every query shares: the clock of the request (from ``clock``) and a page of results."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..clock import Clock

__all__ = ["Clock", "NotFound", "Paged", "latest", "paged"]

T = TypeVar("T")


@dataclass
class Paged(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class NotFound(LookupError):
    """Missing, or hidden by the rules: both look the same to the public."""


def paged(sess: Session, stmt: sa.Select, page: int, per_page: int) -> Paged:
    total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Paged(items, page, per_page, total or 0)


def latest(column: Any, *where: Any) -> Any:
    """The largest value of ``column`` among the rows ``where`` selects, as a scalar
    subquery: ``ORDER BY column DESC LIMIT 1`` rather than ``MAX()``, so an index on the
    column is read from its end and the first row that passes ``where`` answers (MAX()
    with a WHERE reads every row on SQLite). NULLs are left out, as MAX() leaves them."""
    return (sa.select(column).where(column.is_not(None), *where)
            .order_by(column.desc()).limit(1).scalar_subquery())
