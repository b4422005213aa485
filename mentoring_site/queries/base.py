"""What every query shares: the clock of the request (from ``clock``) and a page of results."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..clock import Clock

__all__ = ["Clock", "Memo", "NotFound", "Paged", "built", "counted", "latest", "paged"]

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


#: ``cache.memo``, passed in by a public view: a value kept for as long as the public data
#: and the rules' moments stay as they are (the queries never import the cache).
Memo = Callable[[str, Callable[[], Any]], Any]


def counted(memo: Memo | None, key: str, count: Callable[[], T]) -> T:
    """A list's count, once per data version when a view passes ``memo``: with 10,000 rows
    the count is the one statement of a list page that reads them all (12 ms against
    0.1 ms for the page's rows). Between two versions it cannot change: a count depends on
    the rules' moments (a publication date, a consent's end, midnight) and the stamp turns
    at each of them."""
    return memo(f"count:{key}", count) if memo is not None else count()


def paged(sess: Session, stmt: sa.Select, page: int, per_page: int,
          params: dict[str, Any] | None = None, *, memo: Memo | None = None,
          key: str = "") -> Paged:
    """One page of ``stmt`` and the count of all its rows. With ``params``, ``stmt`` is a
    statement built once with bound parameters (see :func:`built`), and so are the count
    and the page's window derived from it; with ``memo`` (and the list's ``key``: what
    tells it apart, its filters included) the count is kept per data version."""
    if params is None:
        total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
        items = list(sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
        return Paged(items, page, per_page, total or 0)
    count, window = _derived(stmt)
    total = counted(memo if key else None, key, lambda: sess.scalar(count, params))
    items = list(sess.scalars(window, {**params, "page_limit": per_page,
                                       "page_offset": (page - 1) * per_page}).unique())
    return Paged(items, page, per_page, total or 0)


def built(make: Callable[..., T]) -> Callable[..., T]:
    """A statement made once per set of arguments (a role, whether a filter applies) with
    bound parameters for what changes per request (``sa.bindparam("today")``): building a
    statement anew costs more than running it on a small page."""
    return functools.cache(make)


@functools.lru_cache(maxsize=64)
def _derived(stmt: sa.Select) -> tuple[sa.Select, sa.Select]:
    count = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    window = stmt.limit(sa.bindparam("page_limit")).offset(sa.bindparam("page_offset"))
    return count, window


def latest(column: Any, *where: Any) -> Any:
    """The largest value of ``column`` among the rows ``where`` selects, as a scalar
    subquery: ``ORDER BY column DESC LIMIT 1`` rather than ``MAX()``, so an index on the
    column is read from its end and the first row that passes ``where`` answers (MAX()
    with a WHERE reads every row on SQLite). NULLs are left out, as MAX() leaves them."""
    return (sa.select(column).where(column.is_not(None), *where)
            .order_by(column.desc()).limit(1).scalar_subquery())
