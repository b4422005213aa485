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

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import (
    PlanEvent,
    PlanOutcome,
    PlanStage,
    PlanTemplate,
    PlanTemplateItem,
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


def edit_event(
    event: PlanEvent,
    title: str,
    *,
    stage: PlanStage | None,
    work_form: WorkForm | None,
    responsible: str,
    due_on: date | None,
) -> None:
    """Correct an item's wording, stage, form of work, responsible or due date (its outcome
    stays: it is marked or unmarked on its own)."""
    _open(event.program)
    if not title.strip():
        raise MonitoringError("Назовите мероприятие плана.")
    if due_on is not None and due_on < event.program.starts_on:
        raise MonitoringError("Срок мероприятия не может быть раньше начала программы "
                              f"({event.program.starts_on:%d.%m.%Y}).")
    event.title, event.stage, event.work_form = title.strip(), stage, work_form
    event.responsible, event.due_on = responsible.strip(), due_on


def remove_event(event: PlanEvent) -> None:
    """Only an unmarked item leaves the plan: a done one, or one with a reason, is what the
    справка-отчёт reports (take the mark off first if it was a mistake)."""
    _open(event.program)
    if event.outcome is not PlanOutcome.OPEN:
        mark = event.outcome.label.lower()
        raise MonitoringError(f"«{event.title}» уже отмечено ({mark}): такое "
                              "мероприятие не удаляют, оно войдёт в справку-отчёт. Если "
                              "отметка ошибочна, сначала снимите её.")
    event.program.events.remove(event)


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


# -- templates --------------------------------------------------------------------------------

MAX_OFFSET_DAYS = 3650


def template_name_problem(sess: Session, template: PlanTemplate) -> str | None:
    """A second template of the same name could not be told apart in the list."""
    name = " ".join((template.name or "").split()).casefold()
    with sess.no_autoflush:
        rows = sess.execute(sa.select(PlanTemplate.id, PlanTemplate.name)).all()
    if any(" ".join(r.name.split()).casefold() == name and r.id != template.id for r in rows):
        return f"Шаблон «{template.name}» уже есть: назовите новый по-другому."
    return None


def _template_item_values(title: str, due_offset_days: int) -> str:
    if not title.strip():
        raise MonitoringError("Назовите мероприятие шаблона.")
    if not 0 <= due_offset_days <= MAX_OFFSET_DAYS:
        raise MonitoringError(f"Срок — от 0 до {MAX_OFFSET_DAYS} дней от начала программы.")
    return title.strip()


def add_template_item(template: PlanTemplate, title: str, *, stage: PlanStage,
                      work_form: WorkForm | None = None, responsible: str = "",
                      due_offset_days: int = 0) -> PlanTemplateItem:
    item = PlanTemplateItem(title=_template_item_values(title, due_offset_days), stage=stage,
                            work_form=work_form, responsible=responsible.strip(),
                            due_offset_days=due_offset_days,
                            sort=max((i.sort for i in template.items), default=0) + 1)
    template.items.append(item)
    return item


def edit_template_item(item: PlanTemplateItem, title: str, *, stage: PlanStage,
                       work_form: WorkForm | None, responsible: str,
                       due_offset_days: int) -> None:
    item.title = _template_item_values(title, due_offset_days)
    item.stage, item.work_form, item.responsible = stage, work_form, responsible.strip()
    item.due_offset_days = due_offset_days


def template_item(template: PlanTemplate, item_id: int) -> PlanTemplateItem:
    item = next((i for i in template.items if i.id == item_id), None)
    if item is None:
        raise MonitoringError("Такого мероприятия в шаблоне нет: обновите страницу.")
    return item


def remove_template_item(template: PlanTemplate, item_id: int) -> PlanTemplateItem:
    """Programmes made from the template keep their copies: nothing refers to an item."""
    item = template_item(template, item_id)
    template.items.remove(item)
    return item


def move_template_item(template: PlanTemplate, item_id: int, step: int) -> PlanTemplateItem:
    """One place up (``step`` −1) or down (+1); the order is renumbered 1, 2, 3..."""
    items = list(template.items)
    item = template_item(template, item_id)
    at = items.index(item)
    to = min(max(at + step, 0), len(items) - 1)
    items.insert(to, items.pop(at))
    for n, i in enumerate(items, 1):
        i.sort = n
    template.items = items
    return item


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
