"""The admin read model: the curator's start page and the choice lists of admin forms
(``compat.choice``: WTForms' ``SelectChoice`` where it has one).

Unlike the rest of ``queries`` this shows the curator everything, hidden things
included; what is or is not public it learns from ``rules``, as the public side does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import clock as clocks
from .. import rules
from ..compat import Choice, choice
from ..models import (
    Assessment,
    AssessmentStage,
    Case,
    Consent,
    Direction,
    NewsItem,
    NewsKind,
    Participation,
    Person,
    PlanEvent,
    Program,
    ProgramForm,
    ProgramStatus,
)
from ..models.content import Publishable
from ..monitoring import people
from .base import Clock

#: The programmes still under way, whose planned end the curator watches.
RUNNING = (ProgramStatus.ACTIVE, ProgramStatus.PLANNED)
#: How far ahead the start page looks for programmes ending and for announcements.
ENDING_WITHIN = timedelta(days=30)
WEEK = timedelta(days=7)
#: The entry score is due within a month of the start; the справка-отчёт within 30 days
#: of the end (regional order); consents are renewed before they lapse.
SCORE_WITHIN = timedelta(days=30)
REPORT_WITHIN = timedelta(days=30)
CONSENT_WITHIN = timedelta(days=30)

#: Why a case whose programme allows it is still not on the site, by its publication state.
_CASE_WAITING = {
    rules.PublicationState.DRAFT: "Черновик: откройте кейс и опубликуйте, когда он готов.",
    rules.PublicationState.TAKEN_DOWN: "Снят с сайта.",
    rules.PublicationState.LIVE: "На сайте.",
}


def publication_state_text(item: Publishable, now: datetime) -> str:
    """The state for an admin list: «Черновик», «Выйдет 01.09.2026 09:00», «На сайте»,
    «Снято с сайта»."""
    state = rules.publication_state(item, now)
    if state is rules.PublicationState.SCHEDULED:
        return f"{state.label} {clocks.to_local(item.published_at):%d.%m.%Y %H:%M}"
    return state.label


def case_waiting_reason(case: Case, now: datetime) -> str:
    """Why a case is not public yet: its programme first (п. 8.2), then its own state."""
    problem = rules.case_publication_problem(case.program)
    if problem:
        return problem
    state = rules.publication_state(case, now)
    if state is rules.PublicationState.SCHEDULED:
        return publication_state_text(case, now) + "."
    return _CASE_WAITING[state]


@dataclass
class Dashboard:
    today: date
    ending: list[Program]
    without_case: list[Program]
    waiting: list[tuple[Case, str]]
    unconsented: list[Person]
    week: list[NewsItem]
    # monitoring (issue 10): what the regulations ask of the curator
    no_entry_score: list[Program]
    reports_due: list[tuple[Program, date]]
    overdue: list[PlanEvent]
    late_start: list[Program]
    young_alone: list[Person]
    bank_idle: list[Person]
    consents_ending: list[Consent]


def dashboard(sess: Session, clock: Clock, now_local: datetime) -> Dashboard:
    """What needs the curator's attention today: five lists, a fixed number of statements."""
    today, now = clock.today, clock.now
    ending = sess.scalars(
        sa.select(Program)
        .where(Program.status.in_(RUNNING), Program.planned_end_on <= today + ENDING_WITHIN)
        .order_by(Program.planned_end_on)
    ).all()
    without_case = sess.scalars(
        sa.select(Program)
        .where(rules.program_completed_clause(),
               ~sa.exists().where(Case.program_id == Program.id))
        .order_by(Program.ended_on.desc().nulls_last())
    ).all()
    waiting = sess.scalars(
        sa.select(Case)
        .where(sa.not_(rules.case_clause(now)))
        .options(joinedload(Case.program))
        .order_by(Case.updated_at.desc())
    ).all()
    unconsented = sess.scalars(
        sa.select(Person)
        .where(
            Person.id.in_(sa.select(Participation.person_id).join(Program)
                          .where(rules.program_clause())),
            sa.not_(rules.person_clause(today)),
        )
        .options(selectinload(Person.consents))
        .order_by(Person.last_name)
    ).all()
    week = sess.scalars(
        sa.select(NewsItem)
        .where(
            NewsItem.kind == NewsKind.ANNOUNCEMENT,
            NewsItem.event_starts_at >= now_local,
            NewsItem.event_starts_at <= now_local + WEEK,
        )
        .order_by(NewsItem.event_starts_at)
    ).all()
    no_entry_score = sess.scalars(
        sa.select(Program)
        .where(Program.status.in_(RUNNING), Program.starts_on <= today - SCORE_WITHIN,
               ~sa.exists().where(Assessment.program_id == Program.id,
                                  Assessment.stage == AssessmentStage.ENTRY))
        .order_by(Program.starts_on)
    ).all()
    reports_due = sess.scalars(
        sa.select(Program)
        .where(Program.status == ProgramStatus.COMPLETED,
               Program.ended_on >= today - REPORT_WITHIN)
        .order_by(Program.ended_on)
    ).all()
    overdue = sess.scalars(
        sa.select(PlanEvent).join(Program)
        .where(Program.status.in_(RUNNING), PlanEvent.due_on < today,
               PlanEvent.done_on.is_(None), PlanEvent.not_done_reason == "")
        .options(joinedload(PlanEvent.program))
        .order_by(PlanEvent.due_on, PlanEvent.id)
    ).all()
    late_start = sess.scalars(
        sa.select(Program)
        .where(Program.status == ProgramStatus.PLANNED, Program.starts_on < today)
        .order_by(Program.starts_on)
    ).all()
    bank_idle = sess.scalars(
        sa.select(Person)
        .where(sa.or_(Person.in_mentor_bank.is_(True), Person.in_mentee_bank.is_(True)),
               ~sa.exists().where(Participation.person_id == Person.id,
                                  Participation.program_id == Program.id,
                                  Program.status.in_(RUNNING)))
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    consents_ending = sess.scalars(
        sa.select(Consent)
        .where(Consent.withdrawn_on.is_(None), Consent.valid_until >= today,
               Consent.valid_until <= today + CONSENT_WITHIN)
        .options(joinedload(Consent.person))
        .order_by(Consent.valid_until)
    ).all()
    return Dashboard(
        today=today, ending=list(ending), without_case=list(without_case),
        waiting=[(c, case_waiting_reason(c, now)) for c in waiting],
        unconsented=list(unconsented), week=list(week),
        no_entry_score=list(no_entry_score),
        # the query picks completed programmes, so ended_on is set
        reports_due=[(p, (p.ended_on or today) + REPORT_WITHIN) for p in reports_due],
        overdue=list(overdue), late_start=list(late_start),
        young_alone=people.young_specialists_without_mentor(sess),
        bank_idle=list(bank_idle), consents_ending=list(consents_ending),
    )


# -- choice lists of admin forms ---------------------------------------------------------

def people_choices(sess: Session) -> list[Choice]:
    """Everyone, by surname: «Иванова Мария Петровна»."""
    rows = sess.execute(
        sa.select(Person.id, Person.last_name, Person.first_name, Person.middle_name)
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    return [choice(r.id, " ".join(x for x in (r.last_name, r.first_name, r.middle_name)
                                        if x)) for r in rows]


def participations_of(sess: Session, person_id: int, limit: int = 10) -> list[Participation]:
    """A person's programmes, newest first, for the consent to take part."""
    return list(sess.scalars(
        sa.select(Participation).join(Participation.program)
        .where(Participation.person_id == person_id)
        .options(joinedload(Participation.program))
        .order_by(Program.starts_on.desc(), Participation.id.desc()).limit(limit)))


def program_choices(sess: Session) -> list[Choice]:
    """Every programme, newest first, with its state: «Проект „Старт“ (реализуется)»."""
    rows = sess.execute(
        sa.select(Program.id, Program.title, Program.status).order_by(Program.starts_on.desc())
    ).all()
    return [choice(r.id, f"{r.title} ({r.status.label.lower()})") for r in rows]


def direction_choices(sess: Session) -> list[Choice]:
    """The directions of mentoring, in the school's order."""
    return [choice(d.id, d.name)
            for d in sess.scalars(sa.select(Direction).order_by(Direction.sort, Direction.id))]


def program_form_choices(sess: Session) -> list[Choice]:
    """The forms of mentoring with their target group: «учитель – учитель (педагоги)»."""
    return [
        choice(f.id, f"{f.name} ({f.target_group.label.lower()})")
        for f in sess.scalars(sa.select(ProgramForm).order_by(ProgramForm.sort))
    ]
