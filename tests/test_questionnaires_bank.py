"""An answer into the bank of mentors or mentees: the mapping of questions to a card's
fields (no HTTP), and the curator's action (a new card; the similar ones side by side; a
merge that fills only empty fields unless a replacement is ticked), journaled, never public."""

from __future__ import annotations

import sqlalchemy as sa

from mentoring_site import clock, rules
from mentoring_site.models import (
    Answer,
    AnswerStatus,
    AuditEntry,
    Person,
    Questionnaire,
)
from mentoring_site.questionnaires import bank
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token

MENTOR = "anketa-nastavnika"
MENTEE = "anketa-nastavlyaemogo"
MENTOR_VALUES: dict[str, object] = {
    "Фамилия, имя, отчество": "  Соколова   Вера Андреевна ",
    "Должность": "учитель математики",
    "Преподаваемые предметы": "математика, информатика",
    "Педагогический стаж": "от 10 до 20 лет",
    "Квалификационная категория": "Высшая",
    "В чём вы готовы помогать коллегам": ["Методика преподавания предмета",
                                           "Цифровые инструменты и ИКТ"],
    "Ваши сильные стороны и опыт, которым вы готовы делиться":
        "Проектные задачи, <b>онлайн</b>-тесты.",
    "Телефон или адрес электронной почты": "тел. 8-900, V.Sokolova@Example.ru",
}


def make_answer(db, slug=MENTOR, values=None, **fields) -> Answer:
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == slug)).one()
    values = MENTOR_VALUES if values is None else values
    a = Answer(questionnaire=q, consent_text="Согласие", consent_number=1,
               answers={str(x.id): {"question": x.text, "kind": x.kind.value,
                                    "value": values.get(x.text)} for x in q.questions},
               **fields)
    db.add(a)
    db.commit()
    return a


# -- the mapping (no HTTP) ---------------------------------------------------------------


def test_fields_are_found_by_the_words_of_the_question_as_asked():
    stored = {"1": {"question": "ФИО полностью", "value": "Ёлкина Анна"},
              "2": {"question": "Ваша должность в школе", "value": "учитель"},
              "3": {"question": "Какой у вас стаж работы?", "value": "15"},
              "4": {"question": "Электронная почта", "value": "a@b.ru"},
              "5": {"question": "Предметы (через запятую)", "value": "физика"},
              "6": {"question": "Любимый цвет", "value": "синий"}}
    assert bank.by_field(stored) == {"name": "Ёлкина Анна", "position": "учитель",
                                     "experience": "15", "contact": "a@b.ru",
                                     "subjects": "физика"}


def test_experience_takes_the_lower_bound_or_nothing():
    assert [bank.experience_years(v) for v in (
        "от 10 до 20 лет", "более 20 лет", "15", "7 лет", "до 3 лет", "менее 1 года", None,
        "много")] == [10, 20, 15, 7, None, None, None, None]


def test_a_mentor_answer_proposes_a_card_in_the_mentor_bank(db):
    proposal = bank.propose(make_answer(db))
    assert proposal.ok and proposal.bank == "in_mentor_bank"
    assert proposal.email == "v.sokolova@example.ru"
    assert proposal.values == {
        "last_name": "Соколова", "first_name": "Вера", "middle_name": "Андреевна",
        "position": "учитель математики", "subjects": "математика, информатика",
        "qualification": "высшая", "experience_years": 10,
        "bio": "Проектные задачи, <b>онлайн</b>-тесты."}


def test_a_mentee_card_carries_no_difficulties_into_its_biography(db):
    proposal = bank.propose(make_answer(db, MENTEE, {
        "Фамилия, имя, отчество": "Ершов Павел", "Должность": "учитель истории",
        "Педагогический стаж": "менее 1 года",
        "Ваш запрос к наставнику": "Как удерживать внимание класса"}))
    assert proposal.bank == "in_mentee_bank" and proposal.values["bio"] == ""
    assert proposal.values["experience_years"] is None


def test_no_name_and_a_feedback_answer_are_refused_in_russian(db):
    assert bank.propose(make_answer(db, values={"Фамилия, имя, отчество": "Соколова"})
                        ).problem == bank.NO_NAME
    feedback = make_answer(db, "udovletvorennost-uchastiem", {})
    assert bank.propose(feedback).problem == bank.NOT_FOR_BANK


def test_similar_cards_by_name_ignoring_case_and_yo_or_by_an_earlier_email(db):
    same = f.person(last_name="СОКОЛОВА", first_name="вера", consented=False)
    yo = f.person(last_name="Ёлкина", first_name="Анна", consented=False)
    other = f.person(last_name="Соколова", first_name="Ирина", consented=False)
    by_mail = f.person(last_name="Иванова", first_name="Мария", consented=False)
    db.add_all([same, yo, other, by_mail])
    db.commit()
    make_answer(db, MENTEE, {"Телефон или адрес электронной почты": "v.sokolova@example.ru"},
                person_id=by_mail.id)
    answer = make_answer(db)
    assert bank.similar(db, answer, bank.propose(answer)) == [by_mail, same]
    elkina = make_answer(db, values={"Фамилия, имя, отчество": "елкина анна"})
    assert bank.similar(db, elkina, bank.propose(elkina)) == [yo]


def test_a_merge_fills_empty_fields_and_replaces_only_what_is_chosen(db):
    card = f.person(last_name="Соколова", first_name="Вера", middle_name="", position="",
                    subjects="математика", consented=False, in_mentor_bank=False)
    db.add(card)
    db.commit()
    proposal = bank.propose(make_answer(db))
    choices = {c.name: c for c in bank.merge_choices(card, proposal)}
    assert choices["position"].default and choices["middle_name"].default
    assert choices["subjects"].differs and not choices["subjects"].default
    assert not choices["last_name"].differs
    defaults = {c.name for c in choices.values() if c.default}
    assert bank.merge_values(card, proposal, defaults) == {
        "in_mentor_bank": True, "middle_name": "Андреевна", "position": "учитель математики"}
    assert bank.merge_values(card, proposal, {"subjects", "no_such"})["subjects"] \
        == "математика, информатика"


# -- the curator's action ------------------------------------------------------------------


def test_one_action_creates_a_card_in_the_bank_not_public_and_links_the_answer(app, db):
    client = signed_in(app)
    answer = make_answer(db)
    url = f"{ADMIN}/otvety/{answer.id}/"
    html = client.get(url).get_data(as_text=True)
    assert "Добавить в банк наставников" in html
    resp = client.post(f"{url}v-bank/", data={"csrf_token": token(client, url)})
    assert resp.status_code == 302
    db.expire_all()
    person = db.scalars(sa.select(Person)).one()
    assert resp.headers["Location"].endswith(f"/lyudi/{person.id}/")
    assert (person.full_name, person.position, person.experience_years) == (
        "Соколова Вера Андреевна", "учитель математики", 10)
    assert person.in_mentor_bank and not person.in_mentee_bank and person.slug
    assert rules.public_person(person, clock.today()) is None  # no consent: not public
    assert client.get(f"/nastavnichestvo/lyudi/{person.slug}/").status_code == 404
    answer = db.get(Answer, answer.id)
    assert answer.status is AnswerStatus.PROCESSED and answer.person_id == person.id
    kinds = db.scalars(sa.select(AuditEntry.item_kind).order_by(AuditEntry.id)).all()
    assert kinds == ["person", "processing_agreement", "answer"]
    (agreement,) = person.processing_agreements  # the consent given online, on the card
    assert agreement.signed_on == clock.to_local(answer.submitted_at).date()
    assert agreement.document_ref == "анкета на сайте, редакция согласия № 1"
    html = client.get(url).get_data(as_text=True)
    assert "Карточка в банке" in html and "Добавить в банк" not in html


def test_a_similar_card_is_shown_side_by_side_and_merged_only_as_chosen(app, db):
    client = signed_in(app)
    card = f.person(last_name="Соколова", first_name="Вера", middle_name="", position="",
                    subjects="математика", consented=False, in_mentor_bank=False)
    db.add(card)
    db.commit()
    answer = make_answer(db)
    page = f"{ADMIN}/otvety/{answer.id}/v-bank/"
    resp = client.post(page, data={"csrf_token": token(client, f"{ADMIN}/otvety/{answer.id}/")})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Похожие карточки уже есть" in html
    assert db.scalar(sa.select(sa.func.count()).select_from(Person)) == 1  # nothing created
    assert "&lt;b&gt;онлайн" in html and "<b>онлайн" not in html
    assert f'id="m{card.id}-position" checked' in html
    assert f'id="m{card.id}-subjects">' in html  # a filled field: not ticked
    resp = client.post(page, data={"csrf_token": token(client, page), "action": "merge",
                                   "person_id": card.id, "person_version": card.version,
                                   "field": ["position", "middle_name"]})
    assert resp.status_code == 302
    db.expire_all()
    card = db.get(Person, card.id)
    assert (card.position, card.middle_name, card.subjects) == (
        "учитель математики", "Андреевна", "математика")
    assert card.in_mentor_bank
    assert db.get(Answer, answer.id).person_id == card.id
    assert db.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_a_new_card_despite_a_similar_one_and_a_stale_card_refused(app, db):
    client = signed_in(app)
    card = f.person(last_name="Соколова", first_name="Вера", consented=False)
    db.add(card)
    db.commit()
    answer = make_answer(db)
    page = f"{ADMIN}/otvety/{answer.id}/v-bank/"
    resp = client.post(page, data={"csrf_token": token(client, page), "action": "merge",
                                   "person_id": card.id, "person_version": card.version + 5,
                                   "field": ["position"]})
    assert resp.status_code == 409 and "другой пользователь" in resp.get_data(as_text=True)
    assert db.get(Answer, answer.id).status is AnswerStatus.NEW
    resp = client.post(page, data={"csrf_token": token(client, page), "action": "new"})
    assert resp.status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


def test_bad_requests_get_a_russian_page_not_a_500(app, db):
    client = signed_in(app)
    answer = make_answer(db, values={"Фамилия, имя, отчество": "Соколова"})
    page = f"{ADMIN}/otvety/{answer.id}/v-bank/"
    resp = client.post(page, data={"csrf_token": token(client, page)})
    assert resp.status_code == 409 and "создайте карточку вручную" in resp.get_data(as_text=True)
    resp = client.post(page, data={"csrf_token": token(client, page), "action": "merge",
                                   "person_id": "999"})
    assert resp.status_code == 409 and "Этой карточки уже нет" in resp.get_data(as_text=True)
    assert client.post(page, data={"action": "new"}).status_code == 400  # no token
    feedback = make_answer(db, "udovletvorennost-uchastiem", {})
    html = client.get(f"{ADMIN}/otvety/{feedback.id}/").get_data(as_text=True)
    assert "Добавить в банк" not in html
    assert client.get(f"{ADMIN}/otvety/{feedback.id}/v-bank/").status_code == 200
    assert client.get(f"{ADMIN}/otvety/99999/v-bank/").status_code == 404
    assert db.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
