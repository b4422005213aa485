"""The admin's programme form: directions chosen from the list (several), kept when the
programme is edited, and the list's search finding a programme by a direction's name."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from mentoring_site.models import Direction, Program, ProgramForm
from tests.admin_support import ADMIN, signed_in, token


def _ids(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        form_id = sess.scalar(sa.select(ProgramForm.id).order_by(ProgramForm.sort).limit(1))
        directions = dict(sess.execute(sa.select(Direction.name, Direction.id)).all())
        return form_id, directions


def test_directions_multi_select_and_search(app):
    form_id, directions = _ids(app)
    quality = directions["Управление качеством образования"]
    safety = directions["Обеспечение комплексной безопасности"]
    client = signed_in(app)
    url = f"{ADMIN}/programmy/novaya/"
    page = client.get(url).get_data(as_text=True)
    assert 'name="directions"' in page and "multiple" in page
    resp = client.post(url, data={
        "csrf_token": token(client, url), "title": "Команда развития", "form_id": str(form_id),
        "type": "traditional", "directions": [str(safety), str(quality)], "goal": "",
        "starts_on": str(date(2026, 9, 1)), "planned_end_on": str(date(2027, 5, 31)),
        "order_number": "", "order_date": "", "results": "", "is_public": "y", "version": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    edit_url = resp.headers["Location"]
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        program = sess.scalars(sa.select(Program)).one()
        assert program.direction_names == ("Управление качеством образования; "
                                           "Обеспечение комплексной безопасности")
    page = client.get(edit_url).get_data(as_text=True)
    assert f'<option selected value="{quality}">' in page

    found = client.get(f"{ADMIN}/programmy/?q=безопасности").get_data(as_text=True)
    assert "Команда развития" in found
    missing = client.get(f"{ADMIN}/programmy/?q=профилизация").get_data(as_text=True)
    assert "Команда развития" not in missing


def test_an_extended_end_edited_by_hand_keeps_the_extension_limit(app):
    from mentoring_site.models import ProgramExtension
    from tests import factories as f

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        program = f.program(sess, starts_on=date(2026, 1, 10), initial_end_on=date(2026, 7, 10),
                            planned_end_on=date(2026, 12, 10))
        program.extensions.append(ProgramExtension(
            decided_on=date(2026, 7, 1), previous_end_on=date(2026, 7, 10),
            new_end_on=date(2026, 12, 10), reason="Решение участников"))
        sess.add(program)
        sess.commit()
        pid, version, form_id = program.id, program.version, program.form_id
    client = signed_in(app)
    url = f"{ADMIN}/programmy/{pid}/"
    data = {"csrf_token": token(client, url), "title": "Продлённая", "form_id": str(form_id),
            "type": "traditional", "goal": "", "starts_on": "2026-01-10",
            "order_number": "", "order_date": "", "results": "", "is_public": "y",
            "version": str(version)}
    resp = client.post(url, data={**data, "planned_end_on": "2027-07-11"})
    assert "не позже 10.07.2027" in resp.get_data(as_text=True)
    resp = client.post(url, data={**data, "planned_end_on": "2027-07-10"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
