"""The curator's main path in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PIL import Image

from mentoring_site.migrate import upgrade
from tests.admin_support import ADMIN, PASSWORD, make_account
from tests.browser import screenshot, serve_app
from tests.conftest import make_app


@pytest.fixture
def server(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'e2e.sqlite'}", tmp_path)
    upgrade(app)
    make_account(app)
    with serve_app(app) as live:
        yield live
    app.extensions["mentoring"].engine.dispose()


def _login(page, server):
    page.goto(server(f"{ADMIN}/"))
    page.get_by_label("Имя входа").fill("kurator")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("heading", name="Что требует внимания").wait_for()


def _person(page, server, last, first):
    page.goto(server(f"{ADMIN}/lyudi/novaya/"))
    page.get_by_label("Фамилия").fill(last)
    page.get_by_label("Имя", exact=True).fill(first)
    page.get_by_label("Должность").fill("Учитель начальных классов")
    page.get_by_label("В базе наставников").check()
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сохранено").wait_for()
    page.get_by_role("link", name="Добавить согласие на распространение").click()
    page.get_by_label("Дата подписания").fill(str(date.today()))
    page.get_by_label("Должность, предметы, категория").check()
    page.get_by_role("button", name="Сохранить согласие").click()
    page.get_by_text("согласие действует").first.wait_for()


def _program(page, server, title, mentor, mentee):
    page.goto(server(f"{ADMIN}/programmy/novaya/"))
    page.get_by_label("Название программы").fill(title)
    start = date.today() - timedelta(days=120)
    page.get_by_label("Начало").fill(str(start))
    page.get_by_label("Окончание (по плану)").fill(str(start + timedelta(days=200)))
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сохранено").wait_for()
    for who, role in ((mentor, "Наставник"), (mentee, "Наставляемый")):
        form = page.locator("form[action$='/uchastniki/']")
        form.get_by_label("Человек").select_option(label=who)
        form.get_by_label("Роль").select_option(label=role)
        form.get_by_role("button", name="Добавить участника").click()
        page.get_by_text("Участник добавлен").wait_for()
    plan = page.locator("form[action$='/plan/']")
    plan.get_by_label("Мероприятие").fill("Взаимопосещение уроков")
    plan.get_by_role("button", name="Добавить в план").click()
    page.get_by_text("Мероприятие добавлено").wait_for()
    page.get_by_role("button", name="Начать программу").click()
    page.get_by_text("Программа начата").wait_for()
    return page.url


def test_curator_publishes_a_case_a_visitor_sees_it(page, server, tmp_path):
    _login(page, server)
    screenshot(page, "admin-dashboard")
    _person(page, server, "Берёзкина", "Алла")
    _person(page, server, "Новикова", "Дарья")
    program_url = _program(page, server, "Первый год в профессии", "Берёзкина Алла",
                           "Новикова Дарья")
    page.get_by_role("button", name="Отметить выполненным").click()
    page.get_by_text("отмечено выполненным").wait_for()
    page.get_by_text("Завершить: каждое мероприятие плана отмечено").click()
    page.locator("form[action$='/zavershit/']").get_by_role(
        "button", name="Завершить программу").click()
    page.get_by_text("Программа завершена.").wait_for()
    assert page.url == program_url

    page.goto(server(f"{ADMIN}/luchshie-praktiki/novaya/"))
    page.get_by_label("Программа").select_option(label="Первый год в профессии (завершена)")
    page.get_by_label("Название кейса").fill("Как мы учились вести родительское собрание")
    page.get_by_label("Кратко (для галереи)").fill("Опыт пары наставник — молодой учитель.")
    page.get_by_label("Описание практики").fill("## Что сделали\n\n- репетиция\n- разбор")
    page.get_by_label("Статус").select_option(label="Опубликовано")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сохранено").wait_for()
    photo = tmp_path / "собрание.jpg"
    Image.new("RGB", (900, 600), "#4a7").save(photo, "JPEG")
    page.get_by_label("Фотография (JPEG, PNG или WebP)").set_input_files(str(photo))
    page.get_by_label("Что на фотографии (для незрячих посетителей)").fill(
        "Учителя за круглым столом")
    page.get_by_role("button", name="Загрузить фотографию").click()
    page.get_by_text("Фотография добавлена").wait_for()
    screenshot(page, "admin-case-editor")

    visitor = page.context.browser.new_page()
    visitor.goto(server("/nastavnichestvo/luchshie-praktiki/"))
    visitor.get_by_role("link", name="Как мы учились вести родительское собрание").click()
    visitor.get_by_role("img", name="Учителя за круглым столом").first.wait_for()
    assert "Берёзкина Алла" in visitor.content()
    visitor.close()


def test_a_case_of_a_running_programme_is_refused(page, server):
    _login(page, server)
    _person(page, server, "Старова", "Инна")
    _person(page, server, "Молодова", "Ева")
    _program(page, server, "Идёт сейчас", "Старова Инна", "Молодова Ева")
    page.goto(server(f"{ADMIN}/luchshie-praktiki/novaya/"))
    page.get_by_label("Программа").select_option(label="Идёт сейчас (реализуется)")
    page.get_by_label("Название кейса").fill("Рано публиковать")
    page.get_by_label("Статус").select_option(label="Опубликовано")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("только после завершения программы «Идёт сейчас»").first.wait_for()
    page.get_by_role("link", name="Открыть программу").click()
    page.get_by_role("heading", name="Идёт сейчас").wait_for()
