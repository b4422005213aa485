"""The demo school's questionnaires: the three shipped ones opened, the feedback survey
tied to a programme with a deadline, and two invented answers for the curator's screens."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import models as m
from ..questionnaires.store import current_consent

# slug -> {question text: value}: invented people, invented contacts (example.ru).
ANSWERS: dict[str, dict[str, object]] = {
    "anketa-nastavnika": {
        "Фамилия, имя, отчество": "Соколова Вера Андреевна",
        "Должность": "учитель математики",
        "Преподаваемые предметы": "математика, информатика",
        "Педагогический стаж": "от 10 до 20 лет",
        "В чём вы готовы помогать коллегам": ["Методика преподавания предмета",
                                               "Цифровые инструменты и ИКТ"],
        "Есть ли у вас опыт наставничества": "Нет, буду впервые",
        "Ваши сильные стороны и опыт, которым вы готовы делиться":
            "Проектные задачи на уроках математики, электронный журнал и онлайн-тесты.",
        "Телефон или адрес электронной почты": "v.sokolova@example.ru",
    },
    "anketa-nastavlyaemogo": {
        "Фамилия, имя, отчество": "Ершов Павел Ильич",
        "Должность": "учитель истории",
        "Педагогический стаж": "менее 1 года",
        "Что о вас верно": ["Я молодой специалист (стаж до 3 лет)"],
        "В чём вы испытываете затруднения": ["Дисциплина, взаимодействие с обучающимися",
                                             "Работа с родителями"],
        "Ваш запрос к наставнику": "Как удерживать внимание класса и готовиться к "
                                   "родительскому собранию.",
        "Насколько уверенно вы чувствуете себя в профессии сейчас": 2,
        "Телефон или адрес электронной почты": "p.ershov@example.ru",
    },
}


def seed_questionnaires(sess: Session, programs: dict[str, m.Program], today: date) -> None:
    """Open the shipped questionnaires and add the sample answers (needs migration 0004)."""
    items = {q.slug: q for q in sess.scalars(sa.select(m.Questionnaire))}
    for q in items.values():
        q.is_open = True
    feedback = items.get("udovletvorennost-uchastiem")
    if feedback is not None:
        feedback.deadline = today + timedelta(days=30)
        completed = [p for p in programs.values() if p.ended_on is not None]
        feedback.program = completed[0] if completed else None
    consent = current_consent(sess)
    if consent is None:
        return
    for n, (slug, values) in enumerate(ANSWERS.items(), 1):
        form = items.get(slug)
        if form is None:
            continue
        answers = {str(question.id): {"question": question.text, "kind": question.kind.value,
                                      "value": values.get(question.text)}
                   for question in form.questions}
        sess.add(m.Answer(questionnaire=form, answers=answers, consent_text=consent.text,
                          consent_number=consent.number,
                          submitted_at=datetime.combine(today - timedelta(days=n), time(10))))
