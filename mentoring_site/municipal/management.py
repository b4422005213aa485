"""Management mentoring's rules: the term, the states, % done, the report's due date.

Plain functions on the models, "today" passed in, so each rule is tested without HTTP.
A refused move raises ``MgmtError`` with the Russian sentence the admin shows.

The way of a programme (Положение о системе менторства, Приложение 1):
«черновик» → «на утверждении» (submitted by the office) → «утверждена» (by the municipal
curator, with the date and who) → «реализуется» → «завершена»; the report (% of events
done, events not done with reasons, conclusions) is due within 30 days of the end.
What the public sees is decided in ``municipal.rules`` (approved or later).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ..models.management import (
    MgmtPlanItem,
    MgmtProgram,
    MgmtStage,
    MgmtState,
    TeamKind,
)

MIN_MONTHS, MAX_MONTHS = 3, 12
REPORT_DAYS = 30

class MgmtError(ValueError):
    """A move the rules refuse; the message is for the user, in Russian."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it has fewer days)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_error(starts: date | None, ends: date | None) -> str | None:
    """Why this term is not 3–12 months (Положение, п. 2.6), or None."""
    if starts is None or ends is None:
        return "Укажите даты начала и окончания программы."
    if ends <= starts:
        return "Дата окончания должна быть позже даты начала."
    if ends < add_months(starts, MIN_MONTHS):
        return (f"Срок менторства — от {MIN_MONTHS} месяцев до одного года: при начале "
                f"{starts:%d.%m.%Y} окончание не раньше {add_months(starts, MIN_MONTHS):%d.%m.%Y}.")
    if ends > add_months(starts, MAX_MONTHS):
        return (f"Срок менторства — от {MIN_MONTHS} месяцев до одного года: при начале "
                f"{starts:%d.%m.%Y} окончание не позже {add_months(starts, MAX_MONTHS):%d.%m.%Y}.")
    return None


def may_edit(program: MgmtProgram) -> bool:
    """Title, teams, directions, names and term: only while a draft."""
    return program.state == MgmtState.DRAFT


def may_plan(program: MgmtProgram) -> bool:
    """Events added or removed: in a draft, and while it runs («актуализация» of the plan)."""
    return program.state in (MgmtState.DRAFT, MgmtState.RUNNING)


def may_mark(program: MgmtProgram) -> bool:
    """Done / not done: while it runs, and after the end until the report is in."""
    return program.state == MgmtState.RUNNING or (
        program.state == MgmtState.COMPLETED and program.reported_on is None)


#: The moves each state allows, in the order the buttons are shown.
NEXT_MOVES = {
    MgmtState.DRAFT: ("submit",),
    MgmtState.SUBMITTED: ("approve", "return"),
    MgmtState.APPROVED: ("start",),
    MgmtState.RUNNING: ("complete",),
    MgmtState.COMPLETED: (),
}


def next_moves(program: MgmtProgram) -> tuple[str, ...]:
    return NEXT_MOVES[program.state]


def experienced(program: MgmtProgram) -> list:
    return [t for t in program.teams if t.kind == TeamKind.EXPERIENCED]


def developing(program: MgmtProgram) -> list:
    return [t for t in program.teams if t.kind == TeamKind.DEVELOPING]


def submit_problems(program: MgmtProgram) -> list[str]:
    """What a programme lacks before it goes to the municipal curator."""
    problems = []
    if not (program.coordinator or "").strip():
        problems.append("укажите координатора")
    if not (program.curator or "").strip():
        problems.append("укажите муниципального куратора")
    term = term_error(program.starts_on, program.ends_on)
    if term:
        problems.append(term[0].lower() + term[1:].rstrip("."))
    if not experienced(program):
        problems.append("добавьте хотя бы одну опытную управленческую команду")
    if not developing(program):
        problems.append("добавьте хотя бы одну развивающуюся управленческую команду")
    if not program.directions:
        problems.append("выберите хотя бы одно направление менторства")
    stages = {item.stage for item in program.items}
    for stage in MgmtStage:
        if stage not in stages:
            problems.append(f"в плане нет мероприятий этапа «{stage.label}»")
    return problems


def _expect(program: MgmtProgram, state: MgmtState, doing: str) -> None:
    if program.state != state:
        raise MgmtError(f"Нельзя {doing}: программа сейчас в состоянии «{program.state.label}», "
                        f"а это возможно только в состоянии «{state.label}».")


def submit(program: MgmtProgram, now) -> None:
    _expect(program, MgmtState.DRAFT, "отправить на утверждение")
    problems = submit_problems(program)
    if problems:
        raise MgmtError("Программу нельзя отправить на утверждение: " + "; ".join(problems) + ".")
    program.state, program.submitted_at = MgmtState.SUBMITTED, now


def return_to_draft(program: MgmtProgram) -> None:
    _expect(program, MgmtState.SUBMITTED, "вернуть на доработку")
    program.state, program.submitted_at = MgmtState.DRAFT, None


def approve(program: MgmtProgram, by: str, today: date) -> None:
    _expect(program, MgmtState.SUBMITTED, "утвердить программу")
    program.state, program.approved_on, program.approved_by = MgmtState.APPROVED, today, by


def start(program: MgmtProgram, today: date) -> None:
    _expect(program, MgmtState.APPROVED, "начать реализацию")
    assert program.starts_on is not None
    if today < program.starts_on:
        raise MgmtError(f"Программа начинается {program.starts_on:%d.%m.%Y}: начать её "
                        "реализацию раньше нельзя.")
    program.state = MgmtState.RUNNING


def complete(program: MgmtProgram, today: date) -> None:
    """Ended on time or early (Положение, п. 2.6); every event must be marked first."""
    _expect(program, MgmtState.RUNNING, "завершить программу")
    unmarked = [item for item in program.items if item.done is None]
    if unmarked:
        raise MgmtError(f"Перед завершением отметьте выполнение каждого мероприятия: не "
                        f"отмечено {len(unmarked)}.")
    program.state, program.completed_on = MgmtState.COMPLETED, today


def mark(program: MgmtProgram, item: MgmtPlanItem, done: bool, reason: str) -> None:
    if not may_mark(program):
        raise MgmtError("Отмечать выполнение мероприятий можно, пока программа реализуется, и "
                        "после её завершения — до сдачи отчёта.")
    reason = reason.strip()
    if not done and not reason:
        raise MgmtError("Укажите причину, по которой мероприятие не выполнено.")
    item.done, item.reason = done, (None if done else reason)


def hand_in_report(program: MgmtProgram, conclusions: str, today: date) -> None:
    _expect(program, MgmtState.COMPLETED, "сдать отчёт")
    if program.reported_on is not None:
        raise MgmtError(f"Отчёт уже сдан {program.reported_on:%d.%m.%Y}.")
    if not conclusions.strip():
        raise MgmtError("Напишите общие выводы: без них отчёт не сдать.")
    program.conclusions, program.reported_on = conclusions.strip(), today


@dataclass(frozen=True)
class Progress:
    """The report's figures: % of events done and not done (of all events of the plan)."""

    total: int
    done: int
    not_done: int
    unmarked: int

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def not_done_percent(self) -> int:
        return round(100 * self.not_done / self.total) if self.total else 0


def progress(items: list[MgmtPlanItem]) -> Progress:
    done = sum(1 for i in items if i.done is True)
    not_done = sum(1 for i in items if i.done is False)
    return Progress(len(items), done, not_done, len(items) - done - not_done)


def report_due(program: MgmtProgram) -> date | None:
    """30 days after the end: the day it ended, or the planned end while it runs."""
    end = program.completed_on or program.ends_on
    return end + timedelta(days=REPORT_DAYS) if end else None


def report_overdue(program: MgmtProgram, today: date) -> bool:
    """Completed, no report, and the 30 days are over."""
    due = report_due(program)
    return (program.state == MgmtState.COMPLETED and program.reported_on is None
            and due is not None and today > due)


def stage_items(items: list[MgmtPlanItem]) -> list[tuple[MgmtStage, list[MgmtPlanItem]]]:
    """The plan in the typical programme's order: stage by stage, by due date."""
    return [(stage, sorted((i for i in items if i.stage == stage),
                           key=lambda i: (i.due_on, i.id or 0)))
            for stage in MgmtStage]
