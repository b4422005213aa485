"""What every query shares: the clock of the request and a page of results."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Clock:
    """The moment a request is answered: UTC for timestamps, the school's date for dates."""

    now: datetime
    today: date

    @classmethod
    def current(cls, tz_name: str) -> Clock:
        """The clock of this moment for a school in time zone ``tz_name``."""
        now = datetime.now(UTC)
        return cls(now=now.replace(tzinfo=None), today=now.astimezone(ZoneInfo(tz_name)).date())


def local_now(tz_name: str) -> datetime:
    """The school's wall-clock time, naive, as event times are stored."""
    return datetime.now(ZoneInfo(tz_name)).replace(tzinfo=None)


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
