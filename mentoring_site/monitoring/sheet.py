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


class AnswersRefused(MonitoringError):
    """A filled sheet refused; ``problems`` maps an indicator's id to what is wrong with its
    answer, so a form can say it next to that indicator (0: an answer to no indicator)."""

    def __init__(self, message: str, problems: dict[int, str]):
        super().__init__(message)
        self.problems = problems


def parse_int(text: object, *, limit: int = 1_000_000) -> int | None:
    """An integer as typed: ASCII digits only (``int`` also takes «²»-like and Arabic-Indic
    digits, or fails on them), at most ``limit`` by absolute value; None otherwise."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        raw = str(text).strip()
        digits = raw[1:] if raw.startswith("-") else raw
        if not digits or len(digits) > 9 or not all("0" <= ch <= "9" for ch in digits):
            return None
        value = int(raw)
    return value if abs(value) <= limit else None


def check_answers(sheet: Sheet, answers: Iterable[tuple[int, int | str]]) -> dict[int, int]:
    """Every indicator of the sheet answered exactly once, with points from its scale.

    ``answers`` are (indicator id, points) pairs, points as numbers or as typed; the result
    maps indicator id to points. Every wrong answer is reported (``AnswersRefused``).
    """
    titles = {i.id: i.title for i in sheet.indicators}
    allowed = scale_points(sheet)
    scale = ", ".join(str(p) for p in allowed)
    checked: dict[int, int] = {}
    problems: dict[int, str] = {}
    messages: list[str] = []
    for indicator_id, typed in answers:
        if indicator_id not in titles:
            message = ("Ответ относится к показателю, которого нет в листе "
                       f"«{sheet.name}». Обновите страницу и заполните лист заново.")
            problems[0] = message
            messages.append(message)
            continue
        title = titles[indicator_id]
        points = parse_int(typed)
        if indicator_id in checked or indicator_id in problems:
            problems[indicator_id] = "Оценён дважды: оставьте один ответ."
            messages.append(f"Показатель «{title}» оценён дважды: оставьте один ответ.")
        elif points is None or points not in allowed:
            shown = points if points is not None else f"«{str(typed)[:20]}»"
            problems[indicator_id] = f"{shown} — не балл шкалы листа. Допустимо: {scale}."
            messages.append(f"Показатель «{title}»: {problems[indicator_id]}")
        else:
            checked[indicator_id] = points
    missing = [(i, title) for i, title in titles.items()
               if i not in checked and i not in problems]
    for i, _title in missing:
        problems[i] = "Выберите ответ."
    if missing:
        messages.append("Не оценены показатели: " + "; ".join(f"«{t}»" for _, t in missing)
                        + ". Оцените каждый показатель листа.")
    if problems:
        raise AnswersRefused(" ".join(dict.fromkeys(messages)), problems)
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


class LevelsRefused(MonitoringError):
    """The levels refused; ``problems``: (level, "name" | "min" | "max", message) for the
    field each is about (level None: the sheet has no level at all)."""

    def __init__(self, problems: list[tuple[Level | None, str, str]]):
        super().__init__(" ".join(dict.fromkeys(m for _, _, m in problems)))
        self.problems = problems


def level_problems(sheet: Sheet) -> list[tuple[Level | None, str, str]]:
    """Why the levels do not band the totals 0 … the maximum once each: the names, gaps,
    overlaps and ends, each with the level and field it is about (the form's errors)."""
    top = max_total(sheet)
    bands = sorted(sheet.levels, key=lambda lv: (lv.min_total, lv.max_total))
    if not bands:
        return [(None, "name", "Добавьте в лист хотя бы один уровень эффективности.")]
    problems: list[tuple[Level | None, str, str]] = []
    seen: set[str] = set()
    for band in sheet.levels:
        name = " ".join((band.name or "").split()).casefold()
        if not name:
            problems.append((band, "name", "У каждого уровня должно быть название."))
        elif name in seen:
            problems.append((band, "name", f"Уровень «{band.name}» уже есть: назовите "
                                           "уровни по-разному."))
        seen.add(name)
        if band.min_total > band.max_total:
            problems.append((band, "min", f"Уровень «{band.name}»: нижняя граница "
                                          f"({band.min_total}) больше верхней "
                                          f"({band.max_total})."))
    if problems:
        return problems
    expected = 0
    for band in bands:
        if band.min_total > expected:
            problems.append((band, "min", f"Сумма баллов от {expected} до {band.min_total - 1} "
                                          "не попадает ни в один уровень: поправьте границы "
                                          "уровней."))
        elif band.min_total < expected:
            problems.append((band, "min", f"Уровень «{band.name}» пересекается с предыдущим: "
                                          f"начните его с {expected}."))
        expected = max(expected, band.max_total + 1)
    if expected - 1 != top:
        last = max(bands, key=lambda lv: lv.max_total)
        problems.append((last, "max", "Уровни должны заканчиваться максимальной суммой баллов "
                                      f"листа ({top}), а заканчиваются на {expected - 1}."))
    return problems


def check_levels(sheet: Sheet) -> None:
    """The bands of levels cover 0 … the maximum total once each, without gaps or overlaps."""
    problems = level_problems(sheet)
    if problems:
        raise LevelsRefused(problems)


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
