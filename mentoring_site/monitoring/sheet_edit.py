"""Editing the effectiveness sheet: its answer scale, criteria, indicators and levels.

Why the rules here: a sheet is the yardstick of scores already made, so what may change
depends on those scores. The history stays correct this way:

- wording (a criterion's or indicator's title, an answer's label, a level's name) and the
  order may always change: a score refers to an indicator by id and keeps its points;
- the structure (an indicator or criterion added, an answer's points, an answer added or
  removed) changes only while no score uses the sheet, since it would change the sheet's
  maximum and make old and new totals incomparable; the school makes a new sheet instead;
- an indicator (a criterion) is removed only while no score's answer refers to it;
- the level thresholds may always move (``sheet.check_levels``), and the levels of old
  scores follow, which is what the school asks for when it moves them.

Functions take a session and plain values and raise ``MonitoringError`` (Russian).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AnswerOption, Assessment, AssessmentAnswer, Criterion, Indicator, Sheet
from . import sheet as rules
from .errors import MonitoringError

MAX_POINTS = 100
USED = ("По этому листу уже поставлены оценки: {what} не меняются (иначе старые и новые "
        "суммы баллов нельзя будет сравнить). Создайте новый лист.")


def used(sess: Session, sheet: Sheet) -> bool:
    """Whether any score was made on the sheet."""
    return sess.scalar(sa.select(Assessment.id).where(Assessment.sheet_id == sheet.id)
                       .limit(1)) is not None


def _structure_open(sess: Session, sheet: Sheet, what: str) -> None:
    if used(sess, sheet):
        raise MonitoringError(USED.format(what=what))


def _title(text: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise MonitoringError(f"Введите название: {what}.")
    if len(text) > 500:
        raise MonitoringError(f"Название ({what}) длиннее 500 знаков: сократите его.")
    return text


def add_criterion(sess: Session, sheet: Sheet, title: str) -> Criterion:
    _structure_open(sess, sheet, "критерии и показатели")
    criterion = Criterion(title=_title(title, "критерий"), sort=len(sheet.criteria) + 1)
    sheet.criteria.append(criterion)
    return criterion


def add_indicator(sess: Session, sheet: Sheet, criterion_id: int, title: str) -> Indicator:
    _structure_open(sess, sheet, "критерии и показатели")
    criterion = next((c for c in sheet.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise MonitoringError("Такого критерия в листе нет: обновите страницу.")
    indicator = Indicator(title=_title(title, "показатель"), sort=len(criterion.indicators) + 1)
    criterion.indicators.append(indicator)
    return indicator


def _referenced(sess: Session, indicator_ids: Iterable[int]) -> bool:
    ids = list(indicator_ids)
    return bool(ids) and sess.scalar(
        sa.select(AssessmentAnswer.id).where(AssessmentAnswer.indicator_id.in_(ids)).limit(1)
    ) is not None


def remove_indicator(sess: Session, sheet: Sheet, indicator_id: int) -> Indicator:
    """Refused while a score's answer refers to it: the score would lose a point of its sum."""
    indicator = next((i for i in sheet.indicators if i.id == indicator_id), None)
    if indicator is None:
        raise MonitoringError("Такого показателя в листе нет: обновите страницу.")
    if _referenced(sess, [indicator.id]):
        raise MonitoringError(f"Показатель «{indicator.title}» уже оценён в листах "
                              "программ: его нельзя удалить, иначе изменятся их суммы баллов. "
                              "Создайте новый лист без него.")
    indicator.criterion.indicators.remove(indicator)
    return indicator


def remove_criterion(sess: Session, sheet: Sheet, criterion_id: int) -> Criterion:
    """A criterion goes with its indicators, so the same rule holds for each of them."""
    criterion = next((c for c in sheet.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise MonitoringError("Такого критерия в листе нет: обновите страницу.")
    if _referenced(sess, [i.id for i in criterion.indicators]):
        raise MonitoringError(f"Показатели критерия «{criterion.title}» уже оценены в листах "
                              "программ: критерий нельзя удалить, иначе изменятся их суммы "
                              "баллов. Создайте новый лист без него.")
    sheet.criteria.remove(criterion)
    return criterion


def _ordered(rows, wanted: Mapping[int, int]) -> list:
    """Rows put in the order of their wanted numbers (ties keep the current order)."""
    position = {id(r): n for n, r in enumerate(rows)}
    return sorted(rows, key=lambda r: (wanted.get(r.id, position[id(r)] + 1), position[id(r)]))


def set_structure(sheet: Sheet, titles: Mapping[str, str], order: Mapping[str, int]) -> None:
    """Rename and reorder criteria and indicators (allowed on a used sheet: a score refers
    to an indicator by id). Keys: ``c<id>`` for a criterion, ``i<id>`` for an indicator;
    what is not given stays as it is; the sort numbers are renumbered 1, 2, 3..."""
    for c in sheet.criteria:
        if f"c{c.id}" in titles:
            c.title = _title(titles[f"c{c.id}"], "критерий")
        for i in c.indicators:
            if f"i{i.id}" in titles:
                i.title = _title(titles[f"i{i.id}"], f"показатель критерия «{c.title}»")
    criteria = _ordered(list(sheet.criteria), {c.id: order[f"c{c.id}"]
                                               for c in sheet.criteria if f"c{c.id}" in order})
    for n, c in enumerate(criteria, 1):
        c.sort = n
        indicators = _ordered(list(c.indicators), {
            i.id: order[f"i{i.id}"] for i in c.indicators if f"i{i.id}" in order})
        for m, i in enumerate(indicators, 1):
            i.sort = m
        c.indicators = indicators
    sheet.criteria = criteria


def _points(value: int | str, label: str) -> int:
    points = rules.parse_int(value, limit=MAX_POINTS)
    if points is None or points < 0:
        raise MonitoringError(f"Ответ «{label}»: баллы — целое число от 0 до {MAX_POINTS}.")
    return points


def _label(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise MonitoringError("У каждого ответа шкалы должна быть подпись.")
    if len(text) > 200:
        raise MonitoringError("Подпись ответа длиннее 200 знаков: сократите её.")
    return text


def _sort_scale(sheet: Sheet) -> None:
    """The scale is shown from the most points down, as on the paper sheet."""
    for n, a in enumerate(sorted(sheet.answers, key=lambda a: (-a.points, a.id or 0)), 1):
        a.sort = n
    sheet.answers.sort(key=lambda a: a.sort)


def _distinct(sheet: Sheet) -> None:
    points = [a.points for a in sheet.answers]
    twice = sorted({p for p in points if points.count(p) > 1})
    if twice:
        raise MonitoringError("У двух ответов шкалы одинаковые баллы "
                              f"({', '.join(map(str, twice))}): у каждого ответа свои баллы.")
    labels = [a.label.casefold() for a in sheet.answers]
    if len(set(labels)) != len(labels):
        raise MonitoringError("У двух ответов шкалы одинаковая подпись: подпишите их по-разному.")


def set_scale(sess: Session, sheet: Sheet, labels: Mapping[int, str],
              points: Mapping[int, int | str]) -> None:
    """Relabel the answers (always) and change their points (only on an unused sheet)."""
    is_used = used(sess, sheet)
    for a in sheet.answers:
        a.label = _label(labels.get(a.id, a.label))
        new = _points(points.get(a.id, a.points), a.label)
        if new != a.points and is_used:
            raise MonitoringError(USED.format(what="баллы ответов"))
        a.points = new
    _distinct(sheet)
    _sort_scale(sheet)


def add_answer(sess: Session, sheet: Sheet, label: str, points: int | str) -> AnswerOption:
    _structure_open(sess, sheet, "ответы шкалы")
    answer = AnswerOption(label=_label(label), points=_points(points, label))
    sheet.answers.append(answer)
    _distinct(sheet)
    _sort_scale(sheet)
    return answer


def remove_answer(sess: Session, sheet: Sheet, answer_id: int) -> AnswerOption:
    _structure_open(sess, sheet, "ответы шкалы")
    answer = next((a for a in sheet.answers if a.id == answer_id), None)
    if answer is None:
        raise MonitoringError("Такого ответа в шкале нет: обновите страницу.")
    if len(sheet.answers) <= 2:
        raise MonitoringError("В шкале должно остаться хотя бы два ответа.")
    sheet.answers.remove(answer)
    return answer


def set_levels(sheet: Sheet, typed: Mapping[str, str]) -> None:
    """The levels' names and thresholds as typed (``name<id>``, ``min<id>``, ``max<id>``);
    every problem is reported at its field (``sheet.LevelsRefused``)."""
    problems: list = []
    for lv in sheet.levels:
        lv.name = " ".join(typed.get(f"name{lv.id}", lv.name).split())[:100]
        for field, attr in (("min", "min_total"), ("max", "max_total")):
            value = rules.parse_int(typed.get(f"{field}{lv.id}", getattr(lv, attr)),
                                    limit=100_000)
            if value is None or value < 0:
                problems.append((lv, field, f"Уровень «{lv.name}»: граница — целое число "
                                            "баллов от 0 до 100000."))
            else:
                setattr(lv, attr, value)
    if problems:
        raise rules.LevelsRefused(problems)
    rules.check_levels(sheet)
