"""Programmes: the running and finished ones the section shows, with their progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import rules
from ..models import Case, Participation, Person, Program, ProgramStatus, Role
from .base import Clock, NotFound, Paged, paged


@dataclass
class ProgramCard:
    """A programme as the pages and the API show it. What of it is public beyond the
    programme itself comes as flags from ``rules``: templates and the API read them and
    never compare statuses."""

    program: Program
    mentors: list[rules.PublicPerson]
    mentees: list[rules.PublicPerson]
    hidden_people: int
    percent_done: int | None
    results_public: bool = False
    early_end_public: bool = False


def program_card(program: Program, today: date) -> ProgramCard:
    mentors: list[rules.PublicPerson] = []
    mentees: list[rules.PublicPerson] = []
    hidden = 0
    for part in program.participations:
        shown = rules.public_person(part.person, today)
        if shown is None:
            hidden += 1
        else:
            (mentors if part.role is Role.MENTOR else mentees).append(shown)
    events = program.events
    percent = round(100 * sum(1 for e in events if e.done_on) / len(events)) if events else None
    return ProgramCard(program, mentors, mentees, hidden, percent,
                       results_public=rules.results_public(program),
                       early_end_public=rules.early_end_public(program))


def program_load():
    # Participants, their consents and photos come in one statement per page of
    # programmes: a group of any size costs no extra round trips.
    person = selectinload(Program.participations).joinedload(Participation.person)
    return (
        joinedload(Program.form),
        person.joinedload(Person.consents),
        person.joinedload(Person.photo),
        selectinload(Program.events),
        selectinload(Program.directions),
    )


PROGRAM_STATUS_ORDER = sa.case(
    (Program.status == ProgramStatus.ACTIVE, 0),
    (Program.status == ProgramStatus.PLANNED, 1),
    else_=2,
)


def programs(
    sess: Session, clock: Clock, page: int, per_page: int, status: ProgramStatus | None = None
) -> Paged[ProgramCard]:
    stmt = sa.select(Program).where(rules.program_clause()).options(*program_load())
    if status is not None:
        stmt = stmt.where(Program.status == status)
    stmt = stmt.order_by(PROGRAM_STATUS_ORDER, Program.starts_on.desc(), Program.id.desc())
    result = paged(sess, stmt, page, per_page)
    result.items = [program_card(p, clock.today) for p in result.items]
    return result


@dataclass
class ProgramView:
    card: ProgramCard
    cases: list[Case]


def program_page(sess: Session, clock: Clock, slug: str) -> ProgramView:
    program = sess.scalar(
        sa.select(Program)
        .where(Program.slug == slug, rules.program_clause())
        .options(*program_load(), selectinload(Program.extensions))
    )
    if program is None:
        raise NotFound(slug)
    cases = sess.scalars(
        sa.select(Case)
        .where(Case.program_id == program.id, rules.case_clause(clock.now))
        .order_by(Case.published_at.desc())
    ).all()
    return ProgramView(program_card(program, clock.today), list(cases))
