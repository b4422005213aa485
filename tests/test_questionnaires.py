"""Public questionnaires: a submission checked per question in Russian, the bot and flood
protection, the pages (list, form, thanks) through the test client, on a real database."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from mentoring_site import clock, questionnaires
from mentoring_site.models import (
    Answer,
    AnswerStatus,
    ConsentPurpose,
    LoginThrottle,
    ProcessingConsent,
    Question,
    QuestionKind,
    Questionnaire,
)
from mentoring_site.questionnaires import answers as A
from mentoring_site.questionnaires.protect import Limits, Refusal

PREFIX = "/nastavnichestvo"
MENTOR = "anketa-nastavnika"
HOSTILE = '<script>alert("x")</script>&amp;<b onmouseover=1>\'"'


def _q(kind: QuestionKind, *, required=False, options=(), id_=1) -> Question:
    return Question(id=id_, kind=kind, text=f"Вопрос {id_}", required=required,
                    options=list(options))


def _read(question: Question, *values: str, consent=True):
    form = MultiDict([(f"q{question.id}", v) for v in values])
    if consent:
        form.add("consent", "1")
    return A.read([question], form)


# -- checking one submission (no HTTP) ------------------------------------------------------


def test_required_text_is_asked_for_and_trimmed():
    q = _q(QuestionKind.SHORT, required=True)
    assert _read(q, "   ").errors == {"q1": A.REQUIRED}
    sub = _read(q, "  Иванова   Анна \n ")
    assert sub.ok and sub.clean["1"] == {"question": "Вопрос 1", "kind": "short",
                                         "value": "Иванова Анна"}
    assert _read(_q(QuestionKind.SHORT), "").clean["1"]["value"] is None


def test_lengths_are_capped_with_the_limit_named():
    assert "300" in _read(_q(QuestionKind.SHORT), "я" * 301).errors["q1"]
    assert _read(_q(QuestionKind.SHORT), "я" * 300).ok
    sub = _read(_q(QuestionKind.LONG), "я" * 4001)
    assert sub.errors["q1"].startswith("Ответ длиннее 4000 знаков (4001)")
    assert sub.typed["q1"] == "я" * 4001  # kept for the form that comes back
    assert _read(_q(QuestionKind.LONG), "строка\nвторая").clean["1"]["value"] == "строка\nвторая"


def test_control_characters_are_refused_in_russian():
    sub = _read(_q(QuestionKind.LONG), "до\x00после")
    assert "управляющие символы" in sub.errors["q1"]


def test_one_of_must_be_an_offered_option():
    q = _q(QuestionKind.ONE, required=True, options=["Да", "Нет"])
    assert _read(q).errors == {"q1": A.CHOOSE_ONE}
    assert _read(q, "Может быть").errors == {"q1": A.NOT_OFFERED}
    assert _read(q, "Нет").clean["1"]["value"] == "Нет"


def test_several_of_keeps_the_options_order_and_refuses_forged_ones():
    q = _q(QuestionKind.SEVERAL, required=True, options=["А", "Б", "В"])
    assert _read(q).errors == {"q1": A.CHOOSE_SOME}
    assert _read(q, "А", "Г").errors == {"q1": A.NOT_OFFERED}
    sub = _read(q, "В", "А", "В")
    assert sub.clean["1"]["value"] == ["А", "В"] and sub.typed["q1"] == ["В", "А", "В"]
    assert _read(_q(QuestionKind.SEVERAL, options=["А"])).clean["1"]["value"] == []


@pytest.mark.parametrize("raw", ["0", "6", "3.5", "три", "-1", " 10"])
def test_scale_takes_only_one_to_five(raw):
    assert _read(_q(QuestionKind.SCALE), raw).errors == {"q1": A.SCALE}


def test_scale_value_is_stored_as_a_number():
    assert _read(_q(QuestionKind.SCALE, required=True), "5").clean["1"]["value"] == 5
    assert _read(_q(QuestionKind.SCALE, required=True)).errors == {"q1": A.SCALE}


@pytest.mark.parametrize(("raw", "stored"), [("2027-09-01", "2027-09-01"),
                                             ("1.9.2027", "2027-09-01"),
                                             ("29.02.2028", "2028-02-29")])
def test_dates_typed_by_hand_or_by_a_date_field(raw, stored):
    assert _read(_q(QuestionKind.DATE), raw).clean["1"]["value"] == stored


@pytest.mark.parametrize("raw", ["31.02.2027", "2027-13-01", "завтра", "01.01.1800",
                                 "2027/09/01"])
def test_bad_dates_get_the_expected_format_in_the_message(raw):
    assert _read(_q(QuestionKind.DATE), raw).errors == {"q1": A.DATE}


def test_the_consent_box_is_required():
    sub = _read(_q(QuestionKind.SHORT), "текст", consent=False)
    assert sub.errors == {"consent": A.NO_CONSENT} and sub.typed["consent"] is False


def test_stored_answers_read_back_as_text_in_the_order_asked():
    stored = {"7": {"question": "Дата", "kind": "date", "value": "2027-09-01"},
              "3": {"question": "Темы", "kind": "several", "value": ["А", "Б"]},
              "5": {"question": "Оценка", "kind": "scale", "value": 4},
              "9": {"question": "Пусто", "kind": "short", "value": None}}
    assert A.in_order(stored) == [("Дата", "01.09.2027"), ("Темы", "А; Б"), ("Оценка", "4"),
                                  ("Пусто", "—")]


# -- the stamp and the honeypot ------------------------------------------------------------

LIMITS = Limits(min_seconds=5, max_age=3600, per_address=3, total=5,
                window=timedelta(hours=1), max_new=1000)


def test_stamp_gives_a_minimum_fill_time_and_a_maximum_age(app):
    with app.test_request_context():
        now = clock.epoch_seconds()
        ok = questionnaires.issue_stamp(7, 1, at=now - 10)
        assert questionnaires.check_bot({"stamp": ok}, 7, LIMITS) == 1
        with pytest.raises(Refusal, match="слишком быстро"):
            questionnaires.check_bot({"stamp": questionnaires.issue_stamp(7, 1)}, 7, LIMITS)
        with pytest.raises(Refusal, match="слишком долго"):
            questionnaires.check_bot(
                {"stamp": questionnaires.issue_stamp(7, 1, at=now - 3700)}, 7, LIMITS)
        for bad in (None, "", "x" * 600, ok + "x", questionnaires.issue_stamp(8, 1, at=now - 10)):
            with pytest.raises(Refusal, match="Не удалось проверить форму"):
                questionnaires.check_bot({"stamp": bad}, 7, LIMITS)
        with pytest.raises(Refusal, match="служебное поле"):
            questionnaires.check_bot({"stamp": ok, "website": "http://spam"}, 7, LIMITS)


# -- the pages ---------------------------------------------------------------------------


@pytest.fixture
def mentor_form(db):
    """The shipped mentor questionnaire, opened."""
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == MENTOR)).one()
    q.is_open = True
    db.commit()
    return q


def _stamp(client, slug=MENTOR) -> str:
    html = client.get(f"{PREFIX}/ankety/{slug}/").get_data(as_text=True)
    return unescape(re.search(r'name="stamp" value="([^"]+)"', html).group(1))


def _answers(db, q: Questionnaire, value="Тестовая Анна Викторовна") -> dict[str, object]:
    """A complete valid submission of the mentor questionnaire, with an old-enough stamp."""
    data: dict[str, object] = {"consent": "1"}
    for question in q.questions:
        name = f"q{question.id}"
        if question.kind in (QuestionKind.SHORT, QuestionKind.LONG):
            data[name] = value
        elif question.kind is QuestionKind.ONE:
            data[name] = question.options[0]
        elif question.kind is QuestionKind.SEVERAL:
            data[name] = question.options[:2]
        elif question.kind is QuestionKind.SCALE:
            data[name] = "4"
        else:
            data[name] = "2027-09-01"
    return data


def _post(app, client, data, *, address="10.0.0.1", age=60, slug=MENTOR, consent_number=1):
    with app.test_request_context():
        q_id = app.extensions["mentoring"].session().scalar(
            sa.select(Questionnaire.id).where(Questionnaire.slug == slug))
        stamp = questionnaires.issue_stamp(q_id, consent_number,
                                           at=clock.epoch_seconds() - age)
    return client.post(f"{PREFIX}/ankety/{slug}/", data={"stamp": stamp, **data},
                       environ_base={"REMOTE_ADDR": address})


def _count(db) -> int:
    db.rollback()
    return db.scalar(sa.select(sa.func.count()).select_from(Answer))


def test_only_open_questionnaires_are_listed_and_served(client, db, mentor_form):
    html = client.get(f"{PREFIX}/ankety/").get_data(as_text=True)
    assert "Анкета наставника" in html and "Удовлетворённость" not in html
    assert client.get(f"{PREFIX}/ankety/udovletvorennost-uchastiem/").status_code == 404
    mentor_form.deadline = clock.today() - timedelta(days=1)
    db.commit()
    assert "Анкета наставника" not in client.get(f"{PREFIX}/ankety/").get_data(as_text=True)
    assert client.get(f"{PREFIX}/ankety/{MENTOR}/").status_code == 404


def test_the_form_has_labels_legends_the_consent_text_and_no_cache(client, mentor_form):
    resp = client.get(f"{PREFIX}/ankety/{MENTOR}/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert "<legend>Педагогический стаж" in html and "(обязательно)" in html
    assert '<label for="q' in html and 'type="radio"' in html and 'type="checkbox"' in html
    assert "152-ФЗ" in html and 'name="consent"' in html
    assert '<div hidden>' in html and 'name="website"' in html
    assert "<script" not in html


def test_a_good_answer_is_stored_with_the_consent_and_redirects_to_thanks(app, client, db,
                                                                          mentor_form):
    resp = _post(app, client, _answers(db, mentor_form))
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/ankety/{MENTOR}/spasibo/")
    thanks = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Спасибо, анкета отправлена" in thanks
    db.rollback()
    answer = db.scalars(sa.select(Answer)).one()
    consent = db.scalars(sa.select(ProcessingConsent).where(
        ProcessingConsent.purpose == ConsentPurpose.QUESTIONNAIRE)).one()
    assert answer.status is AnswerStatus.NEW and answer.person_id is None
    assert (answer.consent_text, answer.consent_number) == (consent.text, 1)
    first = mentor_form.questions[0]
    assert answer.answers[str(first.id)] == {"question": "Фамилия, имя, отчество",
                                             "kind": "short",
                                             "value": "Тестовая Анна Викторовна"}
    assert list(answer.answers) == [str(q.id) for q in mentor_form.questions]


def test_bad_input_comes_back_with_every_answer_kept_and_a_message_per_field(
        app, client, db, mentor_form):
    data = _answers(db, mentor_form)
    name, position, *_ = mentor_form.questions
    several = next(q for q in mentor_form.questions if q.kind is QuestionKind.SEVERAL)
    one = next(q for q in mentor_form.questions if q.kind is QuestionKind.ONE)
    data[f"q{name.id}"] = ""
    data[f"q{position.id}"] = "Учитель «физики» & астрономии"
    data[f"q{one.id}"] = "Нет такого варианта"
    del data["consent"]
    resp = _post(app, client, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and _count(db) == 0
    assert "Анкета не отправлена" in html and 'role="alert"' in html
    assert f'id="q{name.id}-error">{A.REQUIRED}' in html
    assert f'aria-describedby="q{name.id}-error"' in html
    assert f'id="q{one.id}-error">{A.NOT_OFFERED}' in html
    assert 'id="consent-error"' in html
    assert 'value="Учитель «физики» &amp; астрономии"' in html  # kept, escaped
    for option in several.options[:2]:  # ticked boxes stay ticked
        assert re.search(rf'value="{re.escape(option)}"\s+checked', html), option
    assert f'<a href="#q{one.id}-1">' in html  # the summary links to the field


def test_honeypot_and_too_fast_store_nothing(app, client, db, mentor_form):
    data = _answers(db, mentor_form)
    resp = _post(app, client, {**data, "website": "http://spam.example"})
    assert resp.status_code == 400 and "служебное поле" in resp.get_data(as_text=True)
    stamp = _stamp(client)  # the form just shown, sent at once
    resp = client.post(f"{PREFIX}/ankety/{MENTOR}/", data={**data, "stamp": stamp})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "слишком быстро" in html
    assert "Тестовая Анна Викторовна" in html  # the answers are kept
    resp = client.post(f"{PREFIX}/ankety/{MENTOR}/", data=data)  # no stamp at all
    assert resp.status_code == 400
    assert _count(db) == 0


def test_a_post_from_another_site_is_refused(app, client, db, mentor_form):
    resp = client.post(f"{PREFIX}/ankety/{MENTOR}/", data=_answers(db, mentor_form),
                       headers={"Origin": "https://evil.example"})
    assert resp.status_code == 403 and _count(db) == 0


def test_rate_limit_per_address_lets_another_address_through(app, client, db, mentor_form):
    app.config["MENTORING_FORM_LIMIT_PER_ADDRESS"] = 3
    data = _answers(db, mentor_form)
    codes = [_post(app, client, data, address="10.0.0.1").status_code for _ in range(6)]
    assert codes == [303, 303, 303, 429, 429, 429]
    resp = _post(app, client, data, address="10.0.0.1")
    assert "С вашего адреса уже отправлено много анкет" in resp.get_data(as_text=True)
    assert _post(app, client, data, address="10.0.0.2").status_code == 303
    assert _count(db) == 4
    # the window passes: the address may send again
    later = clock.now_utc() - timedelta(hours=2)
    db.execute(sa.update(LoginThrottle).values(first_failure_at=later))
    db.commit()
    assert _post(app, client, data, address="10.0.0.1").status_code == 303


def test_global_limit_and_the_cap_on_unprocessed_answers(app, client, db, mentor_form):
    app.config["MENTORING_FORM_LIMIT_TOTAL"] = 2
    data = _answers(db, mentor_form)
    codes = [_post(app, client, data, address=f"10.0.1.{i}").status_code for i in range(3)]
    assert codes == [303, 303, 429]
    assert "слишком часто" in _post(app, client, data, address="10.9.9.9").get_data(
        as_text=True)
    app.config["MENTORING_FORM_LIMIT_TOTAL"] = 100
    app.config["MENTORING_FORM_MAX_NEW_ANSWERS"] = 2
    resp = _post(app, client, data, address="10.0.2.1")
    assert resp.status_code == 503 and "необработанных" in resp.get_data(as_text=True)
    assert _count(db) == 2


def test_a_thousand_posts_from_one_address_store_only_its_limit(app, client, db, mentor_form):
    """Past its limit an address costs one read per post: no body parsed, no form shown."""
    with app.test_request_context():
        stamp = questionnaires.issue_stamp(mentor_form.id, 1, at=clock.epoch_seconds() - 60)
    data = {**_answers(db, mentor_form), "stamp": stamp}
    url = f"{PREFIX}/ankety/{MENTOR}/"
    codes = [client.post(url, data=data, environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code
             for _ in range(1000)]
    assert codes.count(303) == 10 and codes.count(429) == 990
    assert _post(app, client, data, address="10.7.7.8").status_code == 303
    assert _count(db) == 11
    assert db.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 3


def test_a_huge_body_is_refused_in_russian_before_it_is_read(app, client, db, mentor_form):
    data = _answers(db, mentor_form)
    long_q = next(q for q in mentor_form.questions if q.kind is QuestionKind.LONG)
    data[f"q{long_q.id}"] = "я" * 100_000
    resp = _post(app, client, data)
    assert resp.status_code == 413
    assert "Анкета слишком большая" in resp.get_data(as_text=True)
    assert _count(db) == 0


def test_a_changed_consent_text_asks_to_read_it_again(app, client, db, mentor_form):
    db.add(ProcessingConsent(number=3, text="Новый текст согласия, редакция 3"))  # № 2: 0009's
    db.commit()
    resp = _post(app, client, _answers(db, mentor_form), consent_number=1)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "изменила текст согласия" in html
    assert "Новый текст согласия, редакция 3" in html
    assert not re.search(r'name="consent" value="1"[^>]*checked', html)
    assert _post(app, client, _answers(db, mentor_form), consent_number=3).status_code == 303
    db.rollback()
    assert db.scalars(sa.select(Answer.consent_number)).one() == 3


def test_hostile_strings_are_stored_as_text_and_shown_escaped(app, client, db, mentor_form):
    data = _answers(db, mentor_form, value=HOSTILE)
    resp = _post(app, client, data)
    assert resp.status_code == 303
    db.rollback()
    answer = db.scalars(sa.select(Answer)).one()
    assert answer.answers[str(mentor_form.questions[0].id)]["value"] == " ".join(HOSTILE.split())
    # shown back escaped when the form returns (the consent box left unticked)
    del data["consent"]
    html = _post(app, client, data).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
