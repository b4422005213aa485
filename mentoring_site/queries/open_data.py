"""The public read model, continued: what feeds, the calendar, the sitemap and HTTP
validators need beyond the page queries of this package.

Kept apart only for size; the same contract holds: every clause comes from ``rules.py``,
so a feed or the sitemap cannot show what the pages do not. The JSON API reads the page
queries themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from .. import rules
from ..clock import Clock, now_local
from ..models import (
    AuditEntry,
    Case,
    Consent,
    Document,
    Honor,
    Material,
    MediaFile,
    NewsItem,
    NewsKind,
    Page,
    Person,
    Program,
    SectionInfo,
)

PUBLISHABLE: tuple[Any, ...] = (Case, Document, Material, NewsItem, Honor, Page)
#: The sitemap protocol allows 50,000 URLs a file; a school section stays far below.
SITEMAP_LIMIT = 45_000


def feed_news(sess: Session, clock: Clock, limit: int = 50) -> list[NewsItem]:
    """News and announcements, newest publication first (a reader shows what is new)."""
    return list(
        sess.scalars(
            sa.select(NewsItem)
            .where(rules.published_clause(NewsItem, clock.now))
            .options(joinedload(NewsItem.image))
            .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
            .limit(limit)
        )
    )


def calendar_announcements(
    sess: Session, clock: Clock, now_local: datetime, *, past_days: int = 366, limit: int = 500
) -> list[NewsItem]:
    """Published announcements with a date, from a year back on, soonest first."""
    since = now_local - timedelta(days=past_days)
    return list(
        sess.scalars(
            sa.select(NewsItem)
            .where(
                rules.published_clause(NewsItem, clock.now),
                NewsItem.kind == NewsKind.ANNOUNCEMENT,
                NewsItem.event_starts_at.is_not(None),
                sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at) >= since,
            )
            .order_by(NewsItem.event_starts_at, NewsItem.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class SitemapEntry:
    endpoint: str
    slug: str
    lastmod: datetime


def sitemap_entries(sess: Session, clock: Clock) -> list[SitemapEntry]:
    """Every public object that has a page of its own, with its last change (UTC)."""
    sources: list[tuple[str, Any, ColumnElement[bool], bool]] = [
        ("mentoring.case", Case, rules.case_clause(clock.now), True),
        ("mentoring.news_item", NewsItem, rules.published_clause(NewsItem, clock.now), True),
        ("mentoring.page", Page, rules.published_clause(Page, clock.now), True),
        ("mentoring.program", Program, rules.program_clause(), False),
        (
            "mentoring.person",
            Person,
            rules.person_page_clause(clock.today),
            False,
        ),
    ]
    parts = []
    for endpoint, model, clause, publishable in sources:
        stamp = (
            sa.case((model.published_at > model.updated_at, model.published_at),
                    else_=model.updated_at)
            if publishable
            else model.updated_at
        )
        parts.append(
            sa.select(sa.literal(endpoint).label("endpoint"), model.slug.label("slug"),
                      stamp.label("lastmod")).where(clause)
        )
    union = sa.union_all(*parts).subquery()
    rows = sess.execute(
        sa.select(union.c.endpoint, union.c.slug, union.c.lastmod)
        .order_by(union.c.endpoint, union.c.slug)
        .limit(SITEMAP_LIMIT)
    )
    return [SitemapEntry(e, s, _as_datetime(m)) for e, s, m in rows]


def _as_datetime(value) -> datetime:
    # A CASE over two timestamps comes back from SQLite as text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def last_change(sess: Session, clock: Clock, tz_name: str) -> datetime:
    """A moment (naive UTC) after which nothing the public reads has changed.

    Conservative, for ``Last-Modified``: any row's edit (hidden ones too), every audit
    entry (deletions leave nothing else behind), and the moments the rules' clocks
    crossed: publication and unpublication times, consent dates, announcements moving
    from «upcoming» to past. Never later than now.
    """
    now, today = clock.now, clock.today
    tz = ZoneInfo(tz_name)
    timestamped: tuple[Any, ...] = (*PUBLISHABLE, Program, SectionInfo, Person, Consent, MediaFile)
    stamps: list[Any] = [sa.select(sa.func.max(m.updated_at)).scalar_subquery()
                         for m in timestamped]
    for m in PUBLISHABLE:
        stamps.append(sa.select(sa.func.max(m.published_at))
                      .where(m.published_at <= now).scalar_subquery())
        stamps.append(sa.select(sa.func.max(m.unpublish_at))
                      .where(m.unpublish_at <= now).scalar_subquery())
    stamps.append(sa.select(sa.func.max(AuditEntry.at)).scalar_subquery())
    n_utc = len(stamps)
    local_now = now_local(tz_name)
    event_end = sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at)
    local_stamps: list[Any] = [
        sa.select(sa.func.max(NewsItem.event_starts_at))
        .where(NewsItem.event_starts_at <= local_now).scalar_subquery(),
        sa.select(sa.func.max(event_end)).where(event_end <= local_now).scalar_subquery(),
    ]
    dates: list[Any] = [
        sa.select(sa.func.max(Consent.signed_on))
        .where(Consent.signed_on <= today).scalar_subquery(),
        sa.select(sa.func.max(Consent.withdrawn_on))
        .where(Consent.withdrawn_on <= today).scalar_subquery(),
    ]
    expired = sa.select(sa.func.max(Consent.valid_until)).where(Consent.valid_until < today)
    row = sess.execute(sa.select(*stamps, *local_stamps, *dates, expired.scalar_subquery())).one()
    moments = [_as_datetime(v) for v in row[:n_utc] if v is not None]
    for v in row[n_utc:n_utc + 2]:
        if v is not None:
            moments.append(_local_to_utc(_as_datetime(v), tz))
    day_starts = [d for d in row[n_utc + 2:n_utc + 4] if d is not None]
    if row[-1] is not None:
        day_starts.append(row[-1] + timedelta(days=1))
    for d in day_starts:
        if isinstance(d, str):
            d = datetime.fromisoformat(d).date()
        moments.append(_local_to_utc(datetime.combine(d, time()), tz))
    latest = max(moments, default=datetime(2000, 1, 1))
    return min(latest, now).replace(microsecond=0)


def _local_to_utc(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
