"""The section home: figures, the last update, the curator, what is coming up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.elements import ColumnElement

from .. import rules
from ..models import (
    Case,
    Document,
    Honor,
    Material,
    NewsItem,
    NewsKind,
    Page,
    Participation,
    Person,
    PersonKind,
    Program,
    ProgramStatus,
    Role,
    SectionInfo,
)
from ..monitoring.people import has_mentor_clause, young_specialist_clause
from .base import Clock, built, latest
from .news import upcoming_clause


@dataclass
class Figures:
    mentors: int
    mentees: int
    active_programs: int
    completed_programs: int
    last_updated: datetime | None


def figures(sess: Session, clock: Clock) -> Figures:
    """The figures of the home page; who is counted is ``rules``' aggregate-count rule."""
    public_tables: list[tuple[Any, ColumnElement[bool]]] = [
        (Case, rules.case_clause(clock.now)),
        (Honor, rules.honor_clause(clock.now, clock.today)),
        *((m, rules.published_clause(m, clock.now)) for m in (Document, Material, NewsItem, Page)),
    ]
    # The newest edit or publication of what the public sees: one index lookup each
    # (``latest``), not a MAX() over every row (50 ms with 100,000 news).
    stamps = [latest(m.updated_at, clause) for m, clause in public_tables]
    stamps += [latest(m.published_at, clause) for m, clause in public_tables]
    stamps.append(latest(Program.updated_at, rules.program_clause()))
    # the banks of mentors and mentees are kept up to date too: a shown person's edit counts
    stamps.append(latest(Person.updated_at, rules.person_page_clause(clock.today)))
    stamps.append(latest(SectionInfo.updated_at))
    program_counts = (
        sa.select(sa.func.count())
        .where(rules.counted_program_clause(status))
        .scalar_subquery()
        for status in (ProgramStatus.ACTIVE, ProgramStatus.COMPLETED)
    )
    active, completed = program_counts
    row = sess.execute(
        sa.select(
            *(sa.select(sa.func.count()).where(rules.counted_in_bank_clause(role))
              .scalar_subquery() for role in (Role.MENTOR, Role.MENTEE)),
            active,
            completed,
            *stamps,
        )
    ).one()
    moments = [v for v in row[4:] if v is not None]
    return Figures(*row[:4], max(moments) if moments else None)


@dataclass
class RegistryFigures:
    """The further counts the municipal registry gathers from every school (``Summary``).

    Counts only, of everyone (``rules``' aggregate-count rule): a count names nobody.
    Pairs and groups are the public programmes running now, a group having more than one
    mentee; the bank of mentees splits into pupils and the rest (teachers, leaders,
    partners: adults).
    """

    planned_programs: int
    ended_early_programs: int
    pairs: int
    groups: int
    mentees_teachers: int
    mentees_pupils: int
    young_specialists: int
    young_specialists_with_mentor: int
    cases: int
    honors: int


def registry_figures(sess: Session, clock: Clock) -> RegistryFigures:
    """One statement, whatever the size of the section."""
    def count(*where: ColumnElement[bool], of: Any = None) -> Any:
        stmt = sa.select(sa.func.count())
        if of is not None:
            stmt = stmt.select_from(of)
        return stmt.where(*where).scalar_subquery()

    mentees = (
        sa.select(sa.func.count()).where(Participation.program_id == Program.id,
                                         Participation.role == Role.MENTEE)
        .scalar_subquery()
    )
    running = rules.counted_program_clause(ProgramStatus.ACTIVE)
    young = young_specialist_clause()
    bank = rules.counted_in_bank_clause(Role.MENTEE)
    row = sess.execute(sa.select(
        count(rules.counted_program_clause(ProgramStatus.PLANNED), of=Program),
        count(rules.counted_program_clause(ProgramStatus.ENDED_EARLY), of=Program),
        count(running, mentees <= 1, of=Program),
        count(running, mentees > 1, of=Program),
        count(bank, Person.kind != PersonKind.STUDENT, of=Person),
        count(bank, Person.kind == PersonKind.STUDENT, of=Person),
        count(young, of=Person),
        count(young, has_mentor_clause(), of=Person),
        count(rules.case_clause(clock.now), of=Case),
        count(rules.honor_clause(clock.now, clock.today), of=Honor),
    )).one()
    return RegistryFigures(*row)  # type: ignore[call-arg]  # the columns, in order


@built
def _home_statements() -> tuple[sa.Select, sa.Select, sa.Select]:
    """The section's description, its coming announcements and its latest news, built once
    with parameters (``now``, ``now_local``, ``limit``)."""
    info = sa.select(SectionInfo).order_by(SectionInfo.id).limit(1)
    live = rules.published_clause(NewsItem, sa.bindparam("now"))
    coming = (sa.select(NewsItem).where(live, upcoming_clause(sa.bindparam("now_local")))
              .order_by(NewsItem.event_starts_at).limit(sa.bindparam("limit")))
    latest = (sa.select(NewsItem).where(live, NewsItem.kind == NewsKind.NEWS)
              .options(joinedload(NewsItem.image))
              .order_by(NewsItem.published_at.desc()).limit(sa.bindparam("limit")))
    return info, coming, latest


def section_info(sess: Session) -> SectionInfo | None:
    return sess.scalar(_home_statements()[0])


def upcoming_announcements(
    sess: Session, clock: Clock, now_local: datetime, limit: int = 3
) -> list[NewsItem]:
    return list(sess.scalars(_home_statements()[1],
                             {"now": clock.now, "now_local": now_local, "limit": limit}))


def latest_news(sess: Session, clock: Clock, limit: int = 3) -> list[NewsItem]:
    return list(sess.scalars(_home_statements()[2], {"now": clock.now, "limit": limit}))
