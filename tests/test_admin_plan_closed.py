"""A finished programme's plan no longer changes (``monitoring.plan``): not through the
admin's «Убрать» either, and its page no longer offers the buttons that would be refused."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from mentoring_site.models import PlanEvent, ProgramStatus
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token

TODAY = date.today()


def _completed(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        prog = f.program(sess, status=ProgramStatus.COMPLETED,
                         starts_on=TODAY - timedelta(days=200), ended_on=TODAY,
                         initial_end_on=TODAY, planned_end_on=TODAY)
        prog.events.clear()
        prog.events.append(PlanEvent(title="Установочная встреча", done_on=TODAY))
        prog.events.append(PlanEvent(title="Стажировка", not_done_reason="Отменена"))
        sess.add(prog)
        sess.commit()
        return prog.id, [e.id for e in prog.events]


def _titles(app, prog_id):
    with app.app_context():
        return sorted(app.extensions["mentoring"].session().scalars(
            sa.select(PlanEvent.title).where(PlanEvent.program_id == prog_id)))


def test_an_item_of_a_completed_programme_is_not_removed(app):
    prog_id, (_done, not_done) = _completed(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    resp = client.post(f"{page}plan/{not_done}/udalit/",
                       data={"csrf_token": token(client, page)})
    assert resp.status_code == 200
    assert "её план больше не меняется" in resp.get_data(as_text=True)
    assert _titles(app, prog_id) == ["Стажировка", "Установочная встреча"]


def test_a_completed_programme_page_offers_no_plan_changes(app):
    prog_id, _ids = _completed(app)
    client = signed_in(app)
    html = client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(as_text=True)
    assert "не выполнено: Отменена" in html and "выполнено " in html
    for refused in ("Снять отметку", "Добавить в план", f"programmy/{prog_id}/plan/"):
        assert refused not in html, refused
    assert "План завершённой программы больше не меняется" in html


def test_a_running_programme_keeps_its_plan_buttons(app):
    prog_id, _ids = _completed(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        from mentoring_site.models import Program
        sess.get(Program, prog_id).status = ProgramStatus.ACTIVE
        sess.commit()
    client = signed_in(app)
    html = client.get(f"{ADMIN}/programmy/{prog_id}/").get_data(as_text=True)
    assert html.count("Снять отметку") == 2 and "Добавить в план" in html
