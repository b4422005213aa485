"""The plan of events as the regional order's table: «Мероприятия / Сроки / Ответственные /
Отметка о выполнении», by stage; each item's outcome; plan templates.

Why here and not in ``lifecycle``: lifecycle decides when a programme may end; this module
keeps the rows that decision (and the справка-отчёт) reads. An outcome is «выполнено» with
a date and a result, or «не выполнено» with a reason: the report lists both, so a reason is
as good as done for completion (``lifecycle.complete``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import (
    PlanEvent,
    PlanOutcome,
    PlanStage,
    PlanTemplate,
    Program,
    ProgramStatus,
    WorkForm,
)
from .errors import MonitoringError

CLOSED = (ProgramStatus.COMPLETED, ProgramStatus.ENDED_EARLY)


def _open(program: Program) -> None:
    if program.status in CLOSED:
        raise MonitoringError(f"Программа уже {program.status.label.lower()}: её план "
                              "больше не меняется.")


def add_event(
    program: Program,
    title: str,
    *,
    stage: PlanStage | None = None,
    work_form: WorkForm | None = None,
    responsible: str = "",
    due_on: date | None = None,
) -> PlanEvent:
    _open(program)
    if not title.strip():
        raise MonitoringError("Назовите мероприятие плана.")
    if due_on is not None and due_on < program.starts_on:
        raise MonitoringError("Срок мероприятия не может быть раньше начала программы "
                              f"({program.starts_on:%d.%m.%Y}).")
    event = PlanEvent(title=title.strip(), stage=stage, work_form=work_form,
                      responsible=responsible.strip(), due_on=due_on)
    program.events.append(event)
    return event


def remove_event(program: Program, event: PlanEvent) -> None:
    """Out of the plan (added by mistake); a finished programme's plan stays as reported."""
    _open(program)
    program.events.remove(event)


def mark_done(event: PlanEvent, done_on: date, result: str = "") -> None:
    """«Выполнено»: the date, and what came of it (may be filled in later)."""
    _open(event.program)
    if done_on < event.program.starts_on:
        raise MonitoringError("Мероприятие не может быть выполнено раньше начала программы "
                              f"({event.program.starts_on:%d.%m.%Y}).")
    event.done_on, event.result, event.not_done_reason = done_on, result.strip(), ""


def mark_not_done(event: PlanEvent, reason: str) -> None:
    """«Не выполнено»: the reason goes into the справка-отчёт."""
    _open(event.program)
    if not reason.strip():
        raise MonitoringError(f"Укажите причину, по которой «{event.title}» не выполнено.")
    event.done_on, event.result, event.not_done_reason = None, "", reason.strip()


def reopen(event: PlanEvent) -> None:
    """Back to «не отмечено» (a mark made by mistake)."""
    _open(event.program)
    event.done_on, event.result, event.not_done_reason = None, "", ""


@dataclass(frozen=True)
class Tally:
    """The справка-отчёт's figures: how many items, and the percentages (of all items)."""

    total: int
    done: int
    not_done: int
    open: int

    def percent(self, part: int) -> int | None:
        return round(100 * part / self.total) if self.total else None

    @property
    def percent_done(self) -> int | None:
        return self.percent(self.done)

    @property
    def percent_not_done(self) -> int | None:
        return self.percent(self.not_done)


def tally(program: Program) -> Tally:
    return tally_of(program.events)


def tally_of(events: Iterable[PlanEvent]) -> Tally:
    """The same figures for some items only (one stage of the plan)."""
    outcomes = [e.outcome for e in events]
    return Tally(total=len(outcomes), done=outcomes.count(PlanOutcome.DONE),
                 not_done=outcomes.count(PlanOutcome.NOT_DONE),
                 open=outcomes.count(PlanOutcome.OPEN))


def by_stage(program: Program) -> list[tuple[PlanStage | None, list[PlanEvent]]]:
    """The plan grouped in the order of the stages; items without a stage come last."""
    order = [*PlanStage, None]
    groups = {stage: [e for e in program.events if e.stage is stage] for stage in order}
    return [(stage, events) for stage, events in groups.items() if events]


def apply_template(program: Program, template: PlanTemplate) -> list[PlanEvent]:
    """Copy a template's items into a programme whose plan is still empty.

    Each item is due ``due_offset_days`` after the start, but never after the planned end:
    a template written for a year still fits a shorter programme (its last items then fall
    on the last day, for the curator to spread).
    """
    _open(program)
    if program.events:
        raise MonitoringError(f"В плане программы «{program.title}» уже есть мероприятия: "
                              "шаблон применяют к пустому плану. Удалите их или добавляйте "
                              "мероприятия по одному.")
    if not template.items:
        raise MonitoringError(f"В шаблоне «{template.name}» нет мероприятий.")
    events = []
    for item in template.items:
        due = min(program.starts_on + timedelta(days=item.due_offset_days),
                  program.planned_end_on)
        event = PlanEvent(title=item.title, stage=item.stage, work_form=item.work_form,
                          responsible=item.responsible, due_on=due)
        program.events.append(event)
        events.append(event)
    return events
