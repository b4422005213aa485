"""The plan's outcomes and templates, and completion with reasons, without HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentoring_site import lifecycle as lc
from mentoring_site.models import (
    PlanEvent,
    PlanOutcome,
    PlanStage,
    PlanTemplate,
    PlanTemplateItem,
    Program,
    ProgramStatus,
)
from mentoring_site.monitoring import MonitoringError, plan
from tests import factories as f
from tests import monitoring_support as ms

START = date(2026, 1, 31)


def program(*titles: str) -> Program:
    p = Program(title="Пара", starts_on=START, initial_end_on=date(2026, 7, 31),
                planned_end_on=date(2026, 7, 31), status=ProgramStatus.ACTIVE)
    p.extensions = []
    for title in titles:
        plan.add_event(p, title, stage=PlanStage.PRACTICAL, responsible=" Наставник ")
    return p


def test_outcomes_done_not_done_open():
    p = program("Встреча", "Открытый урок", "Семинар")
    meeting, lesson, seminar = p.events
    plan.mark_done(meeting, date(2026, 2, 5), " Составлен план ")
    plan.mark_not_done(lesson, "Карантин в школе")
    assert (meeting.outcome, lesson.outcome, seminar.outcome) == (
        PlanOutcome.DONE, PlanOutcome.NOT_DONE, PlanOutcome.OPEN)
    assert meeting.result == "Составлен план" and meeting.responsible == "Наставник"
    tally = plan.tally(p)
    assert (tally.total, tally.done, tally.not_done, tally.open) == (3, 1, 1, 1)
    assert (tally.percent_done, tally.percent_not_done) == (33, 33)
    assert lc.percent_done(p) == 33  # done / all, as before
    # a later mark replaces the earlier one: never both at once
    plan.mark_done(lesson, date(2026, 4, 1))
    assert lesson.not_done_reason == "" and lesson.outcome is PlanOutcome.DONE
    plan.mark_not_done(meeting, "Перенесено")
    assert meeting.done_on is None and meeting.result == ""
    plan.reopen(meeting)
    assert meeting.outcome is PlanOutcome.OPEN


def test_outcome_marks_are_checked():
    p = program("Встреча")
    [event] = p.events
    with pytest.raises(MonitoringError, match="причину, по которой «Встреча»"):
        plan.mark_not_done(event, "  ")
    with pytest.raises(MonitoringError, match="раньше начала программы"):
        plan.mark_done(event, START - timedelta(days=1))
    with pytest.raises(MonitoringError, match="Назовите мероприятие"):
        plan.add_event(p, " ")
    with pytest.raises(MonitoringError, match="Срок мероприятия"):
        plan.add_event(p, "Рано", due_on=START - timedelta(days=1))


def test_completion_with_a_reason_is_allowed_without_refused():
    p = program("Встреча", "Открытый урок", "Мастер-класс")
    meeting, lesson, master = p.events
    plan.mark_done(meeting, date(2026, 2, 5))
    plan.mark_done(master, date(2026, 5, 5))
    with pytest.raises(lc.LifecycleError, match="Не отмечены мероприятия плана: «Открытый урок»"):
        lc.complete(p, date(2026, 7, 31))
    assert p.status is ProgramStatus.ACTIVE
    plan.mark_not_done(lesson, "Наставляемый был на больничном; урок перенесён в новый план")
    lc.complete(p, date(2026, 7, 31))
    assert p.status is ProgramStatus.COMPLETED and lc.percent_done(p) == 67
    assert plan.tally(p).percent_not_done == 33
    with pytest.raises(MonitoringError, match="больше не меняется"):
        plan.mark_done(lesson, date(2026, 7, 1))


def test_completion_still_needs_a_plan():
    with pytest.raises(lc.LifecycleError, match="нет мероприятий"):
        lc.complete(program(), date(2026, 7, 31))


def test_plan_grouped_by_stage_in_order():
    p = program()
    plan.add_event(p, "Итоги", stage=PlanStage.FINAL)
    plan.add_event(p, "Без этапа")
    plan.add_event(p, "Знакомство", stage=PlanStage.ORGANIZATIONAL)
    plan.add_event(p, "Урок", stage=PlanStage.PRACTICAL)
    assert [(s, [e.title for e in es]) for s, es in plan.by_stage(p)] == [
        (PlanStage.ORGANIZATIONAL, ["Знакомство"]), (PlanStage.PRACTICAL, ["Урок"]),
        (PlanStage.FINAL, ["Итоги"]), (None, ["Без этапа"])]


# -- term and extensions (Положение 7.2; regional order 2.6) ----------------------------------


@pytest.mark.parametrize(("end", "message"), [
    (date(2026, 4, 29), "не меньше 3 месяцев"),
    (date(2027, 2, 1), "не больше 1 года"),
])
def test_initial_term_limits_have_clear_messages(end, message):
    with pytest.raises(lc.LifecycleError, match=message):
        lc.check_term(START, end)


def test_extensions_end_at_most_a_year_after_the_initial_end():
    p = program()
    lc.extend(p, date(2027, 1, 31), "Решение участников", date(2026, 7, 1))
    lc.extend(p, date(2027, 7, 31), "Решение участников", date(2027, 1, 10))  # a year in all
    with pytest.raises(lc.LifecycleError,
                       match=r"не больше чем на год после первоначальной даты окончания "
                             r"\(31\.07\.2026\): поставьте новую дату не позже 31\.07\.2027"):
        lc.extend(p, date(2027, 8, 1), "Ещё немного", date(2027, 7, 1))
    assert p.planned_end_on == date(2027, 7, 31) and len(p.extensions) == 2


# -- templates --------------------------------------------------------------------------------


def test_apply_the_seeded_template(db):
    template = ms.default_template(db)
    assert [i.stage for i in template.items][:1] == [PlanStage.ORGANIZATIONAL]
    assert [i.stage for i in template.items][-1] is PlanStage.FINAL
    p = f.program(db, starts_on=START, initial_end_on=date(2027, 1, 31),
                  planned_end_on=date(2027, 1, 31))
    p.events.clear()
    db.add(p)
    events = plan.apply_template(p, template)
    db.flush()
    assert [e.title for e in p.events] == [i.title for i in template.items]
    assert len(events) == len(template.items) >= 10
    first = events[0]
    assert first.due_on == START + timedelta(days=template.items[0].due_offset_days)
    assert first.outcome is PlanOutcome.OPEN and first.responsible
    assert {e.stage for e in events} == set(PlanStage)
    assert any(e.work_form is not None and e.work_form.name == "Супервизия" for e in events)
    assert all(e.due_on <= p.planned_end_on for e in events)
    with pytest.raises(MonitoringError, match="уже есть мероприятия"):
        plan.apply_template(p, template)


def test_a_year_template_fits_a_shorter_programme():
    p = program()
    template = PlanTemplate(name="Шаблон", items=[
        PlanTemplateItem(stage=PlanStage.ORGANIZATIONAL, title="Начало", due_offset_days=3),
        PlanTemplateItem(stage=PlanStage.FINAL, title="Итоги", due_offset_days=360)])
    start, end = plan.apply_template(p, template)
    assert start.due_on == START + timedelta(days=3) and end.due_on == p.planned_end_on
    with pytest.raises(MonitoringError, match="нет мероприятий"):
        plan.apply_template(program(), PlanTemplate(name="Пустой", items=[]))
    closed = program()
    closed.status = ProgramStatus.COMPLETED
    with pytest.raises(MonitoringError, match="уже завершена"):
        plan.apply_template(closed, template)


def test_existing_event_rows_read_their_outcome_from_done_on():
    assert PlanEvent(title="Старое", done_on=START).outcome is PlanOutcome.DONE
    assert PlanEvent(title="Старое").outcome is PlanOutcome.OPEN
