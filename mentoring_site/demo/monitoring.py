"""The demo's monitoring: categories of its (invented) people, the plans' stages, forms and
outcomes, and both effectiveness sheets scored, so every monitoring figure has data.

Apart from ``seed.py`` because it runs after the programmes exist, through the same domain
functions a curator uses (``monitoring.assessments``), so the demo cannot hold a score
the rules would refuse. One completed programme keeps two items not done, with reasons.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import models as m
from ..monitoring import assessments, catalogs

# person key -> categories (names as the migration seeds them)
CATEGORIES = {
    "zaytseva": ["Молодой специалист (стаж 0–3 года)"],
    "orlova": ["Молодой специалист (стаж 0–3 года)"],
    "khabib": ["Молодой специалист (стаж 0–3 года)",
               "Эмоциональное выгорание, хроническая усталость"],
    "sorokin": ["Молодой специалист (стаж 0–3 года)"],
    "nikitin": ["Молодой специалист (стаж 0–3 года)",
                "Испытывающий профессиональные трудности"],
    "kuzmin": ["Осваивающий цифровые инструменты, ИКТ-компетенции"],
    "belova": ["Молодой специалист (стаж 0–3 года)",
               "Сменивший место работы / в процессе адаптации"],
    "lavr": ["Мотивированный помогать молодым специалистам"],
    "safina": ["Мотивированный помогать молодым специалистам"],
    "ershova": ["Мотивированный помогать молодым специалистам"],
    "melnikova": ["Заинтересованный в тиражировании опыта"],
    "vorontsova": ["Заинтересованный в тиражировании опыта"],
}

# A word in an item's title -> its form of work.
FORMS = [("Практикум", "Практикум"), ("Семинар", "Семинар"), ("Тренинг", "Тренинг"),
         ("Мастер-класс", "Мастер-класс"), ("Открытый урок", "Открытый урок"),
         ("открытого урока", "Открытый урок"), ("Посещение", "Взаимопосещение уроков"),
         ("Взаимопосещение", "Взаимопосещение уроков"), ("диагностика", "Самоанализ"),
         ("самодиагностика", "Самоанализ"), ("встреча", "Встреча"), ("Встреча", "Встреча")]

# programme key -> {item title: reason it was not done}
NOT_DONE = {
    "p_student": {
        "Экскурсия в литературный музей с читательским клубом":
            "Музей закрыт на реконструкцию; экскурсия перенесена в план читательского клуба "
            "на следующий год.",
        "Публикация лучших сочинений в школьной газете":
            "Выпуск школьной газеты приостановлен до конца учебного года.",
    },
}

# programme key -> (mentee key or None for the group, entry points, final points or None)
# programme key -> (mentee key or None for the whole group, entry points, final points or None)
Points = tuple[int, ...]
SCORES: dict[str, list[tuple[str | None, Points, Points | None]]] = {
    "p_college": [("nikitin", (1, 1, 1, 1, 1, 1, 1, 1, 1), (2, 2, 1, 2, 2, 1, 2, 2, 1))],
    "p_reverse": [("kuzmin", (1, 1, 1, 2, 1, 1, 1, 1, 1), (2, 2, 2, 2, 1, 2, 2, 2, 1))],
    "p_student": [("kiseleva", (1, 1, 0, 1, 1, 1, 1, 1, 1), (2, 1, 1, 2, 2, 1, 2, 1, 1))],
    "p_math": [("zaytseva", (1, 1, 1, 1, 0, 1, 1, 1, 1), None)],
    "p_group": [(None, (1, 1, 1, 2, 1, 1, 1, 1, 1), None)],
}


def _stage(i: int, count: int) -> m.PlanStage:
    if i == 0:
        return m.PlanStage.ORGANIZATIONAL
    return m.PlanStage.FINAL if i == count - 1 else m.PlanStage.PRACTICAL


def _plan(program: m.Program, forms: dict[str, m.WorkForm], key: str) -> None:
    events = list(program.events)
    for i, event in enumerate(events):
        event.stage = _stage(i, len(events))
        event.work_form = next((forms[f] for word, f in FORMS if word in event.title), None)
        event.responsible = ("Наставник и наставляемый" if event.stage is not
                             m.PlanStage.PRACTICAL else "Наставник")
        reason = NOT_DONE.get(key, {}).get(event.title)
        if reason:
            event.done_on, event.not_done_reason = None, reason
        elif event.done_on is not None:
            event.result = "Проведено по плану."


def _score(sess: Session, key: str, program: m.Program, people: dict[str, m.Person],
           assessor: str, today: date) -> None:
    for mentee, entry, final in SCORES.get(key, []):
        person = people[mentee] if mentee else None
        sheet = assessments.active_sheet(sess)
        indicators = [i.id for i in sheet.indicators]
        assessments.record_assessment(
            sess, program, stage=m.AssessmentStage.ENTRY,
            scored_on=program.starts_on + timedelta(days=10),
            answers=zip(indicators, entry, strict=True), assessor_name=assessor, person=person)
        sess.flush()
        if final is not None:
            end = min(program.ended_on or today, today)
            assessments.record_assessment(
                sess, program, stage=m.AssessmentStage.FINAL,
                scored_on=end - timedelta(days=3), answers=zip(indicators, final, strict=True),
                assessor_name=assessor, person=person)


def seed_monitoring(sess: Session, people: dict[str, m.Person],
                    programs: dict[str, m.Program], today: date) -> None:
    sess.flush()
    by_name = {c.name: c for c in catalogs.categories(sess)}
    for key, names in CATEGORIES.items():
        catalogs.set_categories(sess, people[key], [by_name[n].id for n in names])
    forms = {f.name: f for f in sess.scalars(sa.select(m.WorkForm))}
    assessor = people["director"].full_name
    for key, program in programs.items():
        _plan(program, forms, key)
        _score(sess, key, program, people, assessor, today)
    sess.flush()
