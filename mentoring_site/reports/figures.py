"""The school year's figures: the one read model of the analytical report.

Why one module: the XLSX, the DOCX and a school's own template all print these tables,
and the counts the public section and the API also show (mentors and mentees in the
banks, programmes running and completed) come from ``queries.figures`` itself, so the
report can never disagree with the site for the same date. Everything else is built on
``monitoring`` (plan tally, scores, young specialists) and ``rules``.

A school year runs from 1 September to 31 August; a programme belongs to it when its term
(to the actual end, or the planned one while it runs) overlaps the year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .. import rules
from ..clock import Clock
from ..models import (
    Case,
    Direction,
    EarlyEndReason,
    Honor,
    Participation,
    Person,
    PersonKind,
    PlanEvent,
    Program,
    ProgramForm,
    ProgramStatus,
    ProgramType,
    Role,
)
from ..monitoring import assessments, plan
from ..monitoring.people import has_mentor_clause, young_specialist_clause
from ..queries.home import figures as section_figures
from ..questionnaires import satisfaction
from . import ReportError

_YEAR_RE = re.compile(r"^(\d{4})/(\d{4})$")


@dataclass(frozen=True)
class SchoolYear:
    first: int  # the calendar year the school year starts in

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        m = _YEAR_RE.match(text.strip())
        if not m or int(m[2]) != int(m[1]) + 1:
            raise ReportError(f"Учебный год «{text}» указан неверно: нужен вид 2025/2026.")
        return cls(int(m[1]))

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def starts_on(self) -> date:
        return date(self.first, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.first + 1, 8, 31)

    @property
    def label(self) -> str:
        return f"{self.first}/{self.first + 1}"


@dataclass
class Table:
    key: str  # also the XLSX sheet's name (31 characters at most)
    title: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)


@dataclass
class YearFigures:
    year: SchoolYear
    mentors_in_bank: int
    mentees_in_bank: int
    active_programs: int
    completed_programs: int
    programs: list[Program]
    mean_percent_done: float | None
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


_TEACHING = (PersonKind.TEACHER, PersonKind.LEADER)


def programs_of_year(sess: Session, year: SchoolYear) -> list[Program]:
    end = sa.func.coalesce(Program.ended_on, Program.planned_end_on)
    return list(sess.scalars(
        sa.select(Program)
        .where(Program.starts_on <= year.ends_on, end >= year.starts_on)
        # what the tables read of each programme, loaded with it: a fixed number of
        # statements however many programmes the year has (the dashboard draws them)
        .options(selectinload(Program.participations).selectinload(Participation.person),
                 selectinload(Program.directions), selectinload(Program.form),
                 selectinload(Program.events))
        .order_by(Program.starts_on, Program.id)
    ))


def _count_table(key: str, title: str, first: str, labels: list[str],
                 counter: Counter[str]) -> Table:
    rows: list[list[object]] = [[label, counter.get(label, 0)] for label in labels]
    rows += [[label, n] for label, n in counter.items() if label not in labels]
    rows.append(["Итого", sum(counter.values())])
    return Table(key, title, [first, "Программ"], rows)


def _in_year(stamp: datetime, year: SchoolYear) -> bool:
    return year.starts_on <= stamp.date() <= year.ends_on


_TEACHERS, _STUDENTS = "Педагогические работники", "Обучающиеся"


def _group_of(person: Person) -> str:
    if person.kind in _TEACHING:
        return _TEACHERS
    return _STUDENTS if person.kind is PersonKind.STUDENT else person.kind.label


def _participants(programs: list[Program]) -> Table:
    """Distinct people per role, split into teachers (with leaders) and students."""
    people: dict[Role, dict[str, set[int]]] = {r: {} for r in Role}
    for p in programs:
        for part in p.participations:
            people[part.role].setdefault(_group_of(part.person), set()).add(part.person_id)
    others = sorted({g for r in Role for g in people[r]} - {_TEACHERS, _STUDENTS})
    table = Table("Участники", "Наставники и наставляемые",
                  ["Категория", "Наставников", "Наставляемых"])
    for g in (_TEACHERS, _STUDENTS, *others):
        table.rows.append([g, len(people[Role.MENTOR].get(g, ())),
                           len(people[Role.MENTEE].get(g, ()))])
    table.rows.append(["Итого", *(len(set().union(*people[r].values()))
                                  for r in (Role.MENTOR, Role.MENTEE))])
    return table


def _young_specialists(sess: Session) -> Table:
    young = sa.select(sa.func.count()).select_from(Person).where(young_specialist_clause())
    with_mentor = sess.scalar(young.where(has_mentor_clause())) or 0
    without = sess.scalar(young.where(~has_mentor_clause())) or 0
    return Table("Молодые специалисты", "Молодые специалисты (на дату составления)",
                 ["Показатель", "Человек"],
                 [["С наставником", with_mentor], ["Без наставника", without],
                  ["Всего", with_mentor + without]])


def _program_tables(sess: Session, programs: list[Program]) -> list[Table]:
    """Pairs and groups; programmes by form, type, direction, status, early-end reason."""
    groups_n = sum(1 for p in programs if p.is_group)
    pairs = Table("Пары и группы", "Наставнические пары и группы", ["Вид", "Программ"],
                  [["Пары", len(programs) - groups_n], ["Группы", groups_n],
                   ["Итого", len(programs)]])
    forms = [f.name for f in sess.scalars(sa.select(ProgramForm)
                                          .order_by(ProgramForm.sort, ProgramForm.id))]
    directions = [d.name for d in sess.scalars(sa.select(Direction)
                                               .order_by(Direction.sort, Direction.id))]
    by_direction = _count_table("Направления", "Программы по направлениям", "Направление",
                                directions, Counter(d.name for p in programs
                                                    for d in p.directions))
    # a programme may have several directions: the last row counts programmes, not links
    by_direction.rows[-1] = ["Программ с направлениями", sum(1 for p in programs
                                                              if p.directions)]
    early = Counter(p.early_end_reason.label for p in programs
                    if p.status is ProgramStatus.ENDED_EARLY and p.early_end_reason)
    return [
        pairs,
        _count_table("Формы", "Программы по формам наставничества", "Форма", forms,
                     Counter(p.form.name for p in programs)),
        _count_table("Виды", "Программы по видам наставничества", "Вид",
                     [t.label for t in ProgramType], Counter(p.type.label for p in programs)),
        by_direction,
        _count_table("Статусы", "Программы по статусам", "Статус",
                     [s.label for s in ProgramStatus],
                     Counter(p.status.label for p in programs)),
        _count_table("Досрочные завершения", "Досрочные завершения по причинам", "Причина",
                     [r.label for r in EarlyEndReason], early),
    ]


def _plan_done(programs: list[Program]) -> tuple[Table, float | None]:
    """Each programme's plan tally, and the mean % done of those that have a plan."""
    table = Table("Выполнение плана", "Выполнение планов мероприятий",
                  ["Программа", "Статус", "Мероприятий", "Выполнено", "Не выполнено",
                   "Не отмечено", "% выполненных"])
    percents: list[int] = []
    for p in programs:
        t = plan.tally(p)
        if t.percent_done is not None:
            percents.append(t.percent_done)
        table.rows.append([p.title, p.status.label, t.total, t.done, t.not_done, t.open,
                           t.percent_done])
    mean = round(sum(percents) / len(percents), 1) if percents else None
    return table, mean


def _levels(sess: Session, programs: list[Program]) -> Table:
    """How many scored mentees (or groups) were at each level «на входе» and «по итогам»."""
    levels: dict[str, list[int]] = {}
    scores = assessments.scores_of_programs(sess, programs)
    for p in programs:
        for row in assessments.program_scores(sess, p, scores[p.id]):
            for i, name in enumerate((row.change.level_before, row.change.level_after)):
                if name:
                    levels.setdefault(name, [0, 0])[i] += 1
    return Table("Эффективность", "Уровни эффективности (листы оценки)",
                 ["Уровень", "На входе", "По итогам"],
                 [[name, a, b] for name, (a, b) in levels.items()])


def _published(sess: Session, year: SchoolYear, clock: Clock) -> list[Table]:
    """Cases and honours published in the year and public now (``rules``)."""
    cases = [c for c in sess.scalars(sa.select(Case).where(rules.case_clause(clock.now))
                                     .order_by(Case.published_at, Case.id))
             if _in_year(c.published_at, year)]
    honors = [h for h in sess.scalars(sa.select(Honor)
                                      .where(rules.honor_clause(clock.now, clock.today))
                                      .order_by(Honor.published_at, Honor.id))
              if _in_year(h.published_at, year)]
    return [
        Table("Кейсы", "Опубликованные кейсы", ["Дата", "Кейс", "Программа"],
              [[c.published_at.date(), c.title, c.program.title] for c in cases]),
        Table("Награды", "«Наши наставники»: награды", ["Год", "Награда", "Кому"],
              [[h.year, h.title, h.person.full_name
                + (f", {h.partner.full_name}" if h.partner else "")] for h in honors]),
    ]


def _events_held(sess: Session, year: SchoolYear) -> Table:
    """Plan items marked done with a date in the year."""
    events = sess.scalars(
        sa.select(PlanEvent).where(PlanEvent.done_on.between(year.starts_on, year.ends_on))
        .order_by(PlanEvent.done_on, PlanEvent.id)
    ).all()
    return Table("Мероприятия", "Проведённые мероприятия",
                 ["Дата", "Мероприятие", "Форма работы", "Программа", "Результат"],
                 [[e.done_on, e.title, e.work_form.name if e.work_form else "",
                   e.program.title, e.result] for e in events])


SATISFACTION_HEADER = ["Программа", "Вопрос", "Ответов", "Средняя оценка",
                       *(f"Оценка {m}" for m in satisfaction.MARKS)]


def _satisfaction(sess: Session, year: SchoolYear) -> Table:
    """The feedback questionnaires' scale questions per programme (the admin's roll-up)."""
    table = Table("Удовлетворённость", "Удовлетворённость участием в программах (анкеты)",
                  SATISFACTION_HEADER)
    for group in satisfaction.rollup(sess, year=year.first):
        for f in group.figures:
            table.rows.append([group.program_title, f.question, f.answered, f.mean,
                               *f.counts])
    return table


def year_figures(sess: Session, year: SchoolYear, clock: Clock) -> YearFigures:
    site = section_figures(sess, clock)
    programs = programs_of_year(sess, year)
    plan_done, mean = _plan_done(programs)
    cases, honors = _published(sess, year, clock)
    events = _events_held(sess, year)
    summary = Table("Сводка", "Сводные показатели", ["Показатель", "Значение"], [
        ["Учебный год", year.label],
        ["Наставников в базе", site.mentors],
        ["Наставляемых в базе", site.mentees],
        ["Программ реализуется (на сайте)", site.active_programs],
        ["Программ завершено (на сайте)", site.completed_programs],
        ["Программ в учебном году", len(programs)],
        ["Средний % выполнения плана", mean if mean is not None else "—"],
        ["Мероприятий проведено", len(events.rows)],
        ["Кейсов опубликовано", len(cases.rows)],
        ["Наград", len(honors.rows)],
    ])
    tables = [summary, _participants(programs), _young_specialists(sess),
              *_program_tables(sess, programs), plan_done, _levels(sess, programs),
              cases, honors, events, _satisfaction(sess, year)]
    return YearFigures(year, site.mentors, site.mentees, site.active_programs,
                       site.completed_programs, programs, mean, tables)


def school_years(sess: Session, today: date) -> list[SchoolYear]:
    """The years a report can be asked for: from the first programme's to this one, newest
    first (this year alone when there are no programmes yet)."""
    first = sess.scalar(sa.select(sa.func.min(Program.starts_on)))
    now = SchoolYear.of(today)
    start = min(SchoolYear.of(first).first, now.first) if first else now.first
    return [SchoolYear(y) for y in range(now.first, start - 1, -1)]


_REPORT_ORDER = {ProgramStatus.COMPLETED: 0, ProgramStatus.ENDED_EARLY: 1,
                 ProgramStatus.ACTIVE: 2, ProgramStatus.PLANNED: 3}


def report_programs(sess: Session) -> list[Program]:
    """Every programme for the «Отчёты» screen: completed first (their справки are due),
    then ended early, running, planned; the latest first within each."""
    order = sa.case(*((Program.status == s, n) for s, n in _REPORT_ORDER.items()), else_=9)
    return list(sess.scalars(sa.select(Program).order_by(
        order, sa.func.coalesce(Program.ended_on, Program.planned_end_on).desc(),
        Program.id.desc())))
