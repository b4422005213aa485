"""A programme's term, extension, completion and early end, without HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from mentoring_site import lifecycle as lc
from mentoring_site.models import EarlyEndReason, PlanEvent, Program, ProgramStatus

START = date(2026, 1, 31)


def program(**kw) -> Program:
    p = Program(title="Пара", starts_on=START, initial_end_on=date(2026, 7, 31),
                planned_end_on=date(2026, 7, 31), status=ProgramStatus.ACTIVE, **kw)
    p.events = [PlanEvent(title="Встреча", done_on=date(2026, 2, 5)),
                PlanEvent(title="Открытый урок")]
    p.extensions = []
    return p


@pytest.mark.parametrize(("end", "ok"), [
    (date(2026, 4, 30), True),   # 3 months, end of a short month
    (date(2026, 4, 29), False),
    (date(2027, 1, 31), True),   # exactly a year
    (date(2027, 2, 1), False),
    (START, False),
])
def test_term_is_three_months_to_a_year(end, ok):
    if ok:
        lc.check_term(START, end)
    else:
        with pytest.raises(lc.LifecycleError):
            lc.check_term(START, end)


def test_extension_keeps_history_and_may_pass_a_year():
    p = program()
    lc.extend(p, date(2027, 3, 1), "Решение участников от 01.07.2026", date(2026, 7, 1))
    assert p.planned_end_on == date(2027, 3, 1) and p.initial_end_on == date(2026, 7, 31)
    [ext] = p.extensions
    assert ext.previous_end_on == date(2026, 7, 31) and ext.new_end_on == date(2027, 3, 1)
    with pytest.raises(lc.LifecycleError, match="позже нынешней"):
        lc.extend(p, date(2027, 1, 1), "ещё", date(2026, 8, 1))
    with pytest.raises(lc.LifecycleError, match="основание"):
        lc.extend(p, date(2027, 6, 1), "  ", date(2026, 8, 1))


def test_completion_needs_the_whole_plan_done():
    p = program()
    with pytest.raises(lc.LifecycleError, match="«Открытый урок»"):
        lc.complete(p, date(2026, 7, 31))
    assert lc.percent_done(p) == 50
    p.events[1].done_on = date(2026, 5, 1)
    lc.complete(p, date(2026, 7, 31))
    assert p.status is ProgramStatus.COMPLETED and lc.percent_done(p) == 100
    with pytest.raises(lc.LifecycleError, match="уже"):
        lc.extend(p, date(2027, 1, 1), "поздно", date(2026, 8, 1))


def test_early_end_needs_a_reason_and_circumstances():
    p = program()
    with pytest.raises(lc.LifecycleError, match="обстоятельства"):
        lc.end_early(p, EarlyEndReason.PARTICIPANTS, "", date(2026, 3, 1))
    lc.end_early(p, EarlyEndReason.PARTICIPANTS, "Наставляемый переехал", date(2026, 3, 1))
    assert p.status is ProgramStatus.ENDED_EARLY
    assert p.early_end_reason is EarlyEndReason.PARTICIPANTS


def test_only_a_planned_programme_starts():
    p = program()
    p.status = ProgramStatus.PLANNED
    lc.start(p)
    assert p.status is ProgramStatus.ACTIVE
    with pytest.raises(lc.LifecycleError):
        lc.start(p)
