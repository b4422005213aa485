"""Consents a curator can execute (issue 11): the printable consent to dissemination (the
items of Приказ Роскомнадзора № 18) and to processing for the banks, as DOCX read back with
python-docx and as the admin's print page; a pupil's consent names the parent; a school's
own template; the written consent to take part, per programme, with a private scan.
(LibreOffice opens the DOCX: test_reports_office.py; axe and vnu: test_a11y_admin.py.)"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from mentoring_site.models import AccountRole, Consent, MediaFile, Participation, PersonKind
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token
from tests.conftest import make_app
from tests.test_uploads import _pdf

SITE = "https://school.example.ru"
SCHOOL = "МБОУ «Тестовая школа № 1»"


@pytest.fixture
def site_app(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path, MENTORING_SITE_URL=SITE)
    yield app
    app.extensions["mentoring"].engine.dispose()


def _people(app) -> dict[str, int]:
    """A teacher with a consent (name, position, experience; not the photo, bio, awards) and
    a pupil whose consent names the mother; both in a programme."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        teacher = f.person(consented=False, last_name="Берёзова", first_name="Ольга",
                           middle_name="Игоревна", position="Учитель физики",
                           subjects="Физика, астрономия", qualification="первая",
                           experience_years=14, bio="Ведёт кружок робототехники.",
                           awards="")
        teacher.consents.append(f.consent(allow_photo=False, allow_bio=False,
                                          allow_awards=False, valid_until=date(2027, 6, 30),
                                          conditions="Не передавать третьим лицам.",
                                          site_url="https://old.example.ru/nastavnik"))
        pupil = f.person(consented=False, kind=PersonKind.STUDENT, last_name="Ласточкин",
                         first_name="Пётр", middle_name="Андреевич",
                         position="обучающийся 7 «Б» класса", in_mentor_bank=False,
                         in_mentee_bank=True)
        pupil.consents.append(f.consent(representative_name="Ласточкина Анна Викторовна",
                                        representative_document="свидетельство о рождении "
                                        "II-АБ № 123456"))
        program = f.program(sess, title="Первые шаги в физике", mentors=[teacher],
                            mentees=[pupil])
        sess.add_all([teacher, pupil, program])
        sess.commit()
        return {"teacher": teacher.id, "pupil": pupil.id, "program": program.id,
                "mentor_part": program.participations[0].id}


def _text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return "\n".join(p.text for p in doc.paragraphs), rows


def _docx(client, person_id: int, kind: str, **args):
    resp = client.get(f"{ADMIN}/lyudi/{person_id}/soglasiya/blank/{kind}.docx",
                      query_string=args)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype.endswith("wordprocessingml.document")
    assert resp.headers["Cache-Control"] == "no-store"
    return resp


def test_the_dissemination_consent_carries_the_items_of_the_order(site_app):
    ids = _people(site_app)
    client = signed_in(site_app)
    resp = _docx(client, ids["teacher"], "rasprostranenie")
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    text, rows = _text(resp.data)
    assert text.startswith("СОГЛАСИЕ НА ОБРАБОТКУ ПЕРСОНАЛЬНЫХ ДАННЫХ, РАЗРЕШЁННЫХ СУБЪЕКТОМ "
                           "ПЕРСОНАЛЬНЫХ ДАННЫХ ДЛЯ РАСПРОСТРАНЕНИЯ")
    assert "Я, Берёзова Ольга Игоревна, в соответствии со статьёй 10.1" in text
    # the operator: the school's name; ИНН, ОГРН and address left to fill by hand
    assert f"оператору — {SCHOOL} (ИНН ____________________, ОГРН ____________________" in text
    # the sites: the section, the person's own page, the open data, the consent's own
    for url in (f"{SITE}/nastavnichestvo/", f"{SITE}/nastavnichestvo/lyudi/",
                f"{SITE}/nastavnichestvo/api/v1/", "https://old.example.ru/nastavnik"):
        assert url in text, url
    assert "Контактная информация (телефон, адрес электронной почты или почтовый адрес)" in text
    # the data the section publishes, with the person's choices from the newest consent
    assert ["Категория", "Перечень персональных данных", "Сведения (как в разделе)",
            "Согласие", "Условия и запреты"] in rows
    table = {r[1]: r for r in rows[1:]}
    assert table["фамилия, имя, отчество"][2:4] == ["Берёзова Ольга Игоревна", "да"]
    assert table["должность, преподаваемые предметы, квалификационная категория"][2:4] == [
        "Учитель физики; Физика, астрономия; квалификационная категория: первая", "да"]
    assert table["стаж работы"][2:4] == ["14 лет", "да"]
    assert table["сведения о себе (профессиональный путь, интересы)"][2:4] == [
        "Ведёт кружок робототехники.", "нет"]
    assert "награды и достижения" not in table  # nothing on the card, nothing consented
    assert "Не передавать третьим лицам." in text  # the conditions the person set
    assert "до 30.06.2027 или до дня его отзыва" in text
    assert "требованием в письменной форме" in text
    assert "обучающегося" not in text


def test_a_pupils_consent_names_the_parent_and_shows_what_the_section_shows(site_app):
    ids = _people(site_app)
    client = signed_in(site_app)
    text, rows = _text(_docx(client, ids["pupil"], "rasprostranenie").data)
    assert ("Я, Ласточкина Анна Викторовна, являясь законным представителем обучающегося "
            "Ласточкин Пётр Андреевич (документ, подтверждающий полномочия законного "
            "представителя: свидетельство о рождении II-АБ № 123456),") in text
    assert "(даётся родителем (законным представителем) обучающегося)" in text
    items = {r[1]: r[2] for r in rows[1:]}
    assert items == {"имя и первая буква фамилии": "Пётр Л.",
                     "сведения об обучении (класс, объединение)": "обучающийся 7 «Б» класса"}
    assert f"{SITE}/nastavnichestvo/lyudi/" not in text  # a pupil has no page
    # typed on the print form for this printout: wins over the recorded one, not stored
    typed = _docx(client, ids["pupil"], "obrabotka", predstavitel="Ласточкин Андрей Петрович",
                  dokument="паспорт 4510 123456")
    text, _ = _text(typed.data)
    assert "Я, Ласточкин Андрей Петрович, являясь законным представителем обучающегося " \
        "Ласточкин Пётр Андреевич (документ, подтверждающий полномочия законного " \
        "представителя: паспорт 4510 123456)," in text
    assert "включение в базу наставляемых" in text and "класс (объединение)" in text
    with site_app.app_context():
        sess = site_app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count()).where(
            Consent.representative_name == "Ласточкин Андрей Петрович")) == 0


def test_a_pupil_without_a_recorded_parent_gets_a_blank_line_and_choices_to_underline(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        pupil = f.person(consented=False, kind=PersonKind.STUDENT, last_name="Синицына",
                         first_name="Вера", position="8 класс")
        sess.add(pupil)
        sess.commit()
        pid = pupil.id
    client = signed_in(app)
    text, rows = _text(_docx(client, pid, "rasprostranenie").data)
    assert "Я, __________________________________________________ (ФИО родителя (законного " \
        "представителя)), являясь законным представителем обучающегося Синицына Вера" in text
    assert {r[3] for r in rows[1:]} == {"да / нет"}  # never ticked for the person
    assert "до «____» ______________ 20____ г. или до дня его отзыва" in text


def test_the_processing_consent_for_the_banks(site_app):
    ids = _people(site_app)
    client = signed_in(site_app)
    text, rows = _text(_docx(client, ids["teacher"], "obrabotka").data)
    assert text.startswith("СОГЛАСИЕ НА ОБРАБОТКУ ПЕРСОНАЛЬНЫХ ДАННЫХ\n")
    assert "Я, Берёзова Ольга Игоревна, в соответствии со статьёй 9" in text
    assert "включение в базу наставников образовательной организации" in text
    for part in ("Перечень персональных данных", "стаж работы", "Перечень действий",
                 "без распространения", "письменным заявлением", SCHOOL):
        assert part in text, part
    assert rows == []
    assert "распространение (предоставление неограниченному кругу лиц)" not in text


def test_a_schools_own_consent_template(site_app, tmp_path):
    ids = _people(site_app)
    folder = tmp_path / "blanki"
    folder.mkdir()
    doc = Document()
    doc.add_paragraph("Бланк школы {{ operator.name }}: {{ declarant }}")
    doc.add_paragraph("{% for c in categories %}[{{ c.item }}={{ c.allowed }}]{% endfor %}")
    doc.add_paragraph("Сайт: {{ sites[0] }}; <{{ representative.name }}>")
    doc.save(folder / "soglasie-na-rasprostranenie.docx")
    site_app.config["MENTORING_REPORT_TEMPLATES"] = str(folder)
    client = signed_in(site_app)
    text, rows = _text(_docx(client, ids["pupil"], "rasprostranenie",
                             predstavitel="<b>Мать</b>").data)
    lines = text.split("\n")
    assert lines[0].startswith(f"Бланк школы {SCHOOL}: Я, <b>Мать</b>, являясь законным")
    assert lines[1] == ("[имя и первая буква фамилии=да][сведения об обучении (класс, "
                        "объединение)=да]")
    assert lines[2] == f"Сайт: {SITE}/nastavnichestvo/; <<b>Мать</b>>"
    assert rows == []
    # the other consent has no template in the folder: the built-in one
    text, _ = _text(_docx(client, ids["pupil"], "obrabotka").data)
    assert text.startswith("СОГЛАСИЕ НА ОБРАБОТКУ")


def test_the_print_page(site_app):
    ids = _people(site_app)
    client = signed_in(site_app)
    card = client.get(f"{ADMIN}/lyudi/{ids['pupil']}/").get_data(as_text=True)
    assert "(подписывает родитель или законный представитель)" in card
    page_url = f"{ADMIN}/lyudi/{ids['pupil']}/soglasiya/blank/rasprostranenie/"
    assert page_url in card
    html = client.get(page_url).get_data(as_text=True)
    assert "consent-print.css" in html and 'class="c-noprint"' in html
    assert "Ласточкина Анна Викторовна" in html and "Пётр Л." in html
    assert 'name="predstavitel"' in html
    html = client.get(page_url, query_string={"predstavitel": "<script>x</script>",
                                              "dokument": "паспорт"}).get_data(as_text=True)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "soglasiya/blank/rasprostranenie.docx?predstavitel=" in html
    bad = client.get(page_url, query_string={"predstavitel": "Мать\x00"})
    assert bad.status_code == 200 and "недопустимые управляющие символы" in \
        bad.get_data(as_text=True)
    css = Path(__file__).resolve().parent.parent / "mentoring_site/static/mentoring/" \
        "consent-print.css"
    assert "@media print" in css.read_text() and ".a-header" in css.read_text()
    assert client.get(f"{ADMIN}/lyudi/{ids['pupil']}/soglasiya/blank/nechto/").status_code \
        == 404
    assert client.get(f"{ADMIN}/lyudi/99999/soglasiya/blank/obrabotka/").status_code == 404


def test_only_a_curator_prints_consents(app):
    ids = _people(app)
    editor = signed_in(app, AccountRole.EDITOR, "redaktor")
    for url in (f"{ADMIN}/lyudi/{ids['teacher']}/soglasiya/blank/rasprostranenie/",
                f"{ADMIN}/lyudi/{ids['teacher']}/soglasiya/blank/obrabotka.docx"):
        assert editor.get(url).status_code == 403, url
    anonymous = app.test_client()
    resp = anonymous.get(f"{ADMIN}/lyudi/{ids['teacher']}/soglasiya/blank/obrabotka.docx")
    assert resp.status_code in (302, 401)


def test_the_consent_form_records_the_representative(app):
    ids = _people(app)
    client = signed_in(app)
    url = f"{ADMIN}/lyudi/{ids['pupil']}/soglasiya/novoe/"
    assert "Согласие обучающегося подписывает родитель" in client.get(url).get_data(
        as_text=True)
    resp = client.post(url, data={"csrf_token": token(client, url),
                                  "signed_on": str(date.today()), "allow_name": "y",
                                  "representative_name": "Ласточкин Андрей Петрович",
                                  "representative_document": "паспорт 4510 654321",
                                  "site_url": "", "conditions": "", "document_ref": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        newest = sess.scalars(sa.select(Consent).where(Consent.person_id == ids["pupil"])
                              .order_by(Consent.id.desc())).first()
        assert (newest.representative_name, newest.representative_document) == (
            "Ласточкин Андрей Петрович", "паспорт 4510 654321")
    text, _ = _text(_docx(client, ids["pupil"], "rasprostranenie").data)
    assert "Я, Ласточкин Андрей Петрович, являясь законным представителем" in text


# -- the written consent to take part, per programme ------------------------------------


def _written(client, ids, **data):
    page = f"{ADMIN}/programmy/{ids['program']}/"
    url = f"{page}pismennye-soglasiya/{ids['mentor_part']}/"
    return client.post(url, data={"csrf_token": token(client, page), **data},
                       content_type="multipart/form-data")


def test_a_written_consent_is_recorded_with_a_private_scan(app):
    ids = _people(app)
    client = signed_in(app)
    page = f"{ADMIN}/programmy/{ids['program']}/"
    assert "не отмечено — в приказе «не зарегистрировано — проверить»" in client.get(
        page).get_data(as_text=True)
    resp = _written(client, ids, written_consent_on="2026-09-01",
                    file=(io.BytesIO(_pdf()), "согласие-берёзовой.pdf"))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        part = sess.get(Participation, ids["mentor_part"])
        assert part.written_consent_on == date(2026, 9, 1)
        scan = part.written_consent_scan
        assert scan.is_private and scan.original_name == "согласие-берёзовой.pdf"
        first = scan.stored_name
    html = client.get(page).get_data(as_text=True)
    assert "от 01.09.2026" in html and "согласие-берёзовой.pdf" in html
    assert client.get(f"{ADMIN}/media/{first}").status_code == 200  # the curator's copy
    public = app.test_client().get(f"/nastavnichestvo/media/{first}")
    assert public.status_code == 404  # never the public's
    # a new scan replaces the old one, whose file goes
    resp = _written(client, ids, written_consent_on="2026-09-02",
                    file=(io.BytesIO(_pdf()), "второй.pdf"))
    assert resp.status_code == 302
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(MediaFile.id).where(MediaFile.stored_name == first)) \
            is None
        part = sess.get(Participation, ids["mentor_part"])
        assert part.written_consent_scan.original_name == "второй.pdf"
        # a date alone keeps the scan
    assert _written(client, ids, written_consent_on="2026-09-03").status_code == 302
    with app.app_context():
        part = app.extensions["mentoring"].session().get(Participation, ids["mentor_part"])
        assert part.written_consent_on == date(2026, 9, 3)
        assert part.written_consent_scan.original_name == "второй.pdf"


def test_a_bad_written_consent_gets_a_russian_message(app):
    ids = _people(app)
    client = signed_in(app)
    resp = _written(client, ids, written_consent_on="")
    assert resp.status_code == 200 and "Укажите дату." in resp.get_data(as_text=True)
    resp = _written(client, ids, written_consent_on="2026-09-01",
                    file=(io.BytesIO(b"<html><script>alert(1)</script></html>"), "скан.pdf"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'role="alert"' in html
    with app.app_context():
        part = app.extensions["mentoring"].session().get(Participation, ids["mentor_part"])
        assert part.written_consent_on is None and part.written_consent_scan is None
    editor = signed_in(app, AccountRole.EDITOR, "redaktor")
    assert _written(editor, ids, written_consent_on="2026-09-01").status_code == 403


def test_withdrawal_still_hides_a_person_whose_written_consent_is_recorded(app):
    ids = _people(app)
    client = signed_in(app)
    assert _written(client, ids, written_consent_on="2026-09-01").status_code == 302
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        consent = sess.scalars(sa.select(Consent).where(
            Consent.person_id == ids["teacher"])).one()
        consent.withdrawn_on = date.today() - timedelta(days=1)
        sess.commit()
        slug = consent.person.slug
    public = app.test_client()
    assert public.get(f"/nastavnichestvo/lyudi/{slug}/").status_code == 404
    assert "Берёзова" not in public.get("/nastavnichestvo/nastavniki/").get_data(as_text=True)


def test_a_consent_posted_without_the_optional_fields_saves_them_empty(app):
    """A script or an older form that leaves out the site address, the conditions and the
    document reference: they are saved empty (NOT NULL columns), never a 500."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        person = f.person(consented=False)
        sess.add(person)
        sess.commit()
        person_id = person.id
    client = signed_in(app)
    page = f"{ADMIN}/lyudi/{person_id}/soglasiya/novoe/"
    resp = client.post(page, data={"csrf_token": token(client, page),
                                   "signed_on": "2026-11-01", "allow_name": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    with app.app_context():
        consent = app.extensions["mentoring"].session().scalar(
            sa.select(Consent).where(Consent.person_id == person_id))
        assert consent is not None
        assert (consent.site_url, consent.conditions, consent.document_ref) == ("", "", "")


def test_the_consent_to_take_part_names_the_persons_programmes(site_app):
    """Положение 3.2–3.3: the written consent to be a mentor / to take part, printed from the
    card with the person's programmes, role and dates (a pupil's signed by the parent)."""
    ids = _people(site_app)
    client = signed_in(site_app)
    text, rows = _text(_docx(client, ids["teacher"], "uchastie").data)
    assert text.startswith("СОГЛАСИЕ НА УЧАСТИЕ В ПРОГРАММЕ НАСТАВНИЧЕСТВА")
    assert "даю согласие на моё участие в программе (программах) наставничества" in text
    assert "«Первые шаги в физике» (наставник, с " in text
    assert ["Программа наставничества", "Роль", "Начало", "Завершение (план)"] in rows
    assert any(r[:2] == ["Первые шаги в физике", "наставник"] for r in rows)
    pupil, _ = _text(_docx(client, ids["pupil"], "uchastie").data)
    assert "Ласточкина Анна Викторовна" in pupil and "моего ребёнка (подопечного)" in pupil
    html = client.get(f"{ADMIN}/lyudi/{ids['teacher']}/soglasiya/blank/uchastie/").get_data(
        as_text=True)
    assert "Первые шаги в физике" in html and "Программы наставничества" in html
    card = client.get(f"{ADMIN}/lyudi/{ids['teacher']}/").get_data(as_text=True)
    assert "soglasiya/blank/uchastie/" in card


def test_the_programme_page_links_each_participants_consent_form(site_app):
    ids = _people(site_app)
    html = signed_in(site_app).get(f"{ADMIN}/programmy/{ids['program']}/").get_data(
        as_text=True)
    for person in ("teacher", "pupil"):
        assert f"lyudi/{ids[person]}/soglasiya/blank/uchastie/" in html
