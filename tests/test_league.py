"""The League of mentor schools on the office's site: directions, applications, orders,
the schools' API (a key per registry school) and the public page, and a school's section
sending its application to an office served over real HTTP on loopback."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa
from markupsafe import escape

from mentoring_site.demo.pictures import pdf_document
from mentoring_site.migrate import upgrade
from mentoring_site.models import AccountRole
from mentoring_site.models.league import LeagueMember, LeagueState
from mentoring_site.municipal import create_app, league
from mentoring_site.municipal.roster import add_school
from tests.municipal_support import prepared

from .admin_support import signed_in, token
from .conftest import make_app

LIGA = "/nastavnichestvo/admin/reestr/liga/"
API = "/api/liga/zayavki"
HOSTILE = '<script>alert("x")</script>'
FIRST = "Управление качеством образования"
SECOND = "Обеспечение комплексной безопасности"


def _office(folder: Path, **config):
    app = create_app(instance_path=str(folder / "office"), **config)
    app.config["TESTING"] = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    prepared(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        add_school(sess, "МБОУ «Школа № 1»", "http://school1.example.ru/nastavnichestvo/",
                   "school1")
        add_school(sess, "МБОУ «Школа № 2»", "http://school2.example.ru/nastavnichestvo/",
                   "school2")
        sess.commit()
    return app


@pytest.fixture
def office(tmp_path):
    app = _office(tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


def _session(app):
    return app.extensions["mentoring"].session()


def _key(app, school_key: str = "school1") -> str:
    with app.app_context():
        sess = _session(app)
        from mentoring_site.models.registry import RegistrySchool

        school = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == school_key))
        raw = league.issue_key(sess, school)
        sess.commit()
        return raw


def _body(**change) -> dict:
    body = {"directions": [FIRST, SECOND],
            "contact": {"name": "Соколова Вера Павловна", "position": "заместитель директора",
                        "phone": "+7 (800) 000-00-01", "email": "sokolova@school1.example.ru"},
            "note": "Опыт сетевых проектов с 2020 года."}
    body.update(change)
    return body


def _post(client, raw: str | None, body, **headers):
    if raw is not None:
        headers["Authorization"] = f"Bearer {raw}"
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(API, data=data, content_type=headers.pop("content_type",
                                                               "application/json"),
                       headers=headers)


def _members(app) -> list[LeagueMember]:
    with app.app_context():
        return league.members(_session(app))


def _pdf() -> bytes:
    return pdf_document("Приказ о Лиге менторов", ["Включить школы в Лигу."])


# -- the domain ---------------------------------------------------------------------------


def test_the_directions_start_with_the_regional_nine_and_stay_unique(office):
    with office.app_context():
        sess = _session(office)
        names = [d.name for d in league.directions(sess)]
        assert len(names) == 9 and FIRST in names
        with pytest.raises(league.LeagueError, match="уже есть"):
            league.add_direction(sess, "  управление   качеством образования ")
        added = league.add_direction(sess, "Цифровая образовательная среда")
        league.change_direction(sess, added, "Цифровая среда школы", hidden=True)
        assert "Цифровая среда школы" not in [d.name for d in league.directions(sess)]
        assert "Цифровая среда школы" in [d.name for d in league.directions(
            sess, with_hidden=True)]


@pytest.mark.parametrize(("body", "message"), [
    ([], "объектом JSON"),
    ({"directions": [FIRST], "contact": {"name": "А"}, "extra": 1}, "Неизвестное поле"),
    ({"directions": [], "contact": {}}, "хотя бы одно"),
    ({"directions": ["Нет такого"], "contact": {}}, "нет в списке управления"),
    ({"directions": [FIRST], "contact": "x"}, "контактное лицо"),
    ({"directions": [FIRST], "contact": {"name": "А", "phone": "звоните"}}, "Телефон"),
    ({"directions": [FIRST], "contact": {"name": "А", "email": "нет"}}, "Электронная почта"),
    ({"directions": [FIRST], "contact": {"name": "А"}}, "телефон или электронную почту"),
    ({"directions": [FIRST], "contact": {"name": "А\x00", "phone": "1"}}, "управляющие"),
    ({"directions": [FIRST], "contact": {"name": "А" * 301, "phone": "1"}}, "не длиннее"),
])
def test_an_application_is_checked_with_russian_messages(office, body, message):
    with office.app_context(), pytest.raises(league.LeagueError, match=message):
        league.parse_application(_session(office), body)


# -- the office's admin -----------------------------------------------------------------------


def test_the_office_enters_an_application_and_the_curator_includes_it_by_order(office):
    specialist = signed_in(office, AccountRole.REGISTRY, "reestr")
    home = specialist.get("/nastavnichestvo/admin/").get_data(as_text=True)
    assert "Лига менторов" in home
    t = token(specialist, LIGA + "novaya")
    with office.app_context():
        ids = {d.name: d.id for d in league.directions(_session(office))}
    bad = specialist.post(LIGA + "novaya", data={"csrf_token": t, "school": "",
                                                 "organisation": "", "directions": []})
    assert bad.status_code == 400
    assert "Выберите школу из реестра" in bad.get_data(as_text=True) \
        or "хотя бы одно направление" in bad.get_data(as_text=True)
    made = specialist.post(LIGA + "novaya", data={
        "csrf_token": t, "school": "school1", "directions": [ids[FIRST], ids[SECOND]],
        "contact_name": "Соколова Вера Павловна", "contact_phone": "+7 800 000-00-01",
        "contacts_public": "y"})
    assert made.status_code == 302
    free = specialist.post(LIGA + "novaya", data={
        "csrf_token": t, "school": "", "organisation": HOSTILE,
        "directions": [ids[SECOND]]})
    assert free.status_code == 302
    listing = specialist.get(LIGA + f"?napravlenie={ids[FIRST]}").get_data(as_text=True)
    assert "МБОУ «Школа № 1»" in listing and HOSTILE not in listing
    assert escape(HOSTILE) in specialist.get(LIGA).get_data(as_text=True)
    assert specialist.get(LIGA + "?sostoyanie=nope").status_code == 404
    member_id = next(m.id for m in _members(office) if m.organisation == "МБОУ «Школа № 1»")
    # the specialist keeps applications; only the municipal curator decides
    edit = specialist.get(f"{LIGA}{member_id}/").get_data(as_text=True)
    assert "может муниципальный куратор" in edit
    t = token(specialist, f"{LIGA}{member_id}/")
    refused = specialist.post(f"{LIGA}{member_id}/vklyuchit", data={"csrf_token": t})
    assert refused.status_code == 403
    curator = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "mun-kurator")
    t = token(curator, f"{LIGA}{member_id}/")
    missing = curator.post(f"{LIGA}{member_id}/vklyuchit", data={
        "csrf_token": t, "order_number": "", "order_date": "2027-02-01"})
    assert missing.status_code == 400 and "Укажите номер приказа" in missing.get_data(
        as_text=True)
    no_file = curator.post(f"{LIGA}{member_id}/vklyuchit", data={
        "csrf_token": t, "order_number": "12-од", "order_date": "2027-02-01"})
    assert no_file.status_code == 400 and "Приложите файл" in no_file.get_data(as_text=True)
    fake = curator.post(f"{LIGA}{member_id}/vklyuchit", data={
        "csrf_token": t, "order_number": "12-од", "order_date": "2027-02-01",
        "order_file": (io.BytesIO(b"MZ\x90\x00 not a document"), "prikaz.pdf")},
        content_type="multipart/form-data")
    assert fake.status_code == 400
    done = curator.post(f"{LIGA}{member_id}/vklyuchit", data={
        "csrf_token": t, "order_number": "12-од", "order_date": "2027-02-01",
        "order_file": (io.BytesIO(_pdf()), "Приказ о Лиге.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert done.status_code == 200
    assert "включена приказом № 12-од от 1 февраля 2027" in done.get_data(as_text=True)
    other = next(m.id for m in _members(office) if m.organisation == HOSTILE)
    no_reason = curator.post(f"{LIGA}{other}/otklonit", data={"csrf_token": t, "reason": ""})
    assert no_reason.status_code == 400 and "Укажите причину" in no_reason.get_data(
        as_text=True)
    curator.post(f"{LIGA}{other}/otklonit", data={"csrf_token": t, "reason": "Нет опыта."})
    states = {m.organisation: m.state for m in _members(office)}
    assert states == {"МБОУ «Школа № 1»": LeagueState.INCLUDED, HOSTILE: LeagueState.REJECTED}
    # the public page: the member, its directions, its order's file, the published contact
    public = office.test_client()
    page = public.get("/liga/").get_data(as_text=True)
    assert "МБОУ «Школа № 1»" in page and FIRST in page and HOSTILE not in page
    assert "№ 12-од от 1 февраля 2027" in page and "Соколова Вера Павловна" in page
    assert '/luchshie-praktiki/?shkola=school1' in page
    assert 'href="http://school1.example.ru/nastavnichestvo/"' in page
    order = public.get(f"/liga/{member_id}/prikaz")
    assert order.status_code == 200 and order.data.startswith(b"%PDF")
    assert public.get(f"/liga/{other}/prikaz").status_code == 404
    rows = list(csv.reader(io.StringIO(public.get("/liga.csv").data.decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0][0] == "Организация" and len(rows) == 2
    assert rows[1][0] == "МБОУ «Школа № 1»" and rows[1][2] == "12-од"
    assert rows[1][3] == "01.02.2027" and rows[1][6] == "'+7 800 000-00-01"  # a formula guard


def test_a_contact_is_public_only_when_the_office_says_so(office):
    with office.app_context():
        sess = _session(office)
        row = LeagueMember(directions=[])
        league.save_member(sess, row, organisation="Колледж «Профи»", school=None,
                           chosen=league.directions(sess)[:1],
                           contact=league.Contact(name="Орлов Пётр", phone="+7 1"),
                           contacts_public=False, note=None)
        row.state, row.order_number, row.order_date = LeagueState.INCLUDED, "3", date(2027, 3, 1)
        sess.commit()
    page = office.test_client().get("/liga/").get_data(as_text=True)
    assert "Колледж «Профи»" in page and "Орлов Пётр" not in page
    assert "Орлов Пётр" not in office.test_client().get("/liga.csv").data.decode("utf-8-sig")


def test_directions_and_keys_are_kept_in_the_admin(office):
    client = signed_in(office, AccountRole.REGISTRY, "reestr")
    t = token(client, LIGA + "napravleniya")
    dup = client.post(LIGA + "napravleniya", data={"csrf_token": t, "name": FIRST})
    assert dup.status_code == 400 and "уже есть в списке" in dup.get_data(as_text=True)
    client.post(LIGA + "napravleniya", data={"csrf_token": t, "name": "Наставничество молодых"})
    with office.app_context():
        added = next(d for d in league.directions(_session(office))
                     if d.name == "Наставничество молодых")
    client.post(f"{LIGA}napravleniya/{added.id}", data={"csrf_token": t, "name": "Молодые",
                                                        "hidden": "y"})
    names = office.test_client().get("/api/liga/napravleniya").get_json()["items"]
    assert {"name": FIRST} in names and {"name": "Молодые"} not in names
    keys = client.get(LIGA + "klyuchi").get_data(as_text=True)
    assert "МБОУ «Школа № 1»" in keys
    shown = client.post(LIGA + "klyuchi/school1", data={"csrf_token": t})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    raw = html.split('MENTORING_OFFICE_TOKEN = "', 1)[1].split('"', 1)[0]
    assert raw.startswith("liga-")
    with office.app_context():
        from mentoring_site.models.league import LeagueKey

        stored = _session(office).scalar(sa.select(LeagueKey.digest))
    assert stored == league.digest(raw) and raw not in stored
    assert raw not in client.get(LIGA + "klyuchi").get_data(as_text=True)
    assert _post(office.test_client(), raw, _body()).status_code == 201
    client.post(LIGA + "klyuchi/school1/otozvat", data={"csrf_token": t})
    assert _post(office.test_client(), raw, _body()).status_code == 401


# -- the schools' API ---------------------------------------------------------------------------


def test_the_api_takes_an_application_with_the_schools_key(office):
    raw = _key(office)
    client = office.test_client()
    sent = _post(client, raw, _body())
    assert sent.status_code == 201, sent.get_data(as_text=True)
    data = sent.get_json()
    assert data["application"]["state_label"] == "заявка"
    assert data["application"]["directions"] == [FIRST, SECOND]
    assert "принята" in data["message"]
    again = _post(client, raw, _body(directions=[SECOND]))
    assert again.status_code == 201
    rows = _members(office)
    assert len(rows) == 1 and [d.name for d in rows[0].directions] == [SECOND]
    assert rows[0].school_id is not None and rows[0].contacts_public is False


@pytest.mark.parametrize(("raw", "body", "status", "message"), [
    (None, _body(), 401, "Нет ключа школы"),
    ("liga-wrong", _body(), 401, "Ключ школы не подходит"),
    ("good", b"{not json", 400, "не читается как JSON"),
    ("good", _body(directions=["Астрология"]), 400, "нет в списке управления"),
    ("good", _body(note="я" * 20000), 413, "слишком большая"),
])
def test_the_api_refuses_in_russian(office, raw, body, status, message):
    key = _key(office) if raw == "good" else raw
    answer = _post(office.test_client(), key, body)
    assert answer.status_code == status
    assert answer.mimetype == "application/json"
    assert message in answer.get_json()["error"]
    assert _members(office) == []


def test_the_api_wants_json_and_limits_requests_per_address(office):
    raw = _key(office)
    client = office.test_client()
    form = _post(client, raw, b"directions=x", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415 and "JSON" in form.get_json()["error"]
    office.config["MUNICIPAL_LEAGUE_API_LIMIT"] = 4
    statuses = [_post(client, "liga-guess", _body()).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]  # the one above counted too
    flood = _post(client, raw, _body())
    assert flood.status_code == 429 and "Слишком много запросов" in flood.get_json()["error"]
    assert int(flood.headers["Retry-After"]) > 0


def test_hostile_strings_from_a_school_stay_text(office):
    raw = _key(office)
    body = _body(note=HOSTILE, contact={"name": HOSTILE, "phone": "+7 1",
                                        "email": "a@b.ru", "position": "=HYPERLINK(1)"})
    assert _post(office.test_client(), raw, body).status_code == 201
    client = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "mun-kurator")
    member_id = _members(office)[0].id
    html = client.get(f"{LIGA}{member_id}/").get_data(as_text=True)
    assert HOSTILE not in html and escape(HOSTILE) in html
    with office.app_context():
        sess = _session(office)
        row = sess.get(LeagueMember, member_id)
        row.state, row.contacts_public = LeagueState.INCLUDED, True
        row.order_number, row.order_date = HOSTILE, date(2027, 1, 9)
        sess.commit()
    public = office.test_client()
    page = public.get("/liga/").get_data(as_text=True)
    assert HOSTILE not in page and escape(HOSTILE) in page
    text = public.get("/liga.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_a_hosts_csrf_protection_spares_only_the_api(tmp_path):
    from flask_wtf.csrf import CSRFProtect

    app = _office(tmp_path)
    app.config["TESTING"] = False
    CSRFProtect(app)
    from mentoring_site.municipal.league_api import exempt_from_csrf

    exempt_from_csrf(app)
    try:
        raw = _key(app)
        assert _post(app.test_client(), raw, _body()).status_code == 201
        assert app.test_client().post(LIGA + "novaya", data={}).status_code in (302, 400)
    finally:
        app.extensions["mentoring"].engine.dispose()


# -- a school's section sends its application over HTTP ---------------------------------------


def test_a_school_sends_its_application_from_its_section(office, tmp_path):
    from tests.browser import serve_app

    raw = _key(office)
    with serve_app(office) as server:
        school = make_app(f"sqlite:///{tmp_path / 'school.sqlite'}", tmp_path / "school",
                          MENTORING_OFFICE_URL=server("/"), MENTORING_OFFICE_TOKEN=raw)
        upgrade(school)
        try:
            curator = signed_in(school)
            screen = "/nastavnichestvo/admin/liga-mentorov/"
            assert "Заявка в Лигу менторов" in curator.get("/nastavnichestvo/admin/").get_data(
                as_text=True)
            page = curator.get(screen).get_data(as_text=True)
            assert FIRST in page and SECOND in page
            t = token(curator, screen)
            empty = curator.post(screen, data={"csrf_token": t})
            assert empty.status_code == 400
            assert "Отметьте хотя бы одно направление" in empty.get_data(as_text=True)
            sent = curator.post(screen, data={
                "csrf_token": t, "directions": [FIRST], "contact_name": "Соколова Вера",
                "contact_email": "sokolova@school1.example.ru", "note": "Готовы."})
            html = sent.get_data(as_text=True)
            assert sent.status_code == 200, html
            assert "Ответ управления" in html and "принята управлением" in html
            rows = _members(office)
            assert [r.organisation for r in rows] == ["МБОУ «Школа № 1»"]
            school.config["MENTORING_OFFICE_TOKEN"] = "liga-revoked-key"
            refused = curator.post(screen, data={
                "csrf_token": t, "directions": [FIRST], "contact_name": "Соколова Вера",
                "contact_email": "sokolova@school1.example.ru"})
            assert refused.status_code == 502
            assert "Ключ школы не подходит" in refused.get_data(as_text=True)
        finally:
            school.extensions["mentoring"].engine.dispose()
    down = make_app(f"sqlite:///{tmp_path / 'school2.sqlite'}", tmp_path / "school2",
                    MENTORING_OFFICE_URL=server("/"), MENTORING_OFFICE_TOKEN=raw)
    upgrade(down)
    try:
        page = signed_in(down).get("/nastavnichestvo/admin/liga-mentorov/")
        assert "Сайт управления недоступен" in page.get_data(as_text=True)
    finally:
        down.extensions["mentoring"].engine.dispose()


def test_the_office_settings_are_checked(tmp_path):
    from mentoring_site.config import ConfigError

    url, key = "MENTORING_OFFICE_URL", "MENTORING_OFFICE_TOKEN"
    for bad in ({url: "https://uo.example.ru/"},
                {url: "ftp://uo.example.ru/", key: "liga-1234567890"},
                {url: "https://uo.example.ru/", key: "кл"}):
        with pytest.raises(ConfigError, match="MENTORING_OFFICE"):
            make_app(f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path, **bad)


# -- the public page in a real browser: axe-core, and the Nu checker --------------------------


def _published(app) -> None:
    """One member included by an order (with a file and a public contact), one without."""
    with app.app_context():
        sess = _session(app)
        from mentoring_site.media.storage import store_document
        from mentoring_site.models.registry import RegistrySchool

        school = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == "school1"))
        dirs = league.directions(sess)
        first = LeagueMember(directions=[])
        league.save_member(sess, first, organisation=None, school=school, chosen=dirs[:2],
                           contact=league.Contact(name="Соколова Вера Павловна",
                                                  position="заместитель директора",
                                                  phone="+7 800 000-00-01",
                                                  email="sokolova@school1.example.ru"),
                           contacts_public=True, note=None)
        media = store_document(sess, app.extensions["mentoring"].upload_folder, _pdf(),
                               original_name="Приказ.pdf")
        league.include(first, "12-од", date(2027, 2, 1), media.id)
        second = LeagueMember(directions=[])
        league.save_member(sess, second, organisation="Колледж «Профи»", school=None,
                           chosen=dirs[3:4], contact=league.Contact(), contacts_public=False,
                           note=None)
        second.state, second.order_number = LeagueState.INCLUDED, "12-од"
        second.order_date = date(2027, 2, 1)
        sess.commit()


PAGES = ["/liga/"]


def test_axe_finds_nothing_on_the_league_page(office, page):
    from tests.browser import axe_problems

    _published(office)
    problems = axe_problems(office, page, PAGES)
    assert not problems, problems


@pytest.mark.browser  # the Nu HTML Checker runs on Java
def test_the_league_pages_are_valid_html(office, tmp_path):
    from tests.browser import vnu_errors

    _published(office)
    client = office.test_client()
    files = []
    for i, path in enumerate(PAGES):
        target = tmp_path / f"page-{i}.html"
        target.write_bytes(client.get(path).get_data())
        files.append(target)
    curator = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "mun-kurator")
    member_id = _members(office)[0].id
    for i, path in enumerate([LIGA, f"{LIGA}{member_id}/", LIGA + "napravleniya",
                              LIGA + "klyuchi", LIGA + "novaya"]):
        target = tmp_path / f"admin-{i}.html"
        target.write_bytes(curator.get(path).get_data())
        files.append(target)
    errors = vnu_errors(files)
    assert not errors, "\n".join(errors)
