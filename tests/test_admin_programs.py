"""People with consents and programmes with their plan and life, through the admin."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from mentoring_site.models import (
    AuditEntry,
    Consent,
    Participation,
    Person,
    Program,
    ProgramExtension,
    ProgramForm,
    ProgramStatus,
)
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token


def _one(app, model, **where):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        stmt = sa.select(model).filter_by(**where)
        return sess.scalars(stmt).all()


def _post(client, url, form_page, **data):
    return client.post(url, data={"csrf_token": token(client, form_page), **data})


def _person(client, last, first, kind="teacher"):
    url = f"{ADMIN}/lyudi/novaya/"
    resp = _post(client, url, url, last_name=last, first_name=first, middle_name="",
                 kind=kind, position="Учитель", subjects="", qualification="",
                 experience_years="", bio="", awards="", in_mentor_bank="y", version="")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return resp.headers["Location"]


def test_person_with_consent_appears_on_the_site(app):
    client = signed_in(app)
    edit = _person(client, "Светлова", "Ольга")
    [person] = _one(app, Person)
    assert person.slug == "svetlova-olga"
    assert client.get(f"/nastavnichestvo/lyudi/{person.slug}/").status_code == 404
    consent_url = f"{ADMIN}/lyudi/{person.id}/soglasiya/novoe/"
    resp = _post(client, consent_url, consent_url, signed_on=str(date.today()),
                 allow_name="y", allow_position="y", site_url="", conditions="",
                 document_ref="№ 5 от сегодня")
    assert resp.status_code == 302
    assert client.get(f"/nastavnichestvo/lyudi/{person.slug}/").status_code == 200
    assert "согласие действует" in client.get(edit).get_data(as_text=True)
    [consent] = _one(app, Consent)
    withdraw = f"{ADMIN}/soglasiya/{consent.id}/"
    resp = _post(client, withdraw, withdraw, signed_on=str(date.today()), allow_name="y",
                 withdrawn_on=str(date.today()), site_url="", conditions="", document_ref="")
    assert resp.status_code == 302
    assert client.get(f"/nastavnichestvo/lyudi/{person.slug}/").status_code == 404


def test_student_address_has_no_surname(app):
    client = signed_in(app)
    _person(client, "Королёва", "Мария", kind="student")
    [person] = _one(app, Person)
    assert "koroleva" not in person.slug and person.slug.startswith("mariia")


def test_a_consent_cannot_end_before_it_was_signed(app):
    client = signed_in(app)
    _person(client, "Светлова", "Ольга")
    [person] = _one(app, Person)
    url = f"{ADMIN}/lyudi/{person.id}/soglasiya/novoe/"
    resp = _post(client, url, url, signed_on="2026-05-01", valid_until="2026-04-01",
                 allow_name="y", site_url="", conditions="", document_ref="")
    assert "не может быть раньше подписания" in resp.get_data(as_text=True)
    assert _one(app, Consent) == []


def test_deleting_a_participant_is_refused_with_the_programmes_named(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        who = f.person(last_name="Занятова", first_name="Вера", middle_name="")
        sess.add(f.program(sess, title="Первые шаги", mentors=[who]))
        sess.commit()
        pid = who.id
    client = signed_in(app)
    url = f"{ADMIN}/lyudi/{pid}/udalit/"
    html = client.get(url).get_data(as_text=True)
    assert "Нельзя удалить" in html and "«Первые шаги»" in html
    resp = client.post(url, data={"csrf_token": token(client, f"{ADMIN}/")})
    assert resp.status_code == 409 and len(_one(app, Person)) == 1


def _new_program(client, sess_form_id, start: date, end: date):
    url = f"{ADMIN}/programmy/novaya/"
    return _post(client, url, url, title="Молодой учитель", form_id=str(sess_form_id),
                 type="traditional", direction="Методика", goal="", starts_on=str(start),
                 planned_end_on=str(end), order_number="12-о", order_date="", results="",
                 is_public="y", version="")


def test_programme_term_must_be_three_months_to_a_year(app):
    [form] = _one(app, ProgramForm, name="учитель – учитель")
    client = signed_in(app)
    start = date(2026, 9, 1)
    resp = _new_program(client, form.id, start, start + timedelta(days=40))
    assert "не меньше 3 месяцев" in resp.get_data(as_text=True)
    assert _one(app, Program) == []
    resp = _new_program(client, form.id, start, date(2027, 5, 31))
    assert resp.status_code == 302


def test_programme_life_from_plan_to_completion(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        mentor, mentee = f.person(last_name="Опытнова"), f.person(last_name="Новичкова")
        sess.add_all([mentor, mentee])
        sess.commit()
        ids = mentor.id, mentee.id
    [form] = _one(app, ProgramForm, name="учитель – учитель")
    client = signed_in(app)
    start = date.today() - timedelta(days=100)
    assert _new_program(client, form.id, start, start + timedelta(days=200)).status_code == 302
    [program] = _one(app, Program)
    edit = f"{ADMIN}/programmy/{program.id}/"
    base = f"{ADMIN}/programmy/{program.id}"
    for pid, role in zip(ids, ("mentor", "mentee"), strict=True):
        assert _post(client, f"{base}/uchastniki/", edit, person_id=str(pid),
                     role=role).status_code == 302
    again = _post(client, f"{base}/uchastniki/", edit, person_id=str(ids[0]), role="mentee")
    assert "уже участвует" in again.get_data(as_text=True)
    assert _post(client, f"{base}/plan/", edit, title="Посещение уроков",
                 due_on="").status_code == 302
    assert _post(client, f"{base}/nachat/", edit).status_code == 302
    refused = _post(client, f"{base}/zavershit/", edit, ended_on=str(date.today()))
    assert "«Посещение уроков»" in refused.get_data(as_text=True)
    with app.app_context():
        program = app.extensions["mentoring"].session().scalar(sa.select(Program))
        assert program.status is ProgramStatus.ACTIVE
        event_id, planned_end = program.events[0].id, program.planned_end_on
    assert _post(client, f"{base}/plan/{event_id}/vypolneno/", edit,
                 done_on=str(date.today())).status_code == 302
    new_end = planned_end + timedelta(days=60)
    assert _post(client, f"{base}/prodlit/", edit, new_end_on=str(new_end),
                 reason="Решение пары").status_code == 302
    assert _post(client, f"{base}/zavershit/", edit,
                 ended_on=str(date.today())).status_code == 302
    [program] = _one(app, Program)
    assert program.status is ProgramStatus.COMPLETED
    assert len(_one(app, ProgramExtension)) == 1 and len(_one(app, Participation)) == 2
    actions = [e.changes.get("действие", [None, ""])[1] for e in _one(app, AuditEntry)]
    assert any("выполнено «Посещение уроков»" in a for a in actions if a)
    public = client.get(f"/nastavnichestvo/programmy/{program.slug}/").get_data(as_text=True)
    assert "Завершена" in public


def test_early_end_needs_the_circumstances(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.program(sess))
        sess.commit()
    [program] = _one(app, Program)
    client = signed_in(app)
    edit = f"{ADMIN}/programmy/{program.id}/"
    resp = _post(client, f"{edit}zavershit-dosrochno/", edit, ended_on=str(date.today()),
                 reason="participants", note="")
    assert "Заполните это поле" in resp.get_data(as_text=True)
    resp = _post(client, f"{edit}zavershit-dosrochno/", edit, ended_on=str(date.today()),
                 reason="participants", note="Наставляемая переехала в другой город")
    assert resp.status_code == 302
    [program] = _one(app, Program)
    assert program.status is ProgramStatus.ENDED_EARLY


def test_person_photo_and_a_private_consent_scan(app):
    import io

    from PIL import Image

    from mentoring_site.models import MediaFile

    client = signed_in(app)
    edit = _person(client, "Фотова", "Анна")
    [person] = _one(app, Person)
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 400), "#a53").save(jpeg, "JPEG")
    jpeg.seek(0)
    resp = client.post(f"{ADMIN}/lyudi/{person.id}/foto/", data={
        "csrf_token": token(client, edit), "photo": (jpeg, "портрет.jpg"),
        "alt_text": "Фотография: Фотова Анна"}, content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    url = f"{ADMIN}/lyudi/{person.id}/soglasiya/novoe/"
    resp = client.post(url, data={
        "csrf_token": token(client, url), "signed_on": str(date.today()), "allow_name": "y",
        "allow_photo": "y", "site_url": "", "conditions": "", "document_ref": "",
        "scan": (io.BytesIO(pdf), "согласие Фотовой.pdf")}, content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        scan = sess.scalar(sa.select(MediaFile).where(MediaFile.is_private.is_(True)))
        photo = sess.scalar(sa.select(MediaFile).where(MediaFile.is_private.is_(False)))
        names = scan.stored_name, photo.stored_name, scan.original_name
    assert names[2] == "согласие Фотовой.pdf"
    public = app.test_client()
    resp = public.get(f"/nastavnichestvo/media/{names[0]}")
    assert resp.status_code == 404
    resp.close()
    resp = public.get(f"/nastavnichestvo/media/{names[1]}")
    assert resp.status_code == 200 and resp.headers["X-Content-Type-Options"] == "nosniff"
    resp.close()
    resp = client.get(f"{ADMIN}/media/{names[0]}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    resp.close()


def test_a_bad_person_photo_is_refused_with_the_reason(app):
    import io

    client = signed_in(app)
    edit = _person(client, "Фотова", "Анна")
    [person] = _one(app, Person)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    resp = client.post(f"{ADMIN}/lyudi/{person.id}/foto/", data={
        "csrf_token": token(client, edit), "photo": (io.BytesIO(svg), "портрет.jpg"),
        "alt_text": "Фотография"}, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "JPEG, PNG или WebP" in html
    assert "Фотова" in html  # the person's page, with its form, is shown again
    [person] = _one(app, Person)
    assert person.photo_id is None
