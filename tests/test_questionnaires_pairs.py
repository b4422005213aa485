"""Suggested pairs: the pure matcher (no database), the bank read with the mentors' own
answers, and the curator's screens (the answer page, «Подбор пар») — nothing is created."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site.models import Answer, AnswerStatus, Participation, Person
from mentoring_site.questionnaires import pairs
from mentoring_site.questionnaires.pairs import Need, Offer, suggest
from tests import factories as f
from tests.admin_support import ADMIN, signed_in
from tests.test_questionnaires_bank import MENTEE, make_answer

PARENTS = "Работа с родителями"
DIGITAL = "Цифровые инструменты и ИКТ"


def test_subjects_topics_and_themes_give_reasons_best_first():
    need = Need(subjects="Математика, физика", difficulties=(PARENTS, DIGITAL),
                text="Хочу научиться делать онлайн-тесты")
    offers = [
        Offer(1, "Алексеева Анна", subjects="математики и информатика", text="учитель"),
        Offer(2, "Борисова Бэлла", subjects="химия", topics=(PARENTS,),
              text="Веду электронный журнал", experience_years=25, qualification="высшая"),
        Offer(3, "Васильева Вера", subjects="история", text="учитель истории",
              experience_years=30, qualification="высшая"),
    ]
    found = suggest(need, offers)
    assert [(s.person_id, s.score) for s in found] == [(2, 3 + 2 + 1 + 1), (1, 3)]
    assert found[0].reasons == [
        "затруднение «Работа с родителями» — наставник готов помогать в этом",
        "запрос: цифровые инструменты — наставник указал «электронный»",
        "стаж наставника: 25 лет", "категория: высшая"]
    assert found[1].reasons == ["совпадает предмет: математика"]


def test_experience_alone_suggests_nobody_and_ties_go_by_name():
    need = Need(subjects="Русский язык")
    offers = [Offer(5, "Яковлева", subjects="русский язык"),
              Offer(4, "Антонова", subjects="Русский язык, литература"),
              Offer(6, "Старкова", subjects="биология", experience_years=40,
                    qualification="высшая")]
    assert [s.name for s in suggest(need, offers)] == ["Антонова", "Яковлева"]
    assert suggest(Need(), offers) == []
    assert len(suggest(need, offers, limit=1)) == 1


def test_the_bank_is_read_with_the_mentors_own_answers(db):
    mentor = f.person(last_name="Соколова", first_name="Вера", subjects="математика",
                      bio="", consented=False)
    outsider = f.person(last_name="Не", first_name="Вбанке", subjects="математика",
                        in_mentor_bank=False, consented=False)
    db.add_all([mentor, outsider])
    db.commit()
    make_answer(db, person_id=mentor.id)  # her mentor questionnaire: topics and strengths
    mentee = make_answer(db, MENTEE, {
        "Преподаваемые предметы": "Математика",
        "В чём вы испытываете затруднения": [DIGITAL, PARENTS],
        "Ваш запрос к наставнику": "Как проводить онлайн-тесты"})
    found = pairs.for_answer(db, mentee)
    assert [s.person_id for s in found] == [mentor.id]
    assert found[0].reasons[:3] == [
        "совпадает предмет: математика",
        f"затруднение «{DIGITAL}» — наставник готов помогать в этом",
        "запрос: цифровые инструменты — наставник указал «онлайн»"]
    assert pairs.for_answer(db, make_answer(db)) == []  # a mentor's answer: no pairs


def test_the_answer_page_and_the_pairs_page_suggest_and_create_nothing(app, db):
    client = signed_in(app)
    mentor = f.person(last_name="Соколова", first_name="<b>Вера</b>", subjects="математика",
                      consented=False)
    db.add(mentor)
    db.commit()
    mentee = make_answer(db, MENTEE, {"Фамилия, имя, отчество": "Ершов Павел",
                                      "Преподаваемые предметы": "математика"})
    make_answer(db, MENTEE, {"Фамилия, имя, отчество": "Обработанный"},
                status=AnswerStatus.PROCESSED)
    html = client.get(f"{ADMIN}/otvety/{mentee.id}/").get_data(as_text=True)
    assert "Подходящие наставники из банка" in html
    assert "совпадает предмет: математика" in html and "&lt;b&gt;Вера" in html
    resp = client.get(f"{ADMIN}/podbor-par/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and f"Ответ № {mentee.id}: Ершов Павел" in html
    assert "Обработанный" not in html and "совпадает предмет: математика" in html
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(Participation)) == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    assert db.get(Answer, mentee.id).status is AnswerStatus.NEW
