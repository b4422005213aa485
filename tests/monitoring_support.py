"""Builders for the monitoring tests: an in-memory sheet shaped like the default one, and
a filled sheet's answers. No database needed for the sheet's arithmetic."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site.models import (
    AnswerOption,
    Criterion,
    Indicator,
    Level,
    PlanTemplate,
    Sheet,
)

# The default sheet's shape: 5 + 2 + 2 indicators, points 2 / 1 / 0, three levels.
SHAPE = (5, 2, 2)


def sheet(levels=(("оптимальный", 15, 18), ("допустимый", 9, 14),
                  ("недопустимый", 0, 8))) -> Sheet:
    """A sheet not in any session, with ids set so answers can refer to indicators."""
    s = Sheet(id=1, name="Тестовый лист", active=True)
    n = 0
    for c, size in enumerate(SHAPE, 1):
        criterion = Criterion(id=c, title=f"Критерий {c}", sort=c)
        for i in range(size):
            n += 1
            criterion.indicators.append(Indicator(id=n, title=f"Показатель {n}", sort=i))
        s.criteria.append(criterion)
    s.answers = [AnswerOption(label=label, points=p, sort=i) for i, (label, p) in enumerate(
        [("Проявляется в полной мере", 2), ("Частично проявляется", 1),
         ("Не проявляется", 0)])]
    s.levels = [Level(name=name, min_total=lo, max_total=hi, sort=i)
                for i, (name, lo, hi) in enumerate(levels)]
    return s


def answers(sheet_: Sheet, points) -> list[tuple[int, int]]:
    """Pair the sheet's indicators, in order, with the given points."""
    indicators = sheet_.indicators
    assert len(indicators) == len(points)
    return [(i.id, p) for i, p in zip(indicators, points, strict=True)]


def default_sheet(sess) -> Sheet:
    return sess.scalars(sa.select(Sheet).order_by(Sheet.id)).one()


def default_template(sess) -> PlanTemplate:
    return sess.scalars(sa.select(PlanTemplate).order_by(PlanTemplate.id)).first()
