"""A finished programme keeps the people it was reported with: the справка-отчёт and the
completion order name them, so «Добавить участника» and «Убрать» are refused
(``lifecycle.add_participant`` / ``remove_participant``) and no longer offered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from mentoring_site import lifecycle
from mentoring_site.models import Participation, ProgramStatus, Role
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token

TODAY = date.today()


def _programme(app, status):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        prog = f.program(sess, status=status, starts_on=TODAY - timedelta(days=200),
                         ended_on=TODAY if status is ProgramStatus.COMPLETED else None,
                         initial_end_on=TODAY, planned_end_on=TODAY,
                         mentors=[f.person()], mentees=[f.person(in_mentor_bank=False)])
        newcomer = f.person(last_name="Новикова")
        sess.add_all([prog, newcomer])
        sess.commit()
        return prog.id, newcomer.id, [p.id for p in prog.participations]


def _people(app, prog_id):
    with app.app_context():
        return app.extensions["mentoring"].session().scalar(
            sa.select(sa.func.count()).select_from(Participation)
            .where(Participation.program_id == prog_id))


def test_nobody_joins_or_leaves_a_completed_programme(app):
    prog_id, newcomer, parts = _programme(app, ProgramStatus.COMPLETED)
    before = _people(app, prog_id)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    html = client.get(page).get_data(as_text=True)
    assert "Добавить участника" not in html and "uchastniki/" not in html
    assert "её состав больше не меняется" in html
    added = client.post(f"{page}uchastniki/", data={
        "csrf_token": token(client, page), "person_id": newcomer, "role": Role.MENTEE.value})
    assert "её состав больше не меняется" in added.get_data(as_text=True)
    removed = client.post(f"{page}uchastniki/{parts[0]}/udalit/",
                          data={"csrf_token": token(client, page)})
    assert "её состав больше не меняется" in removed.get_data(as_text=True)
    assert _people(app, prog_id) == before


def test_a_running_programme_still_takes_participants(app):
    prog_id, newcomer, _parts = _programme(app, ProgramStatus.ACTIVE)
    before = _people(app, prog_id)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{prog_id}/"
    assert "Добавить участника" in client.get(page).get_data(as_text=True)
    client.post(f"{page}uchastniki/", data={
        "csrf_token": token(client, page), "person_id": newcomer, "role": Role.MENTEE.value})
    assert _people(app, prog_id) == before + 1


def test_the_rule_itself_without_http(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        prog = f.program(sess, status=ProgramStatus.ENDED_EARLY)
        person = f.person()
        with pytest.raises(lifecycle.LifecycleError, match="досрочно|завершена"):
            lifecycle.add_participant(prog, person, Role.MENTOR)


def test_each_report_link_names_its_programme(app):
    prog_id, _n, _p = _programme(app, ProgramStatus.COMPLETED)
    html = signed_in(app).get(f"{ADMIN}/otchety/").get_data(as_text=True)
    assert 'Скачать DOCX<span class="a-visually-hidden">: ' in html
