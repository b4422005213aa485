"""The effectiveness sheet's arithmetic: answers checked, summed, banded into a level.

The one place that knows how a total and a level come about (the gymnasium's rule: nine
indicators scored 2 / 1 / 0, total 0–18; 15–18 «оптимальный», 9–14 «допустимый»,
0–8 «недопустимый»), so the admin, the public page, the API and the reports cannot
disagree. Pure functions over a loaded ``Sheet``: no session, no clock, no HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Assessment, Level, Sheet
from .errors import MonitoringError


def scale_points(sheet: Sheet) -> list[int]:
    """The points an answer may carry, highest first."""
    return sorted({a.points for a in sheet.answers}, reverse=True)


def max_total(sheet: Sheet) -> int:
    points = scale_points(sheet)
    return len(sheet.indicators) * (points[0] if points else 0)


def check_answers(sheet: Sheet, answers: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Every indicator of the sheet answered exactly once, with points from its scale.

    ``answers`` are (indicator id, points) pairs; the result maps indicator id to points.
    """
    titles = {i.id: i.title for i in sheet.indicators}
    allowed = scale_points(sheet)
    checked: dict[int, int] = {}
    for indicator_id, points in answers:
        if indicator_id not in titles:
            raise MonitoringError("Ответ относится к показателю, которого нет в листе "
                                  f"«{sheet.name}». Обновите страницу и заполните лист заново.")
        title = titles[indicator_id]
        if indicator_id in checked:
            raise MonitoringError(f"Показатель «{title}» оценён дважды: оставьте один ответ.")
        if points not in allowed:
            raise MonitoringError(
                f"Показатель «{title}»: {points} — не балл шкалы листа. Допустимо: "
                + ", ".join(str(p) for p in allowed) + "."
            )
        checked[indicator_id] = points
    missing = [title for i, title in titles.items() if i not in checked]
    if missing:
        raise MonitoringError("Не оценены показатели: " + "; ".join(f"«{t}»" for t in missing)
                              + ". Оцените каждый показатель листа.")
    return checked


def total(points: Iterable[int]) -> int:
    """The sum of the points given, one per indicator."""
    return sum(points)


def level(sheet: Sheet, total_points: int) -> Level | None:
    """The level whose band (both ends included) holds the total, or None when none does."""
    for candidate in sheet.levels:
        if candidate.min_total <= total_points <= candidate.max_total:
            return candidate
    return None


def check_levels(sheet: Sheet) -> None:
    """The bands of levels cover 0 … the maximum total once each, without gaps or overlaps."""
    top = max_total(sheet)
    bands = sorted(sheet.levels, key=lambda lv: lv.min_total)
    if not bands:
        raise MonitoringError("Добавьте в лист хотя бы один уровень эффективности.")
    for band in bands:
        if band.min_total > band.max_total:
            raise MonitoringError(f"Уровень «{band.name}»: нижняя граница ({band.min_total}) "
                                  f"больше верхней ({band.max_total}).")
    expected = 0
    for band in bands:
        if band.min_total > expected:
            raise MonitoringError(f"Сумма баллов от {expected} до {band.min_total - 1} не "
                                  "попадает ни в один уровень: поправьте границы уровней.")
        if band.min_total < expected:
            raise MonitoringError(f"Уровень «{band.name}» пересекается с предыдущим: "
                                  f"начните его с {expected}.")
        expected = band.max_total + 1
    if expected - 1 != top:
        raise MonitoringError(f"Уровни должны заканчиваться максимальной суммой баллов листа "
                              f"({top}), а заканчиваются на {expected - 1}.")


def assessment_total(assessment: Assessment) -> int:
    return total(a.points for a in assessment.answers)


def assessment_level(assessment: Assessment) -> Level | None:
    return level(assessment.sheet, assessment_total(assessment))


@dataclass(frozen=True)
class Change:
    """The same mentee (or group) «на входе» and «по итогам»."""

    before: int | None
    after: int | None
    level_before: str | None
    level_after: str | None

    @property
    def delta(self) -> int | None:
        """Points gained (negative: lost); None until both stages are scored."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def change(entry: Assessment | None, final: Assessment | None) -> Change:
    """The change between the two stages; either may still be missing."""

    def of(a: Assessment | None) -> tuple[int | None, str | None]:
        if a is None:
            return None, None
        lv = assessment_level(a)
        return assessment_total(a), lv.name if lv else None

    (before, lv_before), (after, lv_after) = of(entry), of(final)
    return Change(before, after, lv_before, lv_after)
