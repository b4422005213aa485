"""The curator edits the effectiveness sheet, the plan templates and a programme's plan in
the admin, and corrects a saved score: every change through the save path (journalled),
every refusal in Russian at the field it is about, never a 500 for hostile input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from mentoring_site.models import (
    AnswerOption,
    Assessment,
    AssessmentStage,
    AuditEntry,
    Direction,
    Indicator,
    Level,
    Person,
    PlanEvent,
    PlanTemplate,
    PlanTemplateItem,
    Program,
    Sheet,
    WorkForm,
)
from mentoring_site.monitoring import assessments, catalogs, sheet_edit
from mentoring_site.monitoring import sheet as rules
from mentoring_site.monitoring.errors import MonitoringError
from tests import factories as f
from tests import monitoring_support as ms
from tests.admin_support import ADMIN, signed_in, token

TODAY = date.today()
HOSTILE = ["²", "١٢", "99999999999999999999999", "-1", "1e3", "<script>alert(1)</script>",
           "' OR 1=1 --", "\u202e2", " "]


def _sess(app):
    return app.extensions["mentoring"].session()


def _post(client, page, url, **data):
    return client.post(url, data={"csrf_token": token(client, page), **data})


def _journal(app, kind: str) -> str:
    with app.app_context():
        return " ".join(str(a.changes) for a in _sess(app).scalars(
            sa.select(AuditEntry).where(AuditEntry.item_kind == kind)))


def _new_sheet(client, name="Лист для групп") -> tuple[str, int]:
    new = f"{ADMIN}/listy-ocenki/novaya/"
    resp = _post(client, new, new, name=name, active="", version="")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = resp.headers["Location"]
    return page, int(page.rstrip("/").rsplit("/", 1)[1])


def _programme(app, *, with_mentee=True):
    with app.app_context():
        sess = _sess(app)
        mentee = f.person(last_name="Новикова", first_name="Анна")
        prog = f.program(sess, mentees=[mentee] if with_mentee else (),
                         starts_on=TODAY - timedelta(days=30),
                         initial_end_on=TODAY + timedelta(days=200),
                         planned_end_on=TODAY + timedelta(days=200))
        prog.events.clear()
        sess.add(prog)
        sess.commit()
        return prog.id, (mentee.id if with_mentee else None)


def _answers(app, points):
    with app.app_context():
        sheet = ms.default_sheet(_sess(app))
        return {f"i{i}": str(p) for i, p in ms.answers(sheet, points)}


# -- the sheet: scale, criteria and indicators -------------------------------------------------


def test_a_new_sheet_is_built_renamed_reordered_and_trimmed(app):
    client = signed_in(app)
    page, sheet_id = _new_sheet(client)
    for title in ("Вовлечённость", "Самостоятельность"):
        assert _post(client, page, f"{page}kriterii/", title=title).status_code == 302
    with app.app_context():
        first, second = (c.id for c in _sess(app).get(Sheet, sheet_id).criteria)
    for title in ("Участвует в обсуждениях", "Задаёт вопросы"):
        resp = _post(client, page, f"{page}pokazateli/", criterion_id=str(first), title=title)
        assert resp.status_code == 302, resp.get_data(as_text=True)
    _post(client, page, f"{page}pokazateli/", criterion_id=str(second), title="Планирует сам")
    # the answer scale: two answers, then their labels and points edited
    for label, points in (("Проявляется в полной мере", "3"), ("Не проявляется", "0")):
        resp = _post(client, page, f"{page}shkala/dobavit/", label=label, points=points)
        assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sheet = _sess(app).get(Sheet, sheet_id)
        full, none_ = (a.id for a in sheet.answers)
        i1, i2, i3 = (i.id for i in sheet.indicators)
    resp = _post(client, page, f"{page}shkala/", **{
        f"label{full}": "проявляется в полной мере", f"points{full}": "2",
        f"label{none_}": "не проявляется", f"points{none_}": "0"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}shkala/dobavit/", label="частично", points="1")
    assert resp.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "проявляется в полной мере — 2; частично — 1; не проявляется — 0" in html
    assert "Наибольшая сумма баллов: 6" in html
    # rename and reorder: the second criterion first, the two indicators swapped
    resp = _post(client, page, f"{page}struktura/", **{
        f"c{first}": "Вовлечённость в работу", f"sc{first}": "2", f"sc{second}": "1",
        f"i{i1}": "Участвует в обсуждениях", f"si{i1}": "2",
        f"i{i2}": "Задаёт вопросы наставнику", f"si{i2}": "1"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sheet = _sess(app).get(Sheet, sheet_id)
        assert [c.title for c in sheet.criteria] == ["Самостоятельность",
                                                      "Вовлечённость в работу"]
        assert [i.title for i in sheet.indicators] == [
            "Планирует сам", "Задаёт вопросы наставнику", "Участвует в обсуждениях"]
    # an empty title: refused in Russian, nothing renamed
    resp = _post(client, page, f"{page}struktura/", **{f"c{first}": "  "})
    assert "Введите название: критерий." in resp.get_data(as_text=True)
    # remove an indicator and a criterion with its indicators (nothing scored yet)
    resp = _post(client, page, f"{page}pokazateli/udalit/", indicator_id=str(i1))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}kriterii/udalit/", criterion_id=str(second))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}shkala/udalit/", answer_id=str(none_))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sheet = _sess(app).get(Sheet, sheet_id)
        assert [i.title for i in sheet.indicators] == ["Задаёт вопросы наставнику"]
        assert _sess(app).get(Indicator, i3) is None
        assert [(a.label, a.points) for a in sheet.answers] == [
            ("проявляется в полной мере", 2), ("частично", 1)]
    text = _journal(app, "sheet")
    assert "переименованы и упорядочены" in text and "удалён показатель" in text
    assert "шкала ответов" in text


@pytest.mark.both_databases
def test_scale_refusals_are_russian(app):
    client = signed_in(app)
    page, sheet_id = _new_sheet(client)
    _post(client, page, f"{page}shkala/dobavit/", label="да", points="1")
    for points in ("1", "²", "-3", "101", "99999999999999999999"):
        resp = _post(client, page, f"{page}shkala/dobavit/", label=f"ответ {points}",
                     points=points)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, points
        assert ("одинаковые баллы" in html if points == "1"
                else "баллы — целое число от 0 до 100" in html), points
        assert f'value="ответ {points}"' in html  # what was typed is kept
    with app.app_context():
        assert len(_sess(app).get(Sheet, sheet_id).answers) == 1


def test_the_used_sheet_keeps_its_structure_but_takes_new_wording(app):
    prog_id, mentee_id = _programme(app)
    with app.app_context():
        sess = _sess(app)
        sheet = ms.default_sheet(sess)
        assessments.record_assessment(
            sess, sess.get(Program, prog_id), stage=AssessmentStage.ENTRY, scored_on=TODAY,
            answers=ms.answers(sheet, [2] * 9), assessor_name="Куратор")
        sess.commit()
        sheet_id = sheet.id
        indicator = sheet.indicators[0]
        criterion_id, indicator_id = indicator.criterion_id, indicator.id
        answer = sheet.answers[0]
        answer_id, answer_points = answer.id, answer.points
    client = signed_in(app)
    page = f"{ADMIN}/listy-ocenki/{sheet_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "подписи ответов можно исправить, баллы — нет" in html
    # removal refused while scores refer to it; the reason says why, in Russian
    resp = _post(client, page, f"{page}pokazateli/udalit/", indicator_id=str(indicator_id))
    assert "уже оценён в листах программ" in resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}kriterii/udalit/", criterion_id=str(criterion_id))
    assert "уже оценены в листах программ" in resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}shkala/", **{f"points{answer_id}": "5"})
    assert "баллы ответов не меняются" in resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}shkala/dobavit/", label="Иногда", points="3")
    assert "уже поставлены оценки" in resp.get_data(as_text=True)
    # wording and order may change: a score refers to the indicator by id
    resp = _post(client, page, f"{page}shkala/", **{f"label{answer_id}": "В полной мере"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}struktura/", **{f"i{indicator_id}": "Знает ФГОС",
                                                        f"si{indicator_id}": "9"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sess = _sess(app)
        assert sess.get(Indicator, indicator_id).title == "Знает ФГОС"
        assert sess.get(AnswerOption, answer_id).points == answer_points
        assert rules.assessment_total(sess.scalars(sa.select(Assessment)).one()) == 18
    html = client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(as_text=True)
    assert "18 баллов — оптимальный" in html


@pytest.mark.both_databases
def test_level_errors_are_shown_at_their_field(app):
    client = signed_in(app)
    with app.app_context():
        sheet = ms.default_sheet(_sess(app))
        sheet_id = sheet.id
        ids = {lv.name: lv.id for lv in sheet.levels}
    page = f"{ADMIN}/listy-ocenki/{sheet_id}/"
    opt, ok, bad = ids["оптимальный"], ids["допустимый"], ids["недопустимый"]
    base = {f"name{opt}": "оптимальный", f"min{opt}": "15", f"max{opt}": "18",
            f"name{ok}": "допустимый", f"min{ok}": "9", f"max{ok}": "14",
            f"name{bad}": "недопустимый", f"min{bad}": "0", f"max{bad}": "8"}
    cases = [
        ({f"min{opt}": "16"}, f"min{opt}", "не попадает ни в один уровень"),
        ({f"min{opt}": "14"}, f"min{opt}", "пересекается с предыдущим"),
        ({f"max{opt}": "17"}, f"max{opt}", "заканчиваться максимальной суммой баллов листа (18)"),
        ({f"min{ok}": "²"}, f"min{ok}", "граница — целое число"),
        ({f"max{bad}": "99999999999999999999"}, f"max{bad}", "граница — целое число"),
        ({f"name{ok}": " "}, f"name{ok}", "должно быть название"),
        ({f"name{ok}": "Оптимальный"}, f"name{ok}", "назовите уровни по-разному"),
    ]
    for change, at, message in cases:
        resp = _post(client, page, f"{page}urovni/", **{**base, **change})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, change
        field = re.search(rf'<input[^>]*id="sh-{at}"[^>]*>', html)
        assert field and 'aria-invalid="true"' in field.group(0), (change, html[-3000:])
        assert f'aria-describedby="sh-{at}-err"' in field.group(0)
        error = re.search(rf'<p class="a-error" id="sh-{at}-err">([^<]*)</p>', html)
        assert error and message in error.group(1), (change, error)
        value = next(iter(change.values()))
        assert f'value="{value}"' in html.replace("&#34;", '"'), change  # the typed value kept
    with app.app_context():
        assert _sess(app).get(Level, opt).min_total == 15
    # a renamed level and moved thresholds are saved
    resp = _post(client, page, f"{page}urovni/", **{**base, f"name{opt}": "высокий",
                                                     f"min{opt}": "16", f"max{ok}": "15"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert _sess(app).get(Level, opt).name == "высокий"


# -- scoring errors at the indicator, rescoring --------------------------------------------------


@pytest.mark.both_databases
def test_scoring_errors_are_shown_at_the_indicator(app):
    prog_id, mentee_id = _programme(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    answers = _answers(app, [2, 2, 1, 2, 2, 1, 2, 2, 1])
    keys = list(answers)
    answers.pop(keys[2])  # one unanswered
    answers[keys[4]] = "7"  # one not on the scale
    data = dict(person_id=str(mentee_id), stage="entry", scored_on=str(TODAY),
                assessor_name="Куратор Петрова", **answers)
    resp = _post(client, page, f"{page}ocenka/", **data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for key, message in ((keys[2], "Выберите ответ."), (keys[4], "7 — не балл шкалы листа")):
        err_id = f"score-{key}-err"
        assert re.search(rf'<fieldset[^>]*aria-describedby="{err_id} a-score-error"', html), key
        assert re.search(rf'<p class="a-error" id="{err_id}">[^<]*{re.escape(message)}', html)
    # the other answers are kept, a fine indicator has no error of its own
    assert re.search(rf'name="{keys[0]}" id="[^"]+" value="2" checked', html)
    assert f"score-{keys[0]}-err" not in html
    # hostile values and ids: a Russian message, never a 500, nothing saved
    for bad in HOSTILE:
        resp = _post(client, page, f"{page}ocenka/", **{**data, keys[4]: bad, f"i{bad}": "2",
                                                        "i99999999999999": "2"})
        assert resp.status_code == 200, bad
        assert "не балл шкалы листа" in resp.get_data(as_text=True), bad
    with app.app_context():
        assert _sess(app).scalar(sa.select(sa.func.count(Assessment.id))) == 0


@pytest.mark.both_databases
def test_a_saved_score_is_corrected_with_a_version_check(app):
    prog_id, mentee_id = _programme(app)
    with app.app_context():
        sess = _sess(app)
        sheet = ms.default_sheet(sess)
        entry = assessments.record_assessment(
            sess, sess.get(Program, prog_id), stage=AssessmentStage.ENTRY,
            scored_on=TODAY - timedelta(days=5), answers=ms.answers(sheet, [1] * 9),
            assessor_name="Куратор", person=sess.get(Person, mentee_id))
        sess.commit()
        entry_id = entry.id
    client = signed_in(app)
    prog_page = f"{ADMIN}/programmy/{prog_id}/"
    assert f"/ocenka/{entry_id}/" in client.get(prog_page).get_data(as_text=True)
    page = f"{prog_page}ocenka/{entry_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "Сохранённая сумма баллов: 9" in html
    points = re.findall(r'name="(i\d+)" id="[^"]+" value="1" checked', html)
    assert len(points) == 9  # prefilled with the saved answers
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    fifteen = _answers(app, [2, 2, 1, 2, 2, 1, 2, 2, 1])
    data = dict(version=version, scored_on=str(TODAY - timedelta(days=4)),
                assessor_name="Куратор Петрова", **fifteen)
    # an incomplete correction: refused at the indicator, nothing changed
    partial = {k: v for k, v in data.items() if k != next(iter(fifteen))}
    resp = _post(client, page, page, **partial)
    assert resp.status_code == 200
    assert f'id="rescore-{next(iter(fifteen))}-err"' in resp.get_data(as_text=True)
    resp = _post(client, page, page, **data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        saved = _sess(app).get(Assessment, entry_id)
        assert rules.assessment_total(saved) == 15
        assert saved.assessor_name == "Куратор Петрова"
        assert saved.version > int(version)
    assert "15 баллов — оптимальный" in client.get(prog_page).get_data(as_text=True)
    # a second correction begun from the old version is stale: 409, the typed answers kept
    stale = {**data, **_answers(app, [0] * 9)}
    resp = _post(client, page, page, **stale)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "изменил другой пользователь" in html
    assert re.search(rf'name="{next(iter(fifteen))}" id="[^"]+" value="0" checked', html)
    with app.app_context():
        assert rules.assessment_total(_sess(app).get(Assessment, entry_id)) == 15
    assert "исправлена оценка эффективности «на входе»" in _journal(app, "program")
    assert "было 9 баллов, стало 15" in _journal(app, "program")
    # a score of another programme is not found here; a garbled version is stale
    assert client.get(f"{ADMIN}/programmy/{prog_id + 999}/ocenka/{entry_id}/").status_code == 404
    resp = _post(client, page, page, **{**data, "version": "²"})
    assert resp.status_code == 409


def test_final_score_may_not_be_corrected_to_before_the_entry(app):
    prog_id, _ = _programme(app, with_mentee=False)
    with app.app_context():
        sess = _sess(app)
        sheet, prog = ms.default_sheet(sess), sess.get(Program, prog_id)
        for stage, day in ((AssessmentStage.ENTRY, -10), (AssessmentStage.FINAL, 0)):
            assessments.record_assessment(sess, prog, stage=stage,
                                          scored_on=TODAY + timedelta(days=day),
                                          answers=ms.answers(sheet, [1] * 9),
                                          assessor_name="Куратор")
        sess.commit()
        final = sess.scalars(sa.select(Assessment).where(
            Assessment.stage == AssessmentStage.FINAL)).one()
        final_id, version = final.id, final.version
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/ocenka/{final_id}/"
    resp = _post(client, page, page, version=str(version), assessor_name="Куратор",
                 scored_on=str(TODAY - timedelta(days=20)), **_answers(app, [1] * 9))
    assert "не может быть раньше оценки на входе" in resp.get_data(as_text=True)


# -- the plan of a programme ------------------------------------------------------------------


def test_a_plan_item_is_edited_and_only_an_unmarked_one_deleted(app):
    prog_id, _ = _programme(app)
    with app.app_context():
        sess = _sess(app)
        prog = sess.get(Program, prog_id)
        prog.events.extend([PlanEvent(title="Встреча", due_on=TODAY),
                            PlanEvent(title="Отчёт", done_on=TODAY, result="Сдан")])
        sess.commit()
        ids = {e.title: e.id for e in prog.events}
        open_id, done_id = ids["Встреча"], ids["Отчёт"]
        supervision = sess.scalars(sa.select(WorkForm).where(
            WorkForm.name.ilike("%упервиз%"))).first()
    client = signed_in(app)
    prog_page = f"{ADMIN}/programmy/{prog_id}/"
    html = client.get(prog_page).get_data(as_text=True)
    assert f"/plan/{open_id}/izmenit/" in html and f"/plan/{done_id}/izmenit/" in html
    page = f"{prog_page}plan/{open_id}/izmenit/"
    html = client.get(page).get_data(as_text=True)
    assert 'value="Встреча"' in html and "Удалить мероприятие из плана" in html
    data = dict(title="Встреча с наставником", stage="practical",
                work_form_id=str(supervision.id) if supervision else "0",
                responsible="Иванова И. И.", due_on=str(TODAY + timedelta(days=3)))
    resp = _post(client, page, page, **data)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        event = _sess(app).get(PlanEvent, open_id)
        assert (event.title, event.stage.value, event.responsible, event.due_on) == (
            "Встреча с наставником", "practical", "Иванова И. И.", TODAY + timedelta(days=3))
    # refusals: a due date before the start, a blank title, hostile choices
    for change, message in (({"due_on": str(TODAY - timedelta(days=400))}, "раньше начала"),
                            ({"title": " "}, "Заполните это поле."),
                            ({"stage": "²"}, "Выберите значение из списка."),
                            ({"work_form_id": "²"}, "Выберите значение из списка."),
                            ({"work_form_id": "99999999999999999999"},
                             "Выберите значение из списка."),
                            ({"due_on": "31.02.²"}, "Введите дату")):
        resp = _post(client, page, page, **{**data, **change})
        assert resp.status_code == 200, change
        assert message in resp.get_data(as_text=True), change
    # a marked item stays: refused with the reason; the unmarked one goes
    done_page = f"{prog_page}plan/{done_id}/izmenit/"
    assert "Удалить мероприятие из плана" not in client.get(done_page).get_data(as_text=True)
    resp = _post(client, done_page, f"{prog_page}plan/{done_id}/udalit/")
    assert "уже отмечено (выполнено)" in resp.get_data(as_text=True)
    resp = _post(client, page, f"{prog_page}plan/{open_id}/udalit/")
    assert resp.status_code == 302
    with app.app_context():
        assert _sess(app).get(PlanEvent, open_id) is None
        assert _sess(app).get(PlanEvent, done_id) is not None
    assert "изменено мероприятие плана" in _journal(app, "program")
    assert client.get(f"{ADMIN}/programmy/{prog_id + 999}/plan/{done_id}/izmenit/"
                      ).status_code == 404


# -- plan templates ---------------------------------------------------------------------------


@pytest.mark.both_databases
def test_plan_templates_are_edited_and_applied(app):
    client = signed_in(app)
    html = client.get(f"{ADMIN}/shablony-plana/").get_data(as_text=True)
    with app.app_context():
        default = ms.default_template(_sess(app))
        assert default.name in html
    new = f"{ADMIN}/shablony-plana/novaya/"
    resp = _post(client, new, new, name="План на полгода", description="Для пар")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = resp.headers["Location"]
    resp = _post(client, new, new, name=" план  НА полгода ", description="")
    assert "уже есть" in resp.get_data(as_text=True)
    with app.app_context():
        template_id = _sess(app).scalars(sa.select(PlanTemplate.id).where(
            PlanTemplate.name == "План на полгода")).one()
    for title, stage, days in (("Знакомство", "organizational", "0"),
                               ("Открытый урок", "practical", "60"),
                               ("Итоговая встреча", "final", "170")):
        resp = _post(client, page, f"{page}punkty/", title=title, stage=stage,
                     work_form_id="0", responsible="Куратор", due_offset_days=days)
        assert resp.status_code == 302, resp.get_data(as_text=True)
    for bad in ("²", "-1", "99999999999", "abc"):
        resp = _post(client, page, f"{page}punkty/", title="Плохой срок", stage="final",
                     work_form_id="0", responsible="", due_offset_days=bad)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200 and "Введите" in html, bad
        assert 'value="Плохой срок"' in html
    with app.app_context():
        items = _sess(app).get(PlanTemplate, template_id).items
        first, second, third = (i.id for i in items)
    # reorder: the last one up, the first one down
    assert _post(client, page, f"{page}punkty/{third}/vyshe/").status_code == 302
    assert _post(client, page, f"{page}punkty/{first}/nizhe/").status_code == 302
    with app.app_context():
        order = [i.title for i in _sess(app).get(PlanTemplate, template_id).items]
        assert order == ["Итоговая встреча", "Знакомство", "Открытый урок"]
    # edit an item on its own page
    item_page = f"{page}punkty/{second}/"
    html = client.get(item_page).get_data(as_text=True)
    assert 'value="Открытый урок"' in html and 'value="60"' in html
    resp = _post(client, item_page, item_page, title="Открытый урок наставника",
                 stage="practical", work_form_id="0", responsible="Наставник",
                 due_offset_days="45")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, item_page, item_page, title="Открытый урок", stage="nope",
                 work_form_id="0", responsible="", due_offset_days="1")
    assert "Выберите значение из списка." in resp.get_data(as_text=True)
    assert _post(client, page, f"{page}punkty/{third}/udalit/").status_code == 302
    with app.app_context():
        sess = _sess(app)
        items = sess.get(PlanTemplate, template_id).items
        assert [(i.title, i.responsible, i.due_offset_days) for i in items] == [
            ("Знакомство", "Куратор", 0), ("Открытый урок наставника", "Наставник", 45)]
        assert sess.get(PlanTemplateItem, third) is None
    assert "изменено мероприятие шаблона" in _journal(app, "plan_template")
    # the edited template is offered on a programme and applied as edited
    prog_id, _ = _programme(app)
    prog_page = f"{ADMIN}/programmy/{prog_id}/"
    assert "План на полгода" in client.get(prog_page).get_data(as_text=True)
    resp = _post(client, prog_page, f"{prog_page}plan/shablon/", template_id=str(template_id))
    assert resp.status_code == 302
    with app.app_context():
        events = _sess(app).get(Program, prog_id).events
        assert [e.title for e in events] == ["Знакомство", "Открытый урок наставника"]
        assert events[1].due_on == events[1].program.starts_on + timedelta(days=45)
    # an item of another template is not found through this one
    assert client.get(f"{ADMIN}/shablony-plana/{default.id}/punkty/{second}/").status_code == 404


# -- the school's lists: one duplicate-name rule ----------------------------------------------


def test_the_duplicate_name_rule_is_one_function(app):
    with app.app_context():
        sess = _sess(app)
        existing = sess.scalars(sa.select(Direction).order_by(Direction.id)).first()
        twin = Direction(name="  " + existing.name.upper() + " ", sort=1)
        assert "уже есть в списке" in catalogs.duplicate_name(sess, twin)
        assert catalogs.duplicate_name(sess, existing) is None  # itself is no duplicate
        with pytest.raises(MonitoringError, match="уже есть в списке"):
            catalogs.add_direction(sess, existing.name.lower())
        sess.rollback()
    client = signed_in(app)
    new = f"{ADMIN}/kategorii/novaya/"
    data = {"name": "Вернувшийся после декрета", "role": "mentee", "sort": "5"}
    assert _post(client, new, new, **data).status_code == 302
    resp = _post(client, new, new, **data)  # a category: checked too, no IntegrityError
    assert resp.status_code == 200 and "уже есть в списке" in resp.get_data(as_text=True)
    assert _post(client, new, new, **{**data, "role": "mentor"}).status_code == 302
    for bad in ("²", "99999999999999999999"):
        resp = _post(client, new, new, **{**data, "name": f"Категория {bad}", "sort": bad})
        assert resp.status_code == 200 and "Введите" in resp.get_data(as_text=True), bad


# -- the rules without HTTP -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["²", "١", "1.0", "", "  ", "2" * 30, None])
def test_answers_typed_oddly_are_not_points(typed):
    sheet = ms.sheet()
    answers = [(i, typed if n == 0 else 2) for n, (i, _) in
               enumerate(ms.answers(sheet, [2] * 9))]
    with pytest.raises(rules.AnswersRefused) as refused:
        rules.check_answers(sheet, answers)
    assert list(refused.value.problems) == [sheet.indicators[0].id]
    assert "не балл шкалы" in refused.value.problems[sheet.indicators[0].id]


def test_level_problems_name_their_field():
    sheet = ms.sheet((("высокий", 16, 18), ("средний", 9, 14), ("низкий", 0, 8)))
    problems = rules.level_problems(sheet)
    assert [(lv.name, field) for lv, field, _ in problems] == [("высокий", "min")]
    sheet = ms.sheet((("высокий", 15, 17), ("средний", 9, 14), ("низкий", 0, 8)))
    assert [(lv.name, field) for lv, field, _ in rules.level_problems(sheet)] == [
        ("высокий", "max")]


def test_sheet_edit_rules_on_the_default_sheet(db):
    sheet = ms.default_sheet(db)
    first, second = sheet.criteria[0], sheet.criteria[1]
    sheet_edit.set_structure(sheet, {f"c{second.id}": "Второй"},
                             {f"c{second.id}": 0, f"i{first.indicators[-1].id}": 0})
    assert sheet.criteria[0].title == "Второй" and sheet.criteria[1] is first
    assert [c.sort for c in sheet.criteria] == [1, 2, 3]
    assert first.indicators[0].sort == 1
    with pytest.raises(MonitoringError, match="хотя бы два ответа"):
        for a in list(sheet.answers):
            sheet_edit.remove_answer(db, sheet, a.id)
    db.rollback()
