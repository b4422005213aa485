"""The effectiveness sheet's rules (monitoring/sheet.py), without HTTP: totals, levels,
the change between stages, refused answers; and the default sheet the migration ships."""

from __future__ import annotations

import pytest

from mentoring_site.models import Assessment, AssessmentAnswer, AssessmentStage
from mentoring_site.monitoring import MonitoringError
from mentoring_site.monitoring import sheet as rules
from tests import monitoring_support as ms

GYMNASIUM = [
    ("Оценка Программы наставничества в организации", [
        "Соответствие наставнической деятельности цели и задачам, по которым она "
        "осуществляется",
        "Оценка соответствия организации наставнической деятельности принципам, заложенным "
        "в программе",
        "Соответствие наставнической деятельности современным подходам и технологиям",
        "Наличие комфортного психологического климата в организации",
        "Логичность деятельности наставника, понимание им ситуации наставляемого и "
        "правильность выбора основного направления взаимодействия",
    ]),
    ("Определение эффективности участников наставнической деятельности в организации", [
        "Степень удовлетворенности всех участников наставнической деятельности",
        "Уровень удовлетворенности партнеров от взаимодействия в наставнической деятельности",
    ]),
    ("Изменения в личности наставляемого", [
        "Активность и заинтересованность в участии в мероприятиях, связанных с "
        "наставнической деятельностью",
        "Степень применения наставляемыми полученных от наставника знаний, умений и опыта в "
        "профессиональных (учебных, жизненных) ситуациях, активная гражданская позиция",
    ]),
]


def _level(sheet, points) -> str | None:
    checked = rules.check_answers(sheet, ms.answers(sheet, points))
    found = rules.level(sheet, rules.total(checked.values()))
    return found.name if found else None


@pytest.mark.parametrize(("points", "total", "level"), [
    ((2, 2, 1, 2, 2, 1, 2, 2, 1), 15, "оптимальный"),
    ((2,) * 9, 18, "оптимальный"),
    ((1,) * 9, 9, "допустимый"),
    ((2, 2, 2, 2, 2, 2, 1, 1, 0), 14, "допустимый"),
    ((1, 1, 1, 1, 1, 1, 1, 1, 0), 8, "недопустимый"),
    ((0,) * 9, 0, "недопустимый"),
])
def test_totals_and_levels(points, total, level):
    sheet = ms.sheet()
    assert rules.total(points) == total
    assert _level(sheet, points) == level


def test_an_edited_threshold_changes_the_level():
    sheet = ms.sheet()
    fifteen = (2, 2, 1, 2, 2, 1, 2, 2, 1)
    assert _level(sheet, fifteen) == "оптимальный"
    optimal, acceptable, _ = sheet.levels
    optimal.min_total, acceptable.max_total = 16, 15
    rules.check_levels(sheet)
    assert _level(sheet, fifteen) == "допустимый"
    optimal.name = "высокий"
    assert _level(sheet, (2,) * 9) == "высокий"


@pytest.mark.parametrize(("answers", "message"), [
    (lambda s: ms.answers(s, (2,) * 9)[:-1], "Не оценены показатели: «Показатель 9»"),
    (lambda s: [*ms.answers(s, (2,) * 9), (1, 1)], "«Показатель 1» оценён дважды"),
    (lambda s: ms.answers(s, (2, 2, 3, 2, 2, 2, 2, 2, 2)), "3 — не балл шкалы"),
    (lambda s: ms.answers(s, (2, 2, -1, 2, 2, 2, 2, 2, 2)), "Допустимо: 2, 1, 0"),
    (lambda s: [*ms.answers(s, (2,) * 9), (99, 2)], "нет в листе «Тестовый лист»"),
])
def test_invalid_answers_are_refused_in_russian(answers, message):
    sheet = ms.sheet()
    with pytest.raises(MonitoringError, match=message):
        rules.check_answers(sheet, answers(sheet))


@pytest.mark.parametrize(("levels", "message"), [
    ((("высокий", 15, 18), ("низкий", 0, 13)), "от 14 до 14 не попадает"),
    ((("высокий", 14, 18), ("низкий", 0, 14)), "пересекается"),
    ((("высокий", 9, 17), ("низкий", 0, 8)), "заканчиваться максимальной суммой баллов листа"),
    ((("высокий", 18, 9), ("низкий", 0, 8)), "нижняя граница"),
    ((), "хотя бы один уровень"),
])
def test_bands_must_cover_every_total_once(levels, message):
    with pytest.raises(MonitoringError, match=message):
        rules.check_levels(ms.sheet(levels))


def test_default_bands_are_consistent():
    sheet = ms.sheet()
    rules.check_levels(sheet)
    assert rules.max_total(sheet) == 18 and rules.scale_points(sheet) == [2, 1, 0]


def _assessment(sheet, points, stage=AssessmentStage.ENTRY) -> Assessment:
    return Assessment(sheet=sheet, stage=stage, answers=[
        AssessmentAnswer(indicator_id=i, points=p) for i, p in ms.answers(sheet, points)])


def test_change_between_stages():
    sheet = ms.sheet()
    before = _assessment(sheet, (1,) * 9)
    after = _assessment(sheet, (2, 2, 1, 2, 2, 1, 2, 2, 1), AssessmentStage.FINAL)
    change = rules.change(before, after)
    assert (change.before, change.after, change.delta) == (9, 15, 6)
    assert (change.level_before, change.level_after) == ("допустимый", "оптимальный")
    only_entry = rules.change(before, None)
    assert only_entry.delta is None and only_entry.level_after is None


def test_the_default_sheet_is_the_gymnasiums(db):
    sheet = ms.default_sheet(db)
    assert sheet.active
    assert [(c.title, [i.title for i in c.indicators]) for c in sheet.criteria] == GYMNASIUM
    assert [(a.label, a.points) for a in sheet.answers] == [
        ("Проявляется в полной мере", 2), ("Частично проявляется", 1), ("Не проявляется", 0)]
    assert [(lv.name, lv.min_total, lv.max_total) for lv in sheet.levels] == [
        ("оптимальный", 15, 18), ("допустимый", 9, 14), ("недопустимый", 0, 8)]
    rules.check_levels(sheet)
    assert _level(sheet, (2, 2, 1, 2, 2, 1, 2, 2, 1)) == "оптимальный"
    assert _level(sheet, (1,) * 9) == "допустимый"
    assert _level(sheet, (1, 1, 1, 1, 1, 1, 1, 1, 0)) == "недопустимый"
