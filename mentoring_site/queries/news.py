"""News and announcements: upcoming announcements first, scheduled items appear by themselves."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import NewsItem, NewsKind
from .base import Clock, NotFound, Paged, paged


def upcoming_clause(now_local: datetime):
    return sa.and_(
        NewsItem.kind == NewsKind.ANNOUNCEMENT,
        sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at) >= now_local,
    )


def news(
    sess: Session,
    clock: Clock,
    page: int,
    per_page: int,
    *,
    now_local: datetime,
    kind: NewsKind | None = None,
) -> Paged[NewsItem]:
    """Upcoming announcements first (soonest first), then everything newest first."""
    upcoming = upcoming_clause(now_local)
    stmt = (
        sa.select(NewsItem)
        .where(rules.published_clause(NewsItem, clock.now))
        .options(joinedload(NewsItem.image))
        .order_by(
            sa.case((upcoming, 0), else_=1),
            sa.case((upcoming, NewsItem.event_starts_at), else_=None),
            NewsItem.published_at.desc(),
            NewsItem.id.desc(),
        )
    )
    if kind is not None:
        stmt = stmt.where(NewsItem.kind == kind)
    return paged(sess, stmt, page, per_page)


def news_item(sess: Session, clock: Clock, slug: str) -> NewsItem:
    item = sess.scalar(
        sa.select(NewsItem)
        .where(NewsItem.slug == slug, rules.published_clause(NewsItem, clock.now))
        .options(joinedload(NewsItem.image))
    )
    if item is None:
        raise NotFound(slug)
    return item
