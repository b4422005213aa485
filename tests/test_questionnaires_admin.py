"""The curator's questionnaires: edit one and its questions, a new consent text version,
answers listed, filtered, opened, marked processed and downloaded (CSV, XLSX) — hostile
strings always as text."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import unquote

import sqlalchemy as sa
from openpyxl import load_workbook

from mentoring_site.models import (
    Answer,
    AnswerStatus,
    AuditEntry,
    ConsentPurpose,
    ProcessingConsent,
    Question,
    QuestionKind,
    Questionnaire,
)
from tests.admin_support import ADMIN, signed_in, token

HOSTILE = '<script>alert("x")</script>=HYPERLINK("http://evil")&amp;<img src=x onerror=1>'


def _answer(db, slug="anketa-nastavnika", value=HOSTILE, status=AnswerStatus.NEW) -> Answer:
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == slug)).one()
    a = Answer(questionnaire=q, consent_text="Согласие " + value, consent_number=1, status=status,
               answers={str(x.id): {"question": x.text, "kind": x.kind.value, "value": value}
                        for x in q.questions})
    db.add(a)
    db.commit()
    return a


def test_answers_are_listed_filtered_and_shown_as_text(app, db):
    client = signed_in(app)
    mine = _answer(db)
    _answer(db, slug="anketa-nastavlyaemogo", value="Другой ответ",
            status=AnswerStatus.PROCESSED)
    html = client.get(f"{ADMIN}/otvety/").get_data(as_text=True)
    assert "Найдено ответов: 2" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    html = client.get(f"{ADMIN}/otvety/?sostoyanie=processed").get_data(as_text=True)
    assert "Найдено ответов: 1" in html and "Другой ответ" in html
    html = client.get(f"{ADMIN}/otvety/?anketa={mine.questionnaire_id}").get_data(as_text=True)
    assert "Найдено ответов: 1" in html and "Другой ответ" not in html
    page = client.get(f"{ADMIN}/otvety/{mine.id}/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert") >= 12  # every answer and the consent text
    assert "Фамилия, имя, отчество" in html and "редакция № 1" in html


def test_marking_an_answer_processed_goes_through_the_save_path(app, db):
    client = signed_in(app)
    a = _answer(db, value="Ответ")
    url = f"{ADMIN}/otvety/{a.id}/"
    resp = client.post(url, data={"csrf_token": token(client, url), "version": "1",
                                  "status": "processed"})
    assert resp.status_code == 302
    db.expire_all()
    assert db.get(Answer, a.id).status is AnswerStatus.PROCESSED
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.item_kind == "answer")).one()
    assert entry.changes == {"status": ["new", "processed"]}
    # no token: nothing changes
    assert client.post(url, data={"version": "2", "status": "new"}).status_code == 400


def test_csv_and_xlsx_downloads_have_russian_names_and_defused_formulas(app, db):
    client = signed_in(app)
    a = _answer(db)
    resp = client.get(f"{ADMIN}/otvety/vygruzka.csv?anketa={a.questionnaire_id}")
    assert resp.status_code == 200
    name = unquote(resp.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name.startswith("Ответы — Анкета наставника — ") and name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][:4] == ["№", "Дата и время", "Состояние", "Фамилия, имя, отчество"]
    assert rows[1][3] == HOSTILE  # starts with «<»: as typed
    resp = client.get(f"{ADMIN}/otvety/vygruzka.xlsx?anketa={a.questionnaire_id}")
    assert resp.status_code == 200 and "xlsx" in resp.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(resp.data)).active
    assert sheet.cell(1, 4).value == "Фамилия, имя, отчество"
    assert sheet.cell(2, 4).value == HOSTILE
    _answer(db, value="=1+2")
    resp = client.get(f"{ADMIN}/otvety/vygruzka.csv?anketa={a.questionnaire_id}")
    assert "'=1+2" in resp.get_data(as_text=True)
    resp = client.get(f"{ADMIN}/otvety/vygruzka.csv")  # columns differ: choose one first
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/otvety/")


def test_questionnaire_edit_keeps_its_address_and_lists_its_questions(app, db):
    client = signed_in(app)
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug ==
                                                  "anketa-nastavnika")).one()
    url = f"{ADMIN}/ankety/{q.id}/"
    html = client.get(url).get_data(as_text=True)
    assert "Педагогический стаж" in html and "Добавить вопрос" in html
    resp = client.post(url, data={"csrf_token": token(client, url), "version": str(q.version),
                                  "title": "Анкета для будущих наставников", "intro": "",
                                  "purpose": "mentor", "is_open": "y", "deadline": "",
                                  "program_id": "0", "sort": "1"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.expire_all()
    q = db.get(Questionnaire, q.id)
    assert q.slug == "anketa-nastavnika" and q.is_open and q.title.endswith("наставников")
    assert app.test_client().get("/nastavnichestvo/ankety/anketa-nastavnika/").status_code == 200


def test_a_choice_question_needs_options_and_other_kinds_drop_them(app, db):
    client = signed_in(app)
    q_id = db.scalar(sa.select(Questionnaire.id).where(Questionnaire.slug ==
                                                       "anketa-nastavnika"))
    url = f"{ADMIN}/voprosy-anket/novaya/"
    data = {"csrf_token": token(client, url), "questionnaire_id": str(q_id),
            "text": "Любимый формат", "help": "", "kind": "one", "options": "Один\n\n",
            "sort": "20"}
    html = client.post(url, data=data).get_data(as_text=True)
    assert "хотя бы два варианта" in html
    resp = client.post(url, data={**data, "options": "Очно\n  Онлайн  \n"})
    assert resp.status_code == 302
    created = db.scalars(sa.select(Question).where(Question.text == "Любимый формат")).one()
    assert created.options == ["Очно", "Онлайн"] and created.kind is QuestionKind.ONE
    resp = client.post(url, data={**data, "text": "Дата", "kind": "date"})
    assert resp.status_code == 302
    assert db.scalars(sa.select(Question).where(Question.text == "Дата")).one().options == []


def test_a_questionnaire_with_answers_is_not_deleted(app, db):
    client = signed_in(app)
    a = _answer(db, value="Ответ")
    url = f"{ADMIN}/ankety/{a.questionnaire_id}/udalit/"
    resp = client.post(url, data={"csrf_token": token(client, url)})
    assert resp.status_code == 409 and "На анкету есть ответы" in resp.get_data(as_text=True)


def test_each_change_of_the_consent_text_is_a_new_numbered_version(app, db):
    client = signed_in(app)
    url = f"{ADMIN}/soglasie-na-obrabotku/"
    html = client.get(url).get_data(as_text=True)
    assert "Действующая редакция: № 1" in html and "152-ФЗ" in unescape(html)
    resp = client.post(url, data={"csrf_token": token(client, url),
                                  "text": "Оператор — МБОУ «Школа № 1», г. Энск."})
    assert resp.status_code == 302
    numbers = db.scalars(sa.select(ProcessingConsent.number).where(
        ProcessingConsent.purpose == ConsentPurpose.QUESTIONNAIRE).order_by(
        ProcessingConsent.number)).all()
    assert numbers == [1, 3]  # one sequence: № 2 is the registrations' first text (0009)
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug ==
                                                  "anketa-nastavnika")).one()
    q.is_open = True
    db.commit()
    html = app.test_client().get("/nastavnichestvo/ankety/anketa-nastavnika/").get_data(
        as_text=True)
    assert "МБОУ «Школа № 1», г. Энск." in unescape(html)
    assert re.search(r"Действующая редакция: № 3", client.get(url).get_data(as_text=True))
