"""The League from a school's application to the office's order, clicked in Chromium.

Issue 12, «Done when»: the league flow end to end. Two sites run on loopback, as they would
in a district: the office's site (``municipal.create_app``) and a school's section (the
test host of ``conftest.make_app``). Three people, each in a browser of their own (cookies
are per host, not per port, so one browser would mix the two sites' sign-ins):

1. the municipal curator signs in to the office admin, opens «Ключи школ», creates the
   school's key and reads it (and the office's address) off the page, shown once;
2. the school's host puts those two lines in the school's settings; the school's curator
   signs in to the school's admin and sends «Заявка в Лигу менторов»;
3. the municipal curator finds the application, «Включить приказом» with a number, a date
   and a PDF; a visitor opens «Лига менторов» and the order's link, and gets that PDF.

Only the accounts and the school's place on the office's list come from code: adding a
school to the list is walked by tests/test_municipal.py.
"""

from __future__ import annotations

import re
from datetime import date

import jinja2
import pytest
from playwright.sync_api import expect

from mentoring_site.config import check_office
from mentoring_site.demo.pictures import pdf_document
from mentoring_site.migrate import upgrade
from mentoring_site.models import AccountRole
from mentoring_site.municipal import create_app, prepare
from mentoring_site.municipal.roster import add_school
from mentoring_site.templating import ru_date
from tests.admin_support import PASSWORD, make_account
from tests.browser import screenshot, serve_app
from tests.conftest import make_app

SCHOOL = "МБОУ «Школа № 7 имени А. С. Пушкина»"
FIRST = "Управление качеством образования"
SECOND = "Обеспечение комплексной безопасности"
CONTACT = "Соколова Вера Павловна"
NOTE = "Сетевые проекты с тремя школами округа с 2020 года."
ORDER_NUMBER = "12-од"
ORDER_DATE = date(2027, 2, 1)
ADMIN = "/nastavnichestvo/admin/"


@pytest.fixture
def sites(tmp_path):
    """The office's site and a school's section, each served on its own loopback port."""
    office = create_app(instance_path=str(tmp_path / "office"))
    office.config["TESTING"] = True
    office.jinja_env.undefined = jinja2.StrictUndefined
    prepare(office)
    make_account(office, "mun-kurator", AccountRole.MUNICIPAL_CURATOR)
    school = make_app(f"sqlite:///{tmp_path / 'school.sqlite'}", tmp_path / "school",
                      MENTORING_SCHOOL_NAME=SCHOOL)
    upgrade(school)
    make_account(school)
    try:
        with serve_app(office) as office_site, serve_app(school) as school_site:
            with office.app_context():
                sess = office.extensions["mentoring"].session()
                add_school(sess, SCHOOL, school_site("/nastavnichestvo/"), "shkola-7")
                sess.commit()
            yield office, office_site, school, school_site
    finally:
        office.extensions["mentoring"].engine.dispose()
        school.extensions["mentoring"].engine.dispose()


def _sign_in(page, url: str, login: str) -> None:
    page.goto(url)
    page.get_by_label("Имя входа").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("navigation", name="Разделы управления")).to_be_visible()


def _flash(page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _person(browser, failures: list[str]):
    """A browser of one's own (a context), any 5xx answer noted."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU",
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
    return context, page


def test_a_schools_application_becomes_a_league_member_by_order(browser, sites, tmp_path):
    office, office_site, school, school_site = sites
    failures: list[str] = []
    office_ctx, curator = _person(browser, failures)
    school_ctx, teacher = _person(browser, failures)
    visitor_ctx, visitor = _person(browser, failures)
    try:
        # -- 1. the office makes the school's key and shows it once -----------------------
        _sign_in(curator, office_site(ADMIN), "mun-kurator")
        nav = curator.get_by_role("navigation", name="Разделы управления")
        nav.get_by_role("link", name="Лига менторов").click()
        curator.get_by_role("link", name="Ключи школ").click()
        expect(curator.get_by_role("heading", name="Лига менторов: ключи школ")).to_be_visible()
        row = curator.get_by_role("row").filter(
            has=curator.get_by_role("rowheader", name=SCHOOL))
        expect(row).to_contain_text("нет")
        row.get_by_role("button", name=f"Создать ключ: {SCHOOL}").click()
        expect(curator.get_by_role("heading", name=f"Ключ школы «{SCHOOL}»")).to_be_visible()
        settings = curator.locator("pre").inner_text()
        office_url = re.search(r'MENTORING_OFFICE_URL = "([^"]+)"', settings).group(1)
        raw = re.search(r'MENTORING_OFFICE_TOKEN = "([^"]+)"', settings).group(1)
        assert office_url == office_site("/") and raw.startswith("liga-")
        nav.get_by_role("link", name="Лига менторов").click()
        curator.get_by_role("link", name="Ключи школ").click()
        expect(row).to_contain_text("ещё не использован")
        expect(curator.get_by_text(raw)).to_have_count(0)  # shown once, and only then

        # -- 2. the school's host writes the two lines; the school's curator applies -------
        lines = {"MENTORING_OFFICE_URL": office_url, "MENTORING_OFFICE_TOKEN": raw,
                 "MENTORING_OFFICE_SCHOOL_ID": None}
        check_office(lines)  # what the school's start-up checks
        school.config.update(lines)
        _sign_in(teacher, school_site(ADMIN), "kurator")
        teacher.get_by_role("navigation", name="Разделы управления").get_by_role(
            "link", name="Заявка в Лигу менторов").click()
        expect(teacher.get_by_role("heading", name="Заявка в Лигу менторов")).to_be_visible()
        directions = teacher.get_by_role(
            "group", name="Направления, по которым школа готова наставничать")
        directions.get_by_label(FIRST, exact=True).check()
        directions.get_by_label(SECOND, exact=True).check()
        teacher.get_by_label("Контактное лицо (ФИО)").fill(CONTACT)
        teacher.get_by_label("Должность").fill("заместитель директора по УВР")
        teacher.get_by_label("Электронная почта").fill("sokolova@school7.example.ru")
        teacher.get_by_label("Опыт школы по направлениям (для управления)").fill(NOTE)
        teacher.get_by_role("button", name="Отправить заявку").click()
        answer = teacher.get_by_role("status").filter(has_text="Ответ управления")
        expect(answer).to_contain_text("принята управлением")

        # -- 3. the municipal curator includes the school by an order ---------------------
        nav.get_by_role("link", name="Лига менторов").click()
        curator.get_by_role("link", name="Ключи школ").click()
        expect(row).to_contain_text(", использован ")  # the key the school's answer came with
        nav.get_by_role("link", name="Лига менторов").click()
        listing = curator.get_by_role("table", name=re.compile("Заявок и участников"))
        applied = listing.get_by_role("row").filter(
            has=curator.get_by_role("rowheader", name=SCHOOL))
        expect(applied).to_contain_text("заявка")
        expect(applied).to_contain_text(f"{FIRST}; {SECOND}")
        applied.get_by_role("link", name=SCHOOL).click()
        expect(curator.get_by_role("heading", name=SCHOOL, exact=True)).to_be_visible()
        expect(curator.get_by_text(f"Примечание: {NOTE}")).to_be_visible()
        pdf = pdf_document("Приказ о Лиге образовательных организаций-менторов",
                           [f"Включить {SCHOOL} в Лигу менторов."])
        order_file = tmp_path / "Приказ о Лиге менторов.pdf"
        order_file.write_bytes(pdf)
        curator.get_by_label("Номер приказа").fill(ORDER_NUMBER)
        curator.get_by_label("Дата приказа").fill(ORDER_DATE.isoformat())
        curator.get_by_label("Файл приказа (PDF, DOC, DOCX, ODT)").set_input_files(order_file)
        curator.get_by_role("button", name="Включить приказом").click()
        _flash(curator, f"«{SCHOOL}» включена в Лигу приказом № {ORDER_NUMBER}.")
        state = f"включена приказом № {ORDER_NUMBER} от {ru_date(ORDER_DATE)}"
        expect(curator.get_by_text(state)).to_be_visible()

        # -- 4. a visitor sees the member and opens its order ------------------------------
        visitor.goto(office_site("/"))
        visitor.get_by_role("link", name="Лига менторов").click()
        expect(visitor.get_by_role("heading", name="Лига образовательных организаций-менторов",
                                   level=1)).to_be_visible()
        member = visitor.get_by_role("row").filter(
            has=visitor.get_by_role("rowheader", name=re.compile(re.escape(SCHOOL))))
        expect(member).to_have_count(1)
        expect(member.get_by_role("link", name=SCHOOL)).to_have_attribute(
            "href", school_site("/nastavnichestvo/"))
        expect(member).to_contain_text(FIRST)
        expect(member).to_contain_text(SECOND)
        expect(member).not_to_contain_text(CONTACT)  # the school's contact stays the office's
        screenshot(visitor, "league-member-by-order")
        order = member.get_by_role("link", name=f"№ {ORDER_NUMBER} от {ru_date(ORDER_DATE)}")
        with visitor.expect_download() as info:
            order.click()  # Chromium without a PDF viewer saves the file it opens
        download = info.value
        assert download.url.startswith(office_site("/liga/"))
        assert download.path().read_bytes() == pdf
        opened = visitor.request.get(download.url)
        assert opened.status == 200 and opened.headers["content-type"].startswith("application/pdf")
        assert opened.body() == pdf
        assert not failures, failures
    finally:
        for context in (office_ctx, school_ctx, visitor_ctx):
            context.close()
