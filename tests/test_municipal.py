"""The municipal registry against three demo school sites served over real HTTP.

The schools are seeded once for the module (one seeded instance copied three times) and
served on loopback ports; each test gets a registry of its own (its own database) and
may make a school misbehave or stop, which the ``registry`` fixture undoes afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import jinja2
import pytest
import sqlalchemy as sa
from markupsafe import escape

from mentoring_site.__main__ import main
from mentoring_site.models.registry import RegistryMentor, RegistrySchool, RegistrySnapshot
from mentoring_site.municipal import Municipal, create_app, queries, shapes
from mentoring_site.municipal.queries import FIGURES as TABLE_FIGURES
from mentoring_site.municipal.schools import SchoolsFileError, parse_schools
from mentoring_site.municipal.settings import ConfigError

from .municipal_support import (
    DemoSchool,
    empty_school,
    office_today,
    page_of,
    prepared,
    school_from,
    schools_toml,
    seeded_instance,
)

# One worker (xdist group): the three demo schools' servers are started once.
pytestmark = pytest.mark.xdist_group("municipal")

NAMES = ["МБОУ «Школа № 1»", "МАОУ «Гимназия № 2»", "МБОУ «Лицей № 3»"]
HOSTILE_NAME = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","нажмите")'


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schools(tmp_path_factory) -> list[DemoSchool]:
    template = seeded_instance(tmp_path_factory.mktemp("school-template") / "instance")
    base = tmp_path_factory.mktemp("schools")
    made = [school_from(template, base / f"school{i}", name) for i, name in enumerate(NAMES, 1)]
    _make_hostile(made[1])
    try:
        for school in made:
            school.start()
        yield made
    finally:
        for school in made:
            school.close()


def _make_hostile(school: DemoSchool) -> None:
    """A school whose curator typed markup and a spreadsheet formula into a mentor's card."""
    from mentoring_site.models import Person

    with school.app.app_context():
        sess = school.app.extensions["mentoring"].session()
        person = sess.scalar(sa.select(Person).where(Person.slug == "belozerova-irina"))
        person.last_name = HOSTILE_NAME
        person.position = FORMULA
        sess.commit()


def _registry_app(folder: Path, schools: list[DemoSchool], database: str | None = None,
                  **config):
    file = folder / "schools.toml"
    file.write_text(schools_toml(schools), encoding="utf-8")
    app = create_app(file, database=database, instance_path=str(folder / "registry"),
                     MUNICIPAL_API_PER_PAGE=2, MUNICIPAL_PER_PAGE=4, MUNICIPAL_TIMEOUT=5,
                     **config)
    app.config["TESTING"] = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    prepared(app)
    return app


def dispose(app) -> None:
    app.extensions["mentoring"].engine.dispose()


@pytest.fixture
def registry(tmp_path, schools):
    app = _registry_app(tmp_path, schools)
    for school in schools:
        school.switch.reset()
    try:
        yield app
    finally:
        dispose(app)
        for school in schools:
            school.switch.reset()
            if school.server is None:
                school.start()


def aggregate(app, *, ok: bool = True) -> str:
    result = app.test_cli_runner().invoke(args=["mentoring", "aggregate"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == (0 if ok else 1), result.output
    return result.stdout


def report_line(output: str, school: DemoSchool) -> str:
    return next(line for line in output.splitlines() if school.name in line)


def snapshots(app, school_number: int) -> list:
    """The school's snapshots, oldest first (rows, not ORM objects)."""
    with app.extensions["mentoring"].engine.connect() as conn:
        return list(conn.execute(
            sa.select(RegistrySnapshot)
            .join(RegistrySchool, RegistrySchool.id == RegistrySnapshot.school_id)
            .where(RegistrySchool.key == f"school{school_number}")
            .order_by(RegistrySnapshot.id)
        ))


def stored_mentors(app, school_number: int) -> list[str]:
    """The mentors of the school's latest snapshot."""
    taken = snapshots(app, school_number)
    if not taken:
        return []
    with app.extensions["mentoring"].engine.connect() as conn:
        return list(conn.scalars(
            sa.select(RegistryMentor.name).where(RegistryMentor.snapshot_id == taken[-1].id)
            .order_by(RegistryMentor.ordinal)
        ))


def school_row(app, school_number: int):
    with app.extensions["mentoring"].engine.connect() as conn:
        return conn.execute(
            sa.select(RegistrySchool).where(RegistrySchool.key == f"school{school_number}")
        ).one()


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


# -- the schools file ------------------------------------------------------------------------


def test_schools_file_is_read_with_ids_and_normalised_urls():
    schools = parse_schools(
        '[[school]]\nname = " МБОУ «СОШ № 7» "\nurl = "HTTPS://School7.Example.RU/nastavnichestvo"\n'
        '\n[[school]]\nname = "Гимназия"\nurl = "http://g.example/n/"\nid = "gimnaziya"\n'
    )
    assert [(s.key, s.name, s.url) for s in schools] == [
        ("school7-example-ru-nastavnichestvo", "МБОУ «СОШ № 7»",
         "https://school7.example.ru/nastavnichestvo/"),
        ("gimnaziya", "Гимназия", "http://g.example/n/"),
    ]
    assert schools[0].api_url == "https://school7.example.ru/nastavnichestvo/api/v1/"


@pytest.mark.parametrize(("text", "expected"), [
    ('[[school]]\nname = "А"\nurl = "https://a.example/"\n\n[[school]]\nname = "МБОУ «СОШ № 9»"'
     '\nurl = "ftp://school9.example/"\n',
     "schools.toml, строка 7, школа № 2 (МБОУ «СОШ № 9»): адрес раздела должен начинаться "
     "с http:// или https://"),
    ('[[school]]\nname = "Б"\nurl = "javascript:alert(1)"\n', "строка 3, школа № 1 (Б): адрес"),
    ('[[school]]\nname = "В"\nurl = "file:///etc/passwd"\n', "http:// или https://"),
    ('[[school]]\nname = "Г"\nurl = "https://user:secret@g.example/"\n', "пароля"),
    ('[[school]]\nurl = "https://a.example/"\n', "школа № 1: не указано название"),
    ('[[school]]\nname = "Д"\n', "не указан адрес раздела"),
    ('[[school]]\nname = "Е"\nurl = "https://a.example/"\nadres = "x"\n',
     "строка 4, школа № 1 (Е): неизвестный ключ «adres»"),
    ('[[school]]\nname = "Ж"\nurl = "https://a.example/"\n[[school]]\nname = "З"\n'
     'url = "https://a.example"\n', "школа № 2 (З): этот адрес уже указан у школы № 1"),
    ('[[school]]\nname = "И"\nurl = "https://a.example/"\nid = "Школа"\n', "id должен"),
    ('[[school]]\nname = "К"\nurl = "https://a.example/\n', "строка 3, столбец"),
    ('title = "x"\n', "неизвестный ключ «title»"),
    ("", "нет ни одной школы"),
])
def test_schools_file_errors_are_russian_and_name_the_place(text, expected):
    with pytest.raises(SchoolsFileError) as error:
        parse_schools(text)
    assert expected in str(error.value)


def test_python_m_municipal_refuses_a_bad_file_before_starting(tmp_path, capsys):
    bad = tmp_path / "schools.toml"
    bad.write_text('[[school]]\nname = "Школа"\nurl = "gopher://x.example/"\n', encoding="utf-8")
    assert main(["municipal", "--schools", str(bad), "--instance", str(tmp_path / "i")]) == 2
    err = capsys.readouterr().err
    assert "schools.toml, строка 3, школа № 1 (Школа)" in err
    assert "http:// или https://" in err


# -- settings and the extension -------------------------------------------------------------


def test_settings_are_checked_at_start(tmp_path, schools):
    with pytest.raises(ConfigError, match="MUNICIPAL_TIMEOUTT"):
        _registry_app(tmp_path, schools, MUNICIPAL_TIMEOUTT=3)
    with pytest.raises(ConfigError, match="MUNICIPAL_URL_PREFIX"):
        _registry_app(tmp_path, schools, MUNICIPAL_URL_PREFIX="reestr/")
    app = _registry_app(tmp_path, schools)
    try:
        with pytest.raises(RuntimeError, match="уже подключён"):
            Municipal(app)
    finally:
        dispose(app)
    with pytest.raises(ConfigError, match="MUNICIPAL_DATABASE_URI больше не используется"):
        _registry_app(tmp_path, schools, MUNICIPAL_DATABASE_URI="sqlite://")


def test_the_registry_needs_the_section_first(tmp_path):
    from flask import Flask

    with pytest.raises(RuntimeError, match="сначала Mentoring"):
        Municipal(Flask("office", instance_path=str(tmp_path)))


def test_aggregate_joins_the_sections_command_group(tmp_path, schools):
    from flask import Flask

    from mentoring_site import Mentoring

    file = tmp_path / "schools.toml"
    file.write_text(schools_toml(schools), encoding="utf-8")
    app = Flask("office", instance_path=str(tmp_path / "office"))
    app.config.update(MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'section.sqlite'}",
                      MUNICIPAL_SCHOOLS_FILE=str(file))
    Mentoring(app)
    Municipal(app)
    try:
        result = app.test_cli_runner().invoke(args=["mentoring", "--help"])
        assert "upgrade" in result.output and "aggregate" in result.output
        assert "import-schools" in result.output
        assert app.url_map.bind("x").match("/reestr-nastavnichestva/nastavniki/")[0] \
            == "municipal.mentors"
    finally:
        dispose(app)


# -- reading the schools -----------------------------------------------------------------------


def test_aggregate_reads_every_page_of_every_school(registry, schools):
    output = aggregate(registry)
    for number, school in enumerate(schools, 1):
        mentors = school.api_items("mentors")
        cases = school.api_items("cases")
        assert len(mentors) > 2 and len(cases) > 1  # several API pages at per_page=2
        assert f"{school.name}: обновлено (наставников: {len(mentors)}, кейсов: {len(cases)})" \
            in report_line(output, school)
        assert stored_mentors(registry, number) == [m["name"] for m in mentors]
    assert ("Итого: обновлено — 3, без изменений — 0, раздел не заполнен — 0, недоступен — 0, "
            "неверный ответ — 0.") in output


def test_second_aggregate_is_unchanged_through_304(registry, schools):
    aggregate(registry)
    [first] = snapshots(registry, 1)
    for school in schools:
        school.switch.reset()
    output = aggregate(registry)
    for school in schools:
        assert "без изменений" in report_line(output, school)
        statuses = school.statuses()
        assert statuses and set(statuses) == {304}, statuses
    [again] = snapshots(registry, 1)  # no new snapshot: the last one is confirmed
    assert again.read_at == first.read_at and again.confirmed_at > first.confirmed_at
    assert stored_mentors(registry, 1) == [m["name"] for m in schools[0].api_items("mentors")]


def test_a_changed_school_is_read_again_and_replaced(registry, schools):
    from mentoring_site.models import Person

    aggregate(registry)
    app = schools[2].app
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        person = sess.scalar(sa.select(Person).where(Person.slug == "safina-gulnara"))
        old = person.last_name
        person.last_name = "Сафина-Новикова"
        sess.commit()
    try:
        output = aggregate(registry)
        assert "обновлено" in report_line(output, schools[2])
        assert "без изменений" in report_line(output, schools[0])
        assert any(n.startswith("Сафина-Новикова") for n in stored_mentors(registry, 3))
    finally:
        with app.app_context():
            sess = app.extensions["mentoring"].session()
            sess.scalar(sa.select(Person).where(Person.slug == "safina-gulnara")).last_name = old
            sess.commit()


@pytest.mark.parametrize(("mode", "when", "message"), [
    ("garbage", page_of("mentors", 2), "mentors?page=2&per_page=2: ответ не читается как JSON"),
    ("shape", page_of("cases", 2), "cases, страница 2: поле «items» должно быть списком"),
    ("html", lambda url: "summary" in url, "ответ не JSON (Content-Type: text/html)"),
])
def test_an_invalid_answer_midway_keeps_what_was_read_before(registry, schools, mode, when,
                                                             message):
    aggregate(registry)
    before = stored_mentors(registry, 2)
    schools[1].switch.mode, schools[1].switch.when = mode, when
    output = aggregate(registry, ok=False)
    line = report_line(output, schools[1])
    assert "неверный ответ" in line and message in line
    assert "без изменений" in report_line(output, schools[0])
    assert stored_mentors(registry, 2) == before
    row = school_row(registry, 2)
    assert row.status == "invalid" and message in row.message
    page = registry.test_client().get("/").get_data(as_text=True)
    assert "неверный ответ" in page and escape(message) in page


def test_a_stopped_school_is_unreachable_and_its_data_stays(registry, schools):
    aggregate(registry)
    before = stored_mentors(registry, 3)
    schools[2].stop()
    output = aggregate(registry, ok=False)
    line = report_line(output, schools[2])
    assert "недоступен — сервер школы не принимает соединения" in line
    assert stored_mentors(registry, 3) == before
    page = registry.test_client().get("/nastavniki/?shkola=school3").get_data(as_text=True)
    assert before[0] in page
    assert "недоступен" in registry.test_client().get("/").get_data(as_text=True)


def test_a_connection_cut_midway_is_unreachable_and_keeps_the_data(registry, schools):
    aggregate(registry)
    before = stored_mentors(registry, 1)
    schools[0].switch.mode, schools[0].switch.when = "cut", page_of("mentors", 2)
    output = aggregate(registry, ok=False)
    assert "недоступен — соединение оборвалось посреди ответа" in report_line(output, schools[0])
    assert stored_mentors(registry, 1) == before


def test_a_school_failing_in_the_middle_of_a_first_read_stores_nothing(registry, schools):
    schools[0].switch.mode, schools[0].switch.when = "garbage", page_of("mentors", 3)
    aggregate(registry, ok=False)
    assert stored_mentors(registry, 1) == []
    assert snapshots(registry, 1) == []
    assert school_row(registry, 1).status == "invalid"
    assert stored_mentors(registry, 2)


def test_next_links_leaving_the_schools_api_are_refused(registry, schools):
    def crafted(url: str) -> dict:
        return {"items": [], "page": 1, "per_page": 2, "total": 9, "pages": 5,
                "links": {"self": url, "first": url, "last": url, "prev": None,
                          "next": "http://169.254.169.254/latest/meta-data/?page=2"}}

    aggregate(registry)
    switch = schools[0].switch
    switch.mode, switch.crafted, switch.when = "crafted", crafted, lambda u: "mentors" in u
    output = aggregate(registry, ok=False)
    assert "ведёт не в API раздела" in report_line(output, schools[0])
    assert not any("169.254" in url for url, _ in switch.log)
    assert len(stored_mentors(registry, 1)) > 2


# -- what the answers may hold -------------------------------------------------------------------


PERSON = {"id": 1, "name": "Иванова Анна", "url": None, "is_student": False, "position": None,
          "subjects": None, "qualification": None, "experience_years": None}


@pytest.mark.parametrize(("change", "message"), [
    ({"url": "javascript:alert(1)"}, "«url» должно быть адресом http(s)"),
    ({"name": None}, "«name» не может быть пустым"),
    ({"name": 5}, "«name» должно быть строкой"),
    ({"name": "Имя\x00"}, "управляющие символы"),
    ({"experience_years": "10"}, "«experience_years» должно быть целым"),
    ({"is_student": "нет"}, "true или false"),
    ({"id": True}, "«id» должно быть целым"),
    ({"experience_years": 101}, "«experience_years» должно быть целым числом от 0 до 100"),
    ({"name": "   "}, "«name» пустое"),
    ({"name": "я" * 501}, "«name» длиннее 500 символов"),
    ({"url": "http://evil.example/a b"}, "«url» должно быть адресом http(s)"),
    ({"position": "\ud800"}, "управляющие символы"),
])
def test_person_answers_are_checked_field_by_field(change, message):
    with pytest.raises(shapes.InvalidAnswer, match=re.escape(message)):
        shapes.mentor({**PERSON, **change}, "mentors, страница 1, запись 1")
    without = dict(PERSON)
    del without["position"]
    with pytest.raises(shapes.InvalidAnswer, match="«position» отсутствует"):
        shapes.mentor(without, "mentors")
    assert shapes.mentor({**PERSON, "bio_html": "<p>ещё поле</p>"}, "x").name == "Иванова Анна"


CASE = {"id": 7, "title": "Кейс", "url": "https://school.example/c/", "summary": None,
        "published_at": "2026-11-22T10:00:00+03:00",
        "program": {"slug": "p", "title": "Программа", "url": "https://school.example/p/"}}
FIGURES = {"mentors": 3, "mentees": 4, "active_programs": 1, "completed_programs": 2}


@pytest.mark.parametrize(("read", "data", "message"), [
    (shapes.case, {**CASE, "published_at": "2026-11-22T10:00:00"},
     "«published_at» должно указывать часовой пояс"),
    (shapes.case, {**CASE, "published_at": "вчера"}, "«published_at» должно быть датой"),
    (shapes.case, {**CASE, "program": {"title": "П", "url": "javascript:alert(1)"}},
     "«program»: поле «url» должно быть адресом http(s)"),
    (shapes.case, {**CASE, "summary": "с" * 20_001}, "«summary» длиннее 20000 символов"),
    (shapes.case, {**CASE, "program": None}, "«program» не может быть пустым"),
    (shapes.summary, {"school": "Школа", "figures": {**FIGURES, "mentors": -1},
                      "last_updated": None}, "«figures»: поле «mentors» должно быть целым"),
    (shapes.summary, {"school": "Школа", "figures": [], "last_updated": None},
     "поле «figures» должно быть объектом JSON"),
    (shapes.envelope, {"items": [], "page": 1, "pages": 1, "total": 0,
                       "links": {"next": "file:///etc/passwd"}}, "«next» должно быть адресом"),
    (shapes.envelope, {"items": [], "page": 0, "pages": 1, "total": 0, "links": {"next": None}},
     "«page» должно быть целым числом от 1"),
    (shapes.envelope, ["not", "an", "object"], "ожидался объект JSON"),
])
def test_cases_summaries_and_pages_are_checked_too(read, data, message):
    args = (data,) if read is shapes.summary else (data, "где-то")
    with pytest.raises(shapes.InvalidAnswer, match=re.escape(message)):
        read(*args)


def test_what_is_read_is_converted_for_the_tables():
    case = shapes.case({**CASE, "program": {**CASE["program"], "new": 1}}, "cases")
    assert case.published_at.isoformat() == "2026-11-22T07:00:00"  # naive UTC
    assert (case.program_title, case.program_url) == ("Программа", "https://school.example/p/")
    # Fields a newer v1 may add, at any depth, are ignored.
    summary = shapes.summary({"school": "Школа", "figures": {**FIGURES, "new": 1}, "new": 1,
                              "last_updated": "2026-11-22T00:30:00+03:00"})
    assert summary.mentors == 3 and summary.last_updated.isoformat() == "2026-11-21T21:30:00"
    page = shapes.envelope({"items": [{"any": 1}], "page": 2, "pages": 3, "total": 5,
                            "links": {"next": "http://a/api/v1/mentors?page=3"}}, "mentors")
    assert page.items == [{"any": 1}] and page.next.endswith("page=3")


# -- the pages and the CSV ---------------------------------------------------------------------


def test_pages_show_only_what_the_apis_gave(registry, schools):
    from mentoring_site.models import Person

    aggregate(registry)
    client = registry.test_client()
    api_names = {m["name"] for m in schools[0].api_items("mentors")}
    with schools[0].app.app_context():
        sess = schools[0].app.extensions["mentoring"].session()
        bank = [p.full_name for p in sess.scalars(
            sa.select(Person).where(Person.in_mentor_bank.is_(True)))]
    hidden = [name for name in bank if name not in api_names]
    assert hidden, "the demo has mentors without consent"
    pages = "".join(
        client.get(f"/nastavniki/?shkola=school1&page={n}").get_data(as_text=True)
        for n in (1, 2)
    )
    for name in api_names:
        assert str(escape(name)) in pages
    for name in hidden:
        assert name not in pages
    rows = read_csv(client.get("/nastavniki.csv?shkola=school1"))
    assert {r[1] for r in rows[1:]} == api_names
    assert client.get("/nastavniki/?page=99").status_code == 404
    assert client.get("/nastavniki/?shkola=nobody").status_code == 404


def test_schools_table_has_figures_update_dates_and_links(registry, schools):
    aggregate(registry)
    client = registry.test_client()
    page = client.get("/").get_data(as_text=True)
    summary = schools[0].app.test_client().get("/nastavnichestvo/api/v1/summary").get_json()
    figures = summary["figures"]
    assert f'<a href="{schools[0].section_url}">{escape(NAMES[0])}</a>' in page
    row = page.split(schools[0].section_url, 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="mu-num">(\d+)</td>', row)
    names = [name for name, _label in TABLE_FIGURES]
    assert cells == [str(figures[k]) for k in names]
    assert figures["mentees_pupils"] > 0 and figures["pairs"] > 0  # the demo has them
    rows = read_csv(client.get("/shkoly.csv"))
    assert rows[0][:4] == ["Школа", "Раздел «Наставничество»", "Наставников", "Наставляемых"]
    assert rows[0][-4:] == ["Раздел обновлён", "Данные прочитаны", "Состояние", "Пояснение"]
    first = rows[1]
    assert first[0] == NAMES[0] and first[1] == schools[0].section_url
    assert first[2:2 + len(names)] == [str(figures[k]) for k in names]
    updated = summary["last_updated"]  # «2026-11-23T16:48:54+00:00» → local ДД.ММ.ГГГГ
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", first[-4]) and updated
    assert first[-2] == "обновлено"
    totals = rows and page.split("<tfoot>", 1)[1]
    assert f'<td class="mu-num">{sum(int(r[2]) for r in rows[1:])}</td>' in totals


def test_cases_link_to_the_schools_case_pages(registry, schools):
    aggregate(registry)
    client = registry.test_client()
    cases = schools[1].api_items("cases")
    page = client.get("/luchshie-praktiki/?shkola=school2").get_data(as_text=True)
    for case in cases[:4]:
        assert f'<a href="{case["url"]}">{escape(case["title"])}</a>' in page
    rows = read_csv(client.get("/luchshie-praktiki.csv"))
    assert len(rows) == 1 + sum(len(s.api_items("cases")) for s in schools)
    assert {r[5] for r in rows[1:] if r[0] == NAMES[1]} == {c["url"] for c in cases}


def test_csv_is_excel_friendly_with_a_russian_file_name(registry):
    aggregate(registry)
    response = registry.test_client().get("/nastavniki.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="(nastavniki-[\d-]+\.csv)"; '
                         r"filename\*=UTF-8''(\S+)", disposition)
    assert match, disposition
    assert re.fullmatch(r"Реестр наставников — \d{4}-\d\d-\d\d\.csv", unquote(match.group(2)))
    rows = read_csv(response)
    assert rows[0][:2] == ["Школа", "ФИО"]
    assert len({len(r) for r in rows}) == 1


def test_hostile_strings_from_a_school_are_escaped(registry, schools):
    aggregate(registry)
    client = registry.test_client()
    page = client.get("/nastavniki/?shkola=school2").get_data(as_text=True)
    assert HOSTILE_NAME not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    rows = read_csv(client.get("/nastavniki.csv?shkola=school2"))
    hostile = next(r for r in rows if r[1].startswith(HOSTILE_NAME))
    assert hostile[3] == "'" + FORMULA  # a formula stays text in Excel


def test_pages_are_accessible_and_carry_security_headers(registry):
    aggregate(registry)
    client = registry.test_client()
    for url in ("/", "/nastavniki/", "/luchshie-praktiki/", "/nastavniki/?page=2"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert '<html lang="ru">' in html
        assert '<a class="mu-skip" href="#main">' in html and 'id="main"' in html
        assert html.count("<h1>") == 1
        levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
        assert "<script" not in html
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    mentors = client.get("/nastavniki/").get_data(as_text=True)
    assert '<label for="mu-school">Школа</label>' in mentors
    assert '<th scope="col">ФИО</th>' in mentors and '<th scope="row">' in mentors
    assert 'aria-current="page">Реестр наставников' in mentors
    missing = client.get("/net-takoi/")
    assert missing.status_code == 404 and "Страница не найдена" in missing.get_data(as_text=True)
    assert missing.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/static/municipal.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"


def test_a_school_taken_off_the_list_disappears_but_stays_in_the_history(registry, schools,
                                                                        tmp_path):
    aggregate(registry)
    kept = stored_mentors(registry, 3)
    short = tmp_path / "short.toml"
    short.write_text(schools_toml(schools[:2]), encoding="utf-8")
    runner = registry.test_cli_runner()
    result = runner.invoke(args=["mentoring", "import-schools", str(short), "--remove-missing"])
    assert result.exit_code == 0, result.output
    assert "Добавлено: 0, обновлено: 0, убрано из списка: 1." in result.output
    client = registry.test_client()
    assert NAMES[2] not in client.get("/").get_data(as_text=True)
    assert NAMES[2] not in client.get("/nastavniki.csv").get_data(as_text=True)
    output = aggregate(registry)
    assert NAMES[2] not in output
    assert stored_mentors(registry, 3) == kept  # its snapshots stay: the history keeps it
    today = office_today().isoformat()
    assert NAMES[2] not in client.get(f"/?na={today}").get_data(as_text=True)


def test_python_m_municipal_reads_the_schools_at_first_start(tmp_path, schools, monkeypatch,
                                                             capsys):
    from flask import Flask

    started = []
    monkeypatch.setattr(Flask, "run", lambda app, **kw: started.append((app, kw)))
    file = tmp_path / "schools.toml"
    file.write_text(schools_toml(schools), encoding="utf-8")
    args = ["municipal", "--schools", str(file), "--port", "5123",
            "--instance", str(tmp_path / "registry")]
    assert main(args) == 0
    app, options = started[0]
    try:
        out = capsys.readouterr().out
        assert options == {"host": "127.0.0.1", "port": 5123, "debug": False}
        assert "Читаем разделы школ (3)…" in out and f"{NAMES[0]}: обновлено" in out
        assert "Реестр наставников:          http://127.0.0.1:5123/nastavniki/" in out
        assert ' mentoring aggregate' in out and "flask --app \"mentoring_site.municipal:" in out
    finally:
        dispose(app)
    assert main(args) == 0  # data already there: no reading at start
    dispose(started[1][0])
    assert "Читаем разделы школ" not in capsys.readouterr().out


# -- the office's list, states and history (issue 12) -----------------------------------------


def add_school(app, name: str, url: str):
    from mentoring_site.municipal.roster import add_school as add

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        row = add(sess, name, url)
        sess.commit()
        return row.key


def test_an_empty_section_and_a_school_never_read_say_so(registry, schools, tmp_path):
    empty = empty_school(tmp_path / "empty", "МБОУ «Пустая школа»")
    empty.start()
    try:
        key = add_school(registry, empty.name, empty.section_url)
        client = registry.test_client()
        page = client.get("/").get_data(as_text=True)
        row = page.split(escape(empty.name), 1)[1].split("</tr>", 1)[0]
        assert "Ещё не читали" in row and "ещё не читали" in row
        output = aggregate(registry)
        assert f"{empty.name}: раздел не заполнен" in output
        row = client.get("/").get_data(as_text=True).split(escape(empty.name), 1)[1]
        row = row.split("</tr>", 1)[0]
        assert "Раздел не заполнен" in row and "2000" not in row and "обновлено" not in row
        csv_row = next(r for r in read_csv(client.get("/shkoly.csv")) if r[0] == empty.name)
        assert csv_row[-2] == "раздел не заполнен" and csv_row[-4] == ""
        again = aggregate(registry)  # nothing new: still said so, not «без изменений»
        assert f"{empty.name}: раздел не заполнен" in again
        assert client.get(f"/nastavniki/?shkola={key}").status_code == 200
    finally:
        empty.close()


def test_every_read_with_news_is_a_dated_snapshot_and_old_dates_show_old_data(registry,
                                                                              schools):
    from mentoring_site.models import Person

    aggregate(registry)
    first = snapshots(registry, 3)[-1]
    week_ago = office_today() - timedelta(days=7)
    with registry.extensions["mentoring"].engine.begin() as conn:  # as if read a week ago
        conn.execute(sa.update(RegistrySnapshot).values(
            read_at=first.read_at - timedelta(days=7)))
        conn.execute(sa.update(RegistrySchool).values(
            added_at=first.read_at - timedelta(days=8)))
    app = schools[2].app
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        person = sess.scalar(sa.select(Person).where(Person.slug == "safina-gulnara"))
        old = person.last_name
        person.last_name = "Сафина-Новикова"
        sess.commit()
    try:
        aggregate(registry)
        taken = snapshots(registry, 3)
        assert [s.id for s in taken][:-1] == [first.id] and len(taken) == 2
        client = registry.test_client()
        today = client.get("/nastavniki/?shkola=school3&page=1").get_data(as_text=True) \
            + client.get("/nastavniki/?shkola=school3&page=2").get_data(as_text=True)
        assert "Сафина-Новикова" in today
        then = [client.get(f"/nastavniki/?shkola=school3&na={week_ago}&page={n}")
                .get_data(as_text=True) for n in (1, 2)]
        assert "Сафина-Новикова" not in "".join(then) and escape(old) in "".join(then)
        assert f"Данные на {week_ago.day} " in then[0]
        assert f"na={week_ago}" in then[0]  # the pager and the CSV link keep the date
        csv_then = read_csv(client.get(f"/nastavniki.csv?shkola=school3&na={week_ago}"))
        assert not any("Сафина-Новикова" in r[1] for r in csv_then)
        earlier = (week_ago - timedelta(days=3)).isoformat()
        assert NAMES[0] not in client.get(f"/?na={earlier}").get_data(as_text=True)
        for bad in ("2026-13-01", "вчера", "20261201", "1999-01-01", "²⁰²⁶-01-01"):
            assert client.get(f"/?na={bad}").status_code == 404, bad
    finally:
        with app.app_context():
            sess = app.extensions["mentoring"].session()
            sess.scalar(sa.select(Person).where(Person.slug == "safina-gulnara")).last_name = old
            sess.commit()


def test_curators_as_the_schools_publish_them(registry, schools):
    aggregate(registry)
    client = registry.test_client()
    curator = schools[0].app.test_client().get(
        "/nastavnichestvo/api/v1/summary").get_json()["curator"]
    page = client.get("/kuratory/").get_data(as_text=True)
    assert 'aria-current="page">Кураторы' in page
    for field in ("name", "position", "phone", "email"):
        assert str(escape(curator[field])) in page
    rows = read_csv(client.get("/kuratory.csv"))
    assert rows[0] == ["Школа", "Куратор", "Должность", "Телефон", "Электронная почта",
                       "Раздел «Наставничество»"]
    # «+7…» starts like a formula: Excel shows it as text after the apostrophe
    assert rows[1] == [NAMES[0], curator["name"], curator["position"], "'" + curator["phone"],
                       curator["email"], schools[0].section_url]


def test_links_into_other_sites_are_not_shown(registry, schools):
    def crafted(url: str) -> dict:
        item = {**PERSON, "name": "Фишинг Ф.", "url": "https://evil.example/login"}
        own = {**PERSON, "id": 2, "name": "Своя Ссылка", "url": schools[0].section_url + "x/"}
        return {"items": [item, own], "page": 1, "per_page": 2, "total": 2, "pages": 1,
                "links": {"self": url, "first": url, "last": url, "prev": None, "next": None}}

    switch = schools[0].switch
    switch.mode, switch.crafted, switch.when = "crafted", crafted, lambda u: "mentors" in u
    aggregate(registry)
    page = registry.test_client().get("/nastavniki/?shkola=school1").get_data(as_text=True)
    assert "evil.example" not in page and "Фишинг Ф." in page
    assert f'<a href="{schools[0].section_url}x/">Своя Ссылка</a>' in page


# -- the office's admin: its list of schools --------------------------------------------------

REESTR = "/nastavnichestvo/admin/reestr/"


def test_the_office_admin_is_behind_the_sections_sign_in(registry):
    from mentoring_site.models import AccountRole

    from .admin_support import signed_in

    anonymous = registry.test_client().get(REESTR)
    assert anonymous.status_code == 302 and "/admin/vhod/" in anonymous.headers["Location"]
    editor = signed_in(registry, AccountRole.EDITOR, "redaktor")
    assert editor.get(REESTR).status_code == 403
    assert editor.post(f"{REESTR}obnovit-vse").status_code in (400, 403)
    assert "Реестр: список школ" not in editor.get("/nastavnichestvo/admin/").get_data(
        as_text=True)
    for role, login in ((AccountRole.REGISTRY, "reestr"),
                        (AccountRole.MUNICIPAL_CURATOR, "mun-kurator")):
        office = signed_in(registry, role, login)
        home = office.get("/nastavnichestvo/admin/").get_data(as_text=True)
        assert "Реестр: список школ" in home and "Новости и анонсы" not in home
        assert office.get(REESTR).status_code == 200
        assert office.get("/nastavnichestvo/admin/programmy/").status_code == 403


def test_the_office_adds_checks_reads_and_removes_a_school(registry, schools, tmp_path):
    from .admin_support import signed_in, token

    client = signed_in(registry)
    page = client.get(REESTR)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Реестр: список школ" in html and escape(NAMES[0]) in html
    t = token(client, REESTR)
    # bad input: a message in Russian, the typed text kept, nothing added
    bad = client.post(f"{REESTR}dobavit", data={"csrf_token": t, "name": "Новая школа",
                                                "url": "ftp://x.example/"})
    assert bad.status_code == 400
    assert "http:// или https://" in bad.get_data(as_text=True)
    assert 'value="Новая школа"' in bad.get_data(as_text=True)
    dup = client.post(f"{REESTR}dobavit", data={"csrf_token": t, "name": "Ещё раз",
                                                "url": schools[0].section_url})
    assert dup.status_code == 400 and "уже есть в списке" in dup.get_data(as_text=True)
    empty = empty_school(tmp_path / "empty", "МБОУ «Новая школа»")
    empty.start()
    try:
        added = client.post(f"{REESTR}dobavit", data={
            "csrf_token": t, "name": "МБОУ  «Новая школа» ", "url": empty.section_url})
        assert added.status_code == 302
        with registry.app_context():
            key = queries.school_by_key(registry.extensions["mentoring"].session(),
                                        added_key(registry, empty.section_url)).key
        checked = client.post(f"{REESTR}{key}/proverit", data={"csrf_token": t},
                              follow_redirects=True).get_data(as_text=True)
        assert "раздел отвечает как API v1" in checked and "Ничего не сохранено" in checked
        assert snapshots_of(registry, key) == 0
        read = client.post(f"{REESTR}{key}/obnovit", data={"csrf_token": t},
                           follow_redirects=True).get_data(as_text=True)
        assert "МБОУ «Новая школа»: раздел не заполнен" in read
        assert snapshots_of(registry, key) == 1
    finally:
        empty.stop()
    unreachable = client.post(f"{REESTR}{key}/proverit", data={"csrf_token": t},
                              follow_redirects=True).get_data(as_text=True)
    assert "недоступен — сервер школы не принимает соединения" in unreachable
    started = client.post(f"{REESTR}obnovit-vse", data={"csrf_token": t},
                          follow_redirects=True).get_data(as_text=True)
    assert "Чтение всех школ началось" in started
    registry.extensions["municipal"].last_run_thread.join(60)
    done = client.get(REESTR).get_data(as_text=True)
    assert "Последнее чтение всех школ" in done
    assert "школ 4, не удалось прочитать 1" in done
    gone = client.post(f"{REESTR}{key}/ubrat", data={"csrf_token": t},
                       follow_redirects=True).get_data(as_text=True)
    assert "убрана из списка" in gone
    assert "Новая школа" not in registry.test_client().get("/").get_data(as_text=True)
    assert client.post(f"{REESTR}{key}/obnovit", data={"csrf_token": t}).status_code == 404
    assert client.post(f"{REESTR}school1/obnovit", data={}).status_code == 302  # no token
    assert client.post(f"{REESTR}nobody/proverit", data={"csrf_token": t}).status_code == 404


def test_only_one_run_at_a_time_and_its_progress_shows(registry, schools):
    from mentoring_site.clock import now_utc
    from mentoring_site.models.registry import RegistryRun
    from mentoring_site.municipal import runs

    from .admin_support import signed_in, token

    with registry.app_context():
        sess = registry.extensions["mentoring"].session()
        run_id = runs.start(sess, 3, "тест")  # a run another process is doing
        sess.execute(sa.update(RegistrySchool).where(RegistrySchool.key == "school1")
                     .values(checked_at=now_utc()))
        sess.commit()
    client = signed_in(registry)
    page = client.get(REESTR).get_data(as_text=True)
    assert "Идёт чтение всех школ" in page and "Прочитано школ: 1 из 3" in page
    assert '<progress id="run-progress" value="1" max="3">' in page
    assert "Обновить все школы сейчас" not in page
    refused = client.post(f"{REESTR}obnovit-vse", data={"csrf_token": token(client, REESTR)},
                          follow_redirects=True).get_data(as_text=True)
    assert "Школы уже читаются" in refused
    result = registry.test_cli_runner().invoke(args=["mentoring", "aggregate"])
    assert result.exit_code == 1 and "Школы уже читаются" in result.output
    with registry.app_context():  # a run whose process died long ago does not block
        sess = registry.extensions["mentoring"].session()
        sess.execute(sa.update(RegistryRun).where(RegistryRun.id == run_id)
                     .values(started_at=now_utc() - runs.STALE - timedelta(minutes=1)))
        sess.commit()
    assert "Итого: обновлено — 3" in aggregate(registry)
    page = client.get(REESTR).get_data(as_text=True)
    assert "Последнее чтение всех школ" in page and "командная строка" in page


def added_key(app, url: str) -> str:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return sess.scalar(sa.select(RegistrySchool.key).where(RegistrySchool.url == url))


def snapshots_of(app, key: str) -> int:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return sess.scalar(sa.select(sa.func.count()).select_from(RegistrySnapshot)
                           .join(RegistrySchool).where(RegistrySchool.key == key))


# -- in a real browser: axe-core, and vnu for HTML validity -----------------------------------

PAGES = ["/", "/nastavniki/", "/nastavniki/?page=2", "/nastavniki/?shkola=school2",
         "/luchshie-praktiki/", "/kuratory/", f"/?na={office_today()}",
         f"/nastavniki/?na={office_today()}&page=2", "/net-takoi-stranicy/"]


def test_axe_finds_nothing_on_the_registry_pages(registry, page):
    from tests.browser import axe_problems

    aggregate(registry)
    problems = axe_problems(registry, page, PAGES)
    assert not problems, problems


@pytest.mark.browser  # the Nu HTML Checker runs on Java
def test_registry_pages_are_valid_html(registry, tmp_path):
    from tests.browser import vnu_errors

    aggregate(registry)
    client = registry.test_client()
    files = []
    for i, path in enumerate(PAGES):
        target = tmp_path / f"page-{i}.html"
        target.write_bytes(client.get(path).get_data())
        files.append(target)
    errors = vnu_errors(files)
    assert not errors, "\n".join(errors)
