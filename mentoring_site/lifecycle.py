"""A programme's life: its term, extensions, completion, early end (Положение, ч. 7).

Domain functions take plain values and raise ``LifecycleError`` with a Russian
message the admin shows as is; they are tested without HTTP.
"""

from __future__ import annotations

import calendar
from datetime import date

from .models import (
    EarlyEndReason,
    Participation,
    Person,
    PlanOutcome,
    Program,
    ProgramExtension,
    ProgramStatus,
    Role,
)

MIN_MONTHS, MAX_MONTHS = 3, 12
# Regional order 2.6: after the term set, mentoring «может быть продлено ещё на период до
# одного года» — all extensions together end at most a year after the initial end.
MAX_EXTENSION_MONTHS = 12


class LifecycleError(ValueError):
    """The change would break a rule of the Положение; the message says which."""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def check_term(starts_on: date, ends_on: date) -> None:
    """A programme runs from 3 months to 1 year (extensions may go beyond)."""
    if ends_on <= starts_on:
        raise LifecycleError("Дата окончания должна быть позже даты начала.")
    if ends_on < add_months(starts_on, MIN_MONTHS):
        raise LifecycleError("Программа длится не меньше 3 месяцев: перенесите дату окончания "
                             f"не раньше чем на {add_months(starts_on, MIN_MONTHS):%d.%m.%Y}.")
    if ends_on > add_months(starts_on, MAX_MONTHS):
        raise LifecycleError("Программа длится не больше 1 года: поставьте окончание не позже "
                             f"{add_months(starts_on, MAX_MONTHS):%d.%m.%Y}. Продлить её можно "
                             "потом, по обоюдному согласию участников.")


def check_extension(initial_end_on: date, new_end: date) -> None:
    """All extensions together: at most a year beyond the end first planned."""
    limit = add_months(initial_end_on, MAX_EXTENSION_MONTHS)
    if new_end > limit:
        raise LifecycleError(
            "Программу можно продлить не больше чем на год после первоначальной даты "
            f"окончания ({initial_end_on:%d.%m.%Y}): поставьте новую дату не позже "
            f"{limit:%d.%m.%Y}."
        )


def percent_done(program: Program) -> int | None:
    events = program.events
    if not events:
        return None
    return round(100 * sum(1 for e in events if e.done_on) / len(events))


def _still_running(program: Program) -> None:
    if program.status in (ProgramStatus.COMPLETED, ProgramStatus.ENDED_EARLY):
        raise LifecycleError(f"Программа уже {program.status.label.lower()}.")


def add_participant(program: Program, person: Person, role: Role) -> Participation:
    """A finished programme keeps the people it was reported with (the справка-отчёт and the
    completion order name them)."""
    _still_running_with(program, "её состав больше не меняется")
    if any(p.person_id == person.id for p in program.participations):
        raise LifecycleError(f"{person.full_name} уже участвует в этой программе.")
    participation = Participation(person=person, role=role)
    program.participations.append(participation)
    return participation


def remove_participant(program: Program, participation: Participation) -> None:
    _still_running_with(program, "её состав больше не меняется")
    program.participations.remove(participation)


def _still_running_with(program: Program, consequence: str) -> None:
    if program.status in (ProgramStatus.COMPLETED, ProgramStatus.ENDED_EARLY):
        raise LifecycleError(f"Программа уже {program.status.label.lower()}: {consequence}.")


def extend(program: Program, new_end: date, reason: str, decided_on: date) -> ProgramExtension:
    """Положение 7.2: by mutual agreement; the history of terms is kept."""
    _still_running(program)
    if new_end <= program.planned_end_on:
        raise LifecycleError("Новая дата окончания должна быть позже нынешней "
                             f"({program.planned_end_on:%d.%m.%Y}).")
    if not reason.strip():
        raise LifecycleError("Укажите основание продления (например, решение участников).")
    check_extension(program.initial_end_on, new_end)
    ext = ProgramExtension(decided_on=decided_on, previous_end_on=program.planned_end_on,
                           new_end_on=new_end, reason=reason.strip())
    program.extensions.append(ext)
    program.planned_end_on = new_end
    return ext


def start(program: Program) -> None:
    if program.status is not ProgramStatus.PLANNED:
        raise LifecycleError("Начать можно только запланированную программу.")
    program.status = ProgramStatus.ACTIVE


def complete(program: Program, ended_on: date) -> None:
    """Положение 7.1: the plan of events worked through: every item done, or not done with
    its reason (the reasons go into the справка-отчёт)."""
    _still_running(program)
    unmarked = [e.title for e in program.events if e.outcome is PlanOutcome.OPEN]
    if unmarked:
        raise LifecycleError(
            "Не отмечены мероприятия плана: " + "; ".join(f"«{t}»" for t in unmarked)
            + ". Отметьте каждое выполненным или укажите причину, по которой оно не "
            "выполнено, либо завершите программу досрочно с указанием причины."
        )
    if not program.events:
        raise LifecycleError("В плане программы нет мероприятий: добавьте и отметьте их.")
    if ended_on < program.starts_on:
        raise LifecycleError("Программа не может завершиться раньше, чем началась.")
    program.status, program.ended_on = ProgramStatus.COMPLETED, ended_on
    program.early_end_reason, program.early_end_note = None, ""


def end_early(program: Program, reason: EarlyEndReason, note: str, ended_on: date) -> None:
    """Положение 7.1: at the participants' or the curator's initiative, with the reason."""
    _still_running(program)
    if not note.strip():
        raise LifecycleError("Опишите обстоятельства досрочного завершения.")
    if ended_on < program.starts_on:
        raise LifecycleError("Программа не может завершиться раньше, чем началась.")
    program.status, program.ended_on = ProgramStatus.ENDED_EARLY, ended_on
    program.early_end_reason, program.early_end_note = reason, note.strip()
