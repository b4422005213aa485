"""The curator's monitoring on the admin programme page: a plan from a template, outcomes
with dates, results and reasons, completion by the new rule, the effectiveness sheet scored
on entry and at the end, and refusals that keep what was typed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from mentoring_site.models import (
    Assessment,
    AssessmentStage,
    AuditEntry,
    PlanEvent,
    Program,
    ProgramStatus,
)
from tests import factories as f
from tests import monitoring_support as ms
from tests.admin_support import ADMIN, signed_in, token

TODAY = date.today()


def _sess(app):
    return app.extensions["mentoring"].session()


def _programme(app, *, with_mentee=True):
    """A running programme with an empty plan (and one mentee)."""
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


def _post(client, page, url, **data):
    return client.post(url, data={"csrf_token": token(client, page), **data})


def _events(app, prog_id):
    with app.app_context():
        return [(e.id, e.title, e.done_on, e.result, e.not_done_reason) for e in _sess(app).scalars(
            sa.select(PlanEvent).where(PlanEvent.program_id == prog_id).order_by(PlanEvent.id))]


def _answers(app, points):
    with app.app_context():
        sheet = ms.default_sheet(_sess(app))
        return {f"i{i}": str(p) for i, p in ms.answers(sheet, points)}


def _score(client, page, prog_id, stage, points_map, person_id=0, **extra):
    data = dict(person_id=str(person_id), stage=stage, scored_on=str(TODAY),
                assessor_name="Куратор Петрова", **points_map)
    data.update(extra)
    return _post(client, page, f"{ADMIN}/programmy/{prog_id}/ocenka/", **data)


def test_the_whole_monitoring_path(app):
    prog_id, mentee_id = _programme(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "Применить шаблон плана" in html and "Оценка эффективности" in html
    with app.app_context():
        template = ms.default_template(_sess(app))
        template_id, n_items = template.id, len(template.items)

    resp = _post(client, page, f"{page}plan/shablon/", template_id=str(template_id))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    events = _events(app, prog_id)
    assert len(events) == n_items >= 3
    html = client.get(page).get_data(as_text=True)
    assert "Организационный этап: выполнено 0 %, не выполнено 0 %" in html
    assert "Применить шаблон плана" not in html  # the plan is no longer empty

    # completion refused while items are unmarked; the form links to them
    resp = _post(client, page, f"{page}zavershit/", ended_on=str(TODAY))
    html = resp.get_data(as_text=True)
    assert "Не отмечены мероприятия плана" in html
    assert f'href="#plan-item-{events[0][0]}"' in html
    with app.app_context():
        assert _sess(app).get(Program, prog_id).status is ProgramStatus.ACTIVE

    # «не выполнено» without a reason: refused at the field
    last = events[-1][0]
    resp = _post(client, page, f"{page}plan/{last}/ne-vypolneno/", reason="  ")
    assert resp.status_code == 200
    assert "Заполните это поле." in resp.get_data(as_text=True)
    # a done date before the start: refused, the typed result kept
    first = events[0][0]
    resp = _post(client, page, f"{page}plan/{first}/vypolneno/",
                 done_on=str(TODAY - timedelta(days=400)), result="Пара знакомится")
    html = resp.get_data(as_text=True)
    assert "раньше начала программы" in html and "Пара знакомится" in html
    assert _events(app, prog_id)[0][2] is None

    for event_id, *_ in events[:-1]:
        resp = _post(client, page, f"{page}plan/{event_id}/vypolneno/", done_on=str(TODAY),
                     result="Проведено")
        assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = _post(client, page, f"{page}plan/{last}/ne-vypolneno/",
                 reason="Наставник на больничном")
    assert resp.status_code == 302
    # reopen and mark again
    resp = _post(client, page, f"{page}plan/{first}/snyat-otmetku/")
    assert resp.status_code == 302 and _events(app, prog_id)[0][2] is None
    _post(client, page, f"{page}plan/{first}/vypolneno/", done_on=str(TODAY), result="Снова")
    html = client.get(page).get_data(as_text=True)
    assert "не выполнено: Наставник на больничном" in html
    pct_not_done = round(100 / n_items)
    assert f"не выполнено {pct_not_done} %" in html

    # scoring: final before entry refused with the answers kept
    points = [1, 1, 1, 1, 1, 0, 0, 1, 1]  # 7: недопустимый
    resp = _score(client, page, prog_id, "final", _answers(app, points), mentee_id)
    html = resp.get_data(as_text=True)
    assert "Сначала внесите оценку" in html and 'id="a-score-error"' in html
    first_indicator = next(iter(_answers(app, points)))
    assert re.search(rf'name="{first_indicator}" id="[^"]+" value="1" checked', html)
    # an unanswered indicator: refused, the answers given are kept
    partial = _answers(app, points)
    partial.pop(next(reversed(partial)))
    resp = _score(client, page, prog_id, "entry", partial, mentee_id)
    html = resp.get_data(as_text=True)
    assert "Не оценены показатели" in html
    assert re.search(rf'name="{first_indicator}" id="[^"]+" value="1" checked', html)
    with app.app_context():
        assert _sess(app).scalar(sa.select(sa.func.count(Assessment.id))) == 0

    resp = _score(client, page, prog_id, "entry", _answers(app, points), mentee_id)
    assert resp.status_code == 302, resp.get_data(as_text=True)

    resp = _post(client, page, f"{page}zavershit/", ended_on=str(TODAY))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    # the plan of a completed programme no longer changes
    resp = _post(client, page, f"{page}plan/{first}/snyat-otmetku/")
    assert "больше не меняется" in resp.get_data(as_text=True)

    resp = _score(client, page, prog_id, "final", _answers(app, [2, 2, 1, 2, 2, 1, 2, 2, 1]),
                  mentee_id)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "7 баллов — недопустимый" in html and "15 баллов — оптимальный" in html
    assert "+8: недопустимый → оптимальный" in html
    with app.app_context():
        sess = _sess(app)
        stages = sess.scalars(sa.select(Assessment.stage).order_by(Assessment.id)).all()
        assert stages == [AssessmentStage.ENTRY, AssessmentStage.FINAL]
        journal = [a for a in sess.scalars(sa.select(AuditEntry)) if a.item_id == prog_id]
        text = " ".join(str(a.changes) for a in journal)
        assert "применён шаблон плана" in text and "оценка эффективности" in text
        assert "не выполнено" in text


def test_group_score_and_a_second_entry_is_refused(app):
    prog_id, _ = _programme(app, with_mentee=False)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    answers = _answers(app, [2] * 9)
    assert _score(client, page, prog_id, "entry", answers).status_code == 302
    resp = _score(client, page, prog_id, "entry", answers)
    assert "уже есть" in resp.get_data(as_text=True)
    assert "Группа (пара) в целом" in client.get(page).get_data(as_text=True)


def test_a_plan_item_with_stage_form_of_work_and_responsible(app):
    prog_id, _ = _programme(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    html = client.get(page).get_data(as_text=True)
    work_form = re.search(r'<option value="(\d+)">Супервизия</option>', html, re.I)
    assert work_form, "forms of work are offered from the list"
    resp = _post(client, page, f"{page}plan/", title="Открытый урок", stage="practical",
                 work_form_id=work_form.group(1), responsible="Иванова И. И.",
                 due_on=str(TODAY + timedelta(days=10)))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "Практический этап" in html and "Иванова И. И." in html
    # a due date before the start: refused, the typed title kept
    resp = _post(client, page, f"{page}plan/", title="Слишком рано", stage="",
                 work_form_id="0", responsible="", due_on=str(TODAY - timedelta(days=400)))
    html = resp.get_data(as_text=True)
    assert "раньше начала программы" in html and 'value="Слишком рано"' in html


def test_conclusions_on_the_programme_form_and_a_stale_edit(app):
    prog_id, _ = _programme(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "Общие выводы" in html
    with app.app_context():
        prog = _sess(app).get(Program, prog_id)
        data = {"title": prog.title, "form_id": str(prog.form_id), "type": prog.type.value,
                "goal": "", "starts_on": str(prog.starts_on),
                "planned_end_on": str(prog.planned_end_on), "order_number": "",
                "order_date": "", "results": "", "is_public": "y",
                "version": str(prog.version)}
    resp = _post(client, page, page, **data, conclusions="Цели достигнуты.")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert _sess(app).get(Program, prog_id).conclusions == "Цели достигнуты."
    resp = _post(client, page, page, **data, conclusions="Устаревшая правка")
    assert resp.status_code == 409
    assert "Устаревшая правка" in resp.get_data(as_text=True)
    with app.app_context():
        assert _sess(app).get(Program, prog_id).conclusions == "Цели достигнуты."


# -- the school's lists, the switch, the filters ---------------------------------------------


def test_lists_of_directions_forms_of_work_and_categories(app):
    client = signed_in(app)
    nav = client.get(f"{ADMIN}/").get_data(as_text=True)
    for url in ("listy-ocenki", "napravleniya", "formy-raboty", "kategorii"):
        assert f'href="{ADMIN}/{url}/"' in nav, url
    for url, data, shown in (
        ("napravleniya", {"name": "Наставничество в летнем лагере", "sort": "50"},
         "Наставничество в летнем лагере"),
        ("formy-raboty", {"name": "Педагогическая мастерская", "sort": "9"},
         "Педагогическая мастерская"),
        ("kategorii", {"name": "Вернувшийся после декрета", "role": "mentee", "sort": "5"},
         "Вернувшийся после декрета"),
    ):
        new = f"{ADMIN}/{url}/novaya/"
        resp = _post(client, new, new, **data)
        assert resp.status_code == 302, (url, resp.get_data(as_text=True))
        assert shown in client.get(f"{ADMIN}/{url}/").get_data(as_text=True)
        # the same name again: refused at the field, the typed text kept
        if url != "kategorii":
            resp = _post(client, new, new, **data)
            html = resp.get_data(as_text=True)
            assert "уже есть в списке" in html and shown in html
    with app.app_context():
        from mentoring_site.models import WorkForm

        assert _sess(app).scalar(sa.select(sa.func.count()).select_from(WorkForm).where(
            WorkForm.name == "Педагогическая мастерская")) == 1
    # the new form of work is offered on a programme's plan
    prog_id, _ = _programme(app)
    assert "Педагогическая мастерская" in client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(
        as_text=True)


def test_a_direction_in_use_is_not_deleted(app):
    with app.app_context():
        from mentoring_site.models import Direction

        sess = _sess(app)
        direction = sess.scalars(sa.select(Direction).order_by(Direction.id)).first()
        prog = f.program(sess, title="Программа с направлением")
        prog.directions.append(direction)
        sess.add(prog)
        sess.commit()
        direction_id, prog_id = direction.id, prog.id
        other = f.program(sess, title="Другая программа")
        sess.add(other)
        sess.commit()
    client = signed_in(app)
    url = f"{ADMIN}/napravleniya/{direction_id}/udalit/"
    resp = _post(client, url, url)
    assert "Программа с направлением" in resp.get_data(as_text=True)
    listing = client.get(f"{ADMIN}/programmy/?napravlenie={direction_id}").get_data(as_text=True)
    assert "Программа с направлением" in listing and "Другая программа" not in listing
    assert prog_id


def test_person_categories_and_the_filter(app):
    with app.app_context():
        from mentoring_site.models import PersonCategory

        sess = _sess(app)
        young = sess.scalars(sa.select(PersonCategory).where(
            PersonCategory.young_specialist.is_(True))).first()
        young_id = young.id
    client = signed_in(app)
    url = f"{ADMIN}/lyudi/novaya/"
    resp = _post(client, url, url, last_name="Соколова", first_name="Вера", middle_name="",
                 kind="teacher", position="Учитель", subjects="", qualification="",
                 experience_years="1", bio="", awards="", categories=[str(young_id)],
                 version="")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    _post(client, url, url, last_name="Орлов", first_name="Пётр", middle_name="",
          kind="teacher", position="Учитель", subjects="", qualification="",
          experience_years="20", bio="", awards="", version="")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f'<option selected value="{young_id}">' in page
    listing = client.get(f"{ADMIN}/lyudi/?kategoriya={young_id}").get_data(as_text=True)
    assert "Соколова" in listing and "Орлов" not in listing


def test_the_switch_to_show_levels_on_the_site(app):
    from mentoring_site.monitoring import assessments

    client = signed_in(app)
    url = f"{ADMIN}/o-razdele/"
    html = client.get(url).get_data(as_text=True)
    assert "Показывать итоговый уровень эффективности на сайте" in html
    base = {"intro": "", "curator_name": "", "curator_position": "", "curator_phone": "",
            "curator_email": "", "curator_hours": "", "version": ""}
    resp = _post(client, url, url, **base, show_effectiveness_level="y")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert assessments.show_levels_on_site(_sess(app)) is True
        from mentoring_site.models import SectionInfo

        version = _sess(app).scalars(sa.select(SectionInfo)).one().version
    resp = _post(client, url, url, **{**base, "version": str(version)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        assert assessments.show_levels_on_site(_sess(app)) is False


# -- the dashboard --------------------------------------------------------------------------


def _dashboard_data(sess, n: int):
    """n of each thing the new blocks list."""
    from mentoring_site.models import Consent, PlanEvent

    long_ago = TODAY - timedelta(days=60)
    for i in range(n):
        p = f.program(sess, title=f"Без оценки {i}", starts_on=long_ago,
                      initial_end_on=TODAY + timedelta(days=200),
                      planned_end_on=TODAY + timedelta(days=200))
        p.events.append(PlanEvent(title=f"Просроченная встреча {i}",
                                  due_on=TODAY - timedelta(days=3)))
        done = f.program(sess, title=f"Недавно завершена {i}", status=ProgramStatus.COMPLETED,
                         ended_on=TODAY - timedelta(days=5))
        late = f.program(sess, title=f"Не начата {i}", status=ProgramStatus.PLANNED,
                         starts_on=TODAY - timedelta(days=2),
                         initial_end_on=TODAY + timedelta(days=200),
                         planned_end_on=TODAY + timedelta(days=200))
        young = f.person(last_name=f"Молодая{i}", first_name="Ирина", experience_years=1)
        idle = f.person(last_name=f"Свободный{i}", first_name="Олег", in_mentor_bank=True,
                        experience_years=15)
        ending = f.person(last_name=f"Истекает{i}", first_name="Нина", experience_years=10)
        ending.consents.append(Consent(signed_on=TODAY - timedelta(days=300),
                                       valid_until=TODAY + timedelta(days=10),
                                       allow_name=True))
        sess.add_all([p, done, late, young, idle, ending])
    sess.commit()


def test_dashboard_blocks_link_to_their_records(app):
    with app.app_context():
        _dashboard_data(_sess(app), 1)
        sess = _sess(app)
        overdue = sess.scalars(sa.select(PlanEvent).where(
            PlanEvent.title == "Просроченная встреча 0")).one()
        overdue_link = f"/programmy/{overdue.program_id}/#plan-item-{overdue.id}"
    client = signed_in(app)
    html = client.get(f"{ADMIN}/").get_data(as_text=True)
    for text in ("Без оценки 0", "Недавно завершена 0", "Просроченная встреча 0",
                 "Не начата 0", "Молодая0 Ирина", "Свободный0 Олег", "Истекает0 Нина"):
        assert text in html, text
    assert overdue_link in html
    assert "справка-отчёт до" in html


def test_dashboard_statement_count_does_not_grow(app):
    from sqlalchemy import event

    def count(client) -> int:
        engine = app.extensions["mentoring"].engine
        seen = []

        def _count(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", _count)
        try:
            assert client.get(f"{ADMIN}/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", _count)
        return len(seen)

    client = signed_in(app)
    with app.app_context():
        _dashboard_data(_sess(app), 1)
    few = count(client)
    with app.app_context():
        _dashboard_data(_sess(app), 4)
    assert count(client) == few


# -- the effectiveness sheet as data ---------------------------------------------------------


def test_sheet_levels_are_edited_and_checked(app):
    from mentoring_site.models import Level
    from mentoring_site.monitoring import assessments

    client = signed_in(app)
    with app.app_context():
        sheet = ms.default_sheet(_sess(app))
        sheet_id = sheet.id
        levels = {lv.name: lv.id for lv in sheet.levels}
    page = f"{ADMIN}/listy-ocenki/{sheet_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "Уровни эффективности" in html and "Наибольшая сумма баллов: 18" in html

    def bands(opt, ok, bad):
        return {f"name{levels['оптимальный']}": "оптимальный", f"min{levels['оптимальный']}": opt,
                f"max{levels['оптимальный']}": "18",
                f"name{levels['допустимый']}": "допустимый", f"min{levels['допустимый']}": ok,
                f"max{levels['допустимый']}": str(int(opt) - 1),
                f"name{levels['недопустимый']}": "недопустимый",
                f"min{levels['недопустимый']}": "0", f"max{levels['недопустимый']}": bad}

    # a gap: refused with the message, the typed thresholds kept
    resp = _post(client, page, f"{page}urovni/", **bands("16", "10", "8"))
    html = resp.get_data(as_text=True)
    assert "не попадает ни в один уровень" in html and 'value="16"' in html
    with app.app_context():
        assert _sess(app).get(Level, levels["оптимальный"]).min_total == 15
    # an edited threshold changes the level of a score
    prog_id, mentee_id = _programme(app)
    with app.app_context():
        sess = _sess(app)
        prog = sess.get(Program, prog_id)
        assessments.record_assessment(
            sess, prog, stage=AssessmentStage.ENTRY, scored_on=TODAY,
            answers=ms.answers(ms.default_sheet(sess), [2, 2, 1, 2, 2, 1, 2, 2, 1]),
            assessor_name="Куратор")
        sess.commit()
    assert "15 баллов — оптимальный" in client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(
        as_text=True)
    resp = _post(client, page, f"{page}urovni/", **bands("16", "9", "8"))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert "15 баллов — допустимый" in client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(
        as_text=True)
    # a sheet already used keeps its criteria and indicators
    resp = _post(client, page, f"{page}kriterii/", title="Новый критерий")
    assert "уже поставлены оценки" in resp.get_data(as_text=True)


def test_a_new_sheet_with_criteria_and_indicators(app):
    from mentoring_site.models import Sheet

    client = signed_in(app)
    new = f"{ADMIN}/listy-ocenki/novaya/"
    resp = _post(client, new, new, name="Лист для групп", active="", version="")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = resp.headers["Location"]
    assert _post(client, page, f"{page}kriterii/", title="Вовлечённость").status_code == 302
    with app.app_context():
        sheet = _sess(app).scalars(sa.select(Sheet).where(Sheet.name == "Лист для групп")).one()
        criterion_id = sheet.criteria[0].id
    resp = _post(client, page, f"{page}pokazateli/", criterion_id=str(criterion_id),
                 title="Участвует в обсуждениях")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "Вовлечённость" in html and "Участвует в обсуждениях" in html
    resp = _post(client, page, f"{page}pokazateli/", criterion_id=str(criterion_id), title=" ")
    assert "Заполните это поле." in resp.get_data(as_text=True)
