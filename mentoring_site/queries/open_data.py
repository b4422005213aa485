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
from .base import latest

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


def _sitemap_sources(clock: Clock) -> list[tuple[str, Any, ColumnElement[bool], bool]]:
    """Each kind with a page of its own: its endpoint, model, rule and whether it is
    publishable (its last change may be its publication)."""
    return [
        ("mentoring.case", Case, rules.case_clause(clock.now), True),
        ("mentoring.news_item", NewsItem, rules.published_clause(NewsItem, clock.now), True),
        ("mentoring.page", Page, rules.published_clause(Page, clock.now), True),
        ("mentoring.program", Program, rules.program_clause(), False),
        ("mentoring.person", Person, rules.person_page_clause(clock.today), False),
    ]


#: The kinds of the sitemap's parts, as their addresses name them (``/sitemap/<kind>-N.xml``).
SITEMAP_KINDS = {"praktiki": "mentoring.case", "novosti": "mentoring.news_item",
                 "stranitsy": "mentoring.page", "programmy": "mentoring.program",
                 "lyudi": "mentoring.person"}


def sitemap_counts(sess: Session, clock: Clock) -> dict[str, int]:
    """How many public objects of each kind have a page (one statement)."""
    sources = _sitemap_sources(clock)
    row = sess.execute(sa.select(*(
        sa.select(sa.func.count()).select_from(model).where(clause).scalar_subquery()
        for _, model, clause, _ in sources))).one()
    return {endpoint: n for (endpoint, *_), n in zip(sources, row, strict=True)}


def sitemap_entries(sess: Session, clock: Clock, endpoint: str | None = None,
                    offset: int = 0, limit: int = SITEMAP_LIMIT) -> list[SitemapEntry]:
    """Public objects that have a page of their own, with their last change (UTC): every
    kind, or one (``endpoint``) read ``limit`` at a time in the order of its slugs (their
    unique index), for one part of a large sitemap."""
    parts, slugs = [], []
    for name, model, clause, publishable in _sitemap_sources(clock):
        if endpoint is not None and name != endpoint:
            continue
        stamp = (
            sa.case((model.published_at > model.updated_at, model.published_at),
                    else_=model.updated_at)
            if publishable
            else model.updated_at
        )
        parts.append(
            sa.select(sa.literal(name).label("endpoint"), model.slug.label("slug"),
                      stamp.label("lastmod")).where(clause)
        )
        slugs.append(model.slug)
    if endpoint is not None:
        one = parts[0].order_by(slugs[0]).limit(limit).offset(offset)
        return [SitemapEntry(e, s, _as_datetime(m)) for e, s, m in sess.execute(one)]
    union = sa.union_all(*parts).subquery()
    rows = sess.execute(
        sa.select(union.c.endpoint, union.c.slug, union.c.lastmod)
        .order_by(union.c.endpoint, union.c.slug)
        .limit(limit)
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
        # EXISTS by the file (``ix_mentoring_person_photo_id``), not IN over every person
        (MediaFile, sa.or_(rules.media_shown_clause(MediaFile.__table__.c.id, now),
                           sa.exists().where(Person.photo_id == MediaFile.id,
                                             rules.person_clause(today)))),
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
    # Each stamp is one index lookup (``latest``, migration 0015), not a MAX() over a table.
    stamps: list[Any] = [latest(m.updated_at, clause) for m, clause in _public_rows(clock)]
    for m in PUBLISHABLE:
        stamps.append(latest(m.published_at, rules.published_clause(m, now)))
        stamps.append(latest(m.unpublish_at, rules.taken_down_clause(m, now)))
    hid = sa.cast(AuditEntry.changes, sa.Text).contains(f'"{AuditEntry.HID_PUBLIC}"',
                                                         autoescape=True)
    stamps.append(latest(AuditEntry.at, hid))
    n_utc = len(stamps)
    local_now = now_local(tz_name)
    live = rules.published_clause(NewsItem, now)
    # An announcement's end, or its start when it has none: two lookups, one per column.
    local_stamps: list[Any] = [
        latest(NewsItem.event_starts_at, live, NewsItem.event_starts_at <= local_now),
        latest(NewsItem.event_ends_at, live, NewsItem.event_ends_at <= local_now),
        latest(NewsItem.event_starts_at, live, NewsItem.event_ends_at.is_(None),
               NewsItem.event_starts_at <= local_now),
    ]
    named = Consent.allow_name.is_(True)
    dates: list[Any] = [
        latest(Consent.signed_on, named, Consent.signed_on <= today),
        latest(Consent.withdrawn_on, named, Consent.withdrawn_on <= today,
               Consent.signed_on < Consent.withdrawn_on),
    ]
    expired = latest(Consent.valid_until, named, Consent.valid_until < today,
                     Consent.signed_on <= Consent.valid_until)
    row = sess.execute(sa.select(*stamps, *local_stamps, *dates, expired)).one()
    moments = [_as_datetime(v) for v in row[:n_utc] if v is not None]
    n_local = len(local_stamps)
    for v in row[n_utc:n_utc + n_local]:
        if v is not None:
            moments.append(_local_to_utc(_as_datetime(v), tz))
    day_starts = [d for d in row[n_utc + n_local:n_utc + n_local + 2] if d is not None]
    if row[-1] is not None:
        day_starts.append(row[-1] + timedelta(days=1))
    for d in day_starts:
        if isinstance(d, str):
            d = datetime.fromisoformat(d).date()
        moments.append(_local_to_utc(datetime.combine(d, time()), tz))
    newest = max(moments, default=datetime(2000, 1, 1))
    return min(newest, now).replace(microsecond=0)


def _local_to_utc(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)
