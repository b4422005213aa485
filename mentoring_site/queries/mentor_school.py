"""«Школа наставничества»: the section's events for mentors and its materials for them.

The office's platform for mentors (district roadmap 9.1–10.1) is a view of what the section
already holds, not a kind of its own: the announcements (coming ones with their
registration, past ones «состоялось»; not those the office kept off with
``NewsItem.in_mentor_school``) and the materials a mentor works with
(recommendations, diagnostics, presentations and video; the «Макеты документов» are the
schools' administration's, not the mentors'). Its introduction is the free page with the
slug ``INTRO_SLUG``, if the office made one. What is public is ``rules``' alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Material, MaterialKind, NewsItem, NewsKind, Page
from .base import Clock
from .documents import MATERIAL_ORDER
from .events import RegistrationBox, registration_boxes

#: The free page whose text is the introduction: its address is the School's own, so the
#: office edits «the page Школа наставничества» as any other page.
INTRO_SLUG = "shkola-nastavnichestva"
#: The kinds of material a mentor works with.
MENTOR_MATERIALS = (MaterialKind.RECOMMENDATION, MaterialKind.DIAGNOSTIC,
                    MaterialKind.PRESENTATION)
#: Each list is bounded (a page costs a fixed number of rows); the rest is on the full list.
UPCOMING_LIMIT = 30
PAST_LIMIT = 10
MATERIALS_LIMIT = 40


@dataclass(frozen=True)
class SchoolEvent:
    item: NewsItem
    registration: RegistrationBox


@dataclass
class MentorSchool:
    """The page: ``more_*`` says the list was cut (the page links to the full one)."""

    intro: Page | None
    upcoming: list[SchoolEvent]
    past: list[NewsItem]
    materials: list[Material]
    more_upcoming: bool
    more_past: bool
    more_materials: bool


def _first(sess: Session, stmt: sa.Select, limit: int) -> tuple[list, bool]:
    rows = list(sess.scalars(stmt.limit(limit + 1)).unique())
    return rows[:limit], len(rows) > limit


def mentor_school(sess: Session, clock: Clock, now_local: datetime) -> MentorSchool:
    """Seven statements whatever the data: the intro, three lists, the registrations."""
    intro = sess.scalar(sa.select(Page).where(
        Page.slug == INTRO_SLUG, rules.published_clause(Page, clock.now)))
    announcements = sa.select(NewsItem).where(
        NewsItem.kind == NewsKind.ANNOUNCEMENT, NewsItem.in_mentor_school.is_(True),
        rules.published_clause(NewsItem, clock.now))
    past = rules.event_past_clause(now_local)
    coming, more_upcoming = _first(sess, announcements.where(sa.not_(past)).order_by(
        NewsItem.event_starts_at.asc().nulls_last(), NewsItem.published_at.desc(),
        NewsItem.id.desc()), UPCOMING_LIMIT)
    boxes = registration_boxes(sess, coming, now_local)
    over, more_past = _first(sess, announcements.where(past).order_by(
        sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at).desc(),
        NewsItem.id.desc()), PAST_LIMIT)
    materials, more_materials = _first(sess, sa.select(Material).where(
        Material.kind.in_(MENTOR_MATERIALS), rules.published_clause(Material, clock.now))
        .options(joinedload(Material.file))
        .order_by(MATERIAL_ORDER, Material.published_at.desc(), Material.id.desc()),
        MATERIALS_LIMIT)
    return MentorSchool(intro, [SchoolEvent(i, boxes[i.id]) for i in coming], over, materials,
                        more_upcoming, more_past, more_materials)
