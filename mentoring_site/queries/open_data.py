"""The public read model, continued: what feeds, the calendar, the sitemap and HTTP
validators need beyond the page queries of this package.

Kept apart only for size; the same contract holds: every clause comes from ``rules.py``,
so a feed or the sitemap cannot show what the pages do not. The JSON API reads the page
queries themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
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


def _public_rows(clock: Clock) -> list[tuple[Any, ColumnElement[bool]]]:
    """Each kind whose rows the open data shows, with the rule that says which rows."""
    now, today = clock.now, clock.today
    return [
        (Case, rules.case_clause(now)),
        (Honor, rules.honor_clause(now, today)),
        *[(m, rules.published_clause(m, now)) for m in (Document, Material, NewsItem, Page)],
        (Program, rules.program_clause()),
        (SectionInfo, sa.true()),
        (Person, rules.person_clause(today)),
        (Consent, rules.consent_clause(today)),
        (MediaFile, sa.or_(rules.media_shown_clause(MediaFile.__table__.c.id, now),
                           MediaFile.id.in_(sa.select(Person.photo_id)
                                            .where(rules.person_clause(today))))),
    ]


def last_change(sess: Session, clock: Clock, tz_name: str) -> datetime:
    """A moment (naive UTC) after which nothing the public reads has changed.

    For ``Last-Modified``, read from what is public only, so an edit of a draft or of a
    person without consent moves nothing (no side channel): the last edit of each public
    row, the journal's entries for changes that took a public record off the site
    (``AuditEntry.HID_PUBLIC``: an unpublished or deleted item), and the moments the rules'
    clocks crossed: publication and unpublication of published items, consent dates,
    announcements moving from «upcoming» to past. Never later than now.
    """
    now, today = clock.now, clock.today
    tz = ZoneInfo(tz_name)
    stamps: list[Any] = [sa.select(sa.func.max(m.updated_at)).where(clause).scalar_subquery()
                         for m, clause in _public_rows(clock)]
    for m in PUBLISHABLE:
        stamps.append(sa.select(sa.func.max(m.published_at))
                      .where(rules.published_clause(m, now)).scalar_subquery())
        stamps.append(sa.select(sa.func.max(m.unpublish_at))
                      .where(rules.taken_down_clause(m, now)).scalar_subquery())
    hid = sa.cast(AuditEntry.changes, sa.Text).contains(f'"{AuditEntry.HID_PUBLIC}"',
                                                         autoescape=True)
    stamps.append(sa.select(sa.func.max(AuditEntry.at)).where(hid).scalar_subquery())
    n_utc = len(stamps)
    local_now = now_local(tz_name)
    event_end = sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at)
    live = rules.published_clause(NewsItem, now)
    local_stamps: list[Any] = [
        sa.select(sa.func.max(NewsItem.event_starts_at))
        .where(live, NewsItem.event_starts_at <= local_now).scalar_subquery(),
        sa.select(sa.func.max(event_end)).where(live, event_end <= local_now).scalar_subquery(),
    ]
    named = Consent.allow_name.is_(True)
    dates: list[Any] = [
        sa.select(sa.func.max(Consent.signed_on))
        .where(named, Consent.signed_on <= today).scalar_subquery(),
        sa.select(sa.func.max(Consent.withdrawn_on))
        .where(named, Consent.withdrawn_on <= today, Consent.signed_on < Consent.withdrawn_on)
        .scalar_subquery(),
    ]
    expired = sa.select(sa.func.max(Consent.valid_until)).where(
        named, Consent.valid_until < today, Consent.signed_on <= Consent.valid_until)
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
    return value.replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)
