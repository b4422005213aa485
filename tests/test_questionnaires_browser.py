"""A questionnaire filled in Chromium (Playwright) with JavaScript on and off: the error
state and the thanks page pass axe and the Nu checker, and the answer is stored as typed.
Also: the sitemap lists the open questionnaires' forms (never the thanks page)."""

from __future__ import annotations

import json
import os
import subprocess
from xml.etree import ElementTree as ET

import pytest
import sqlalchemy as sa

from mentoring_site.migrate import upgrade
from mentoring_site.models import Answer, Questionnaire
from tests.browser import serve_app
from tests.conftest import make_app
from tests.test_a11y_browser import _axe_violations, _vnu

PREFIX = "/nastavnichestvo"
MENTEE = "anketa-nastavlyaemogo"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _open(app, *slugs: str) -> None:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for q in sess.scalars(sa.select(Questionnaire).where(Questionnaire.slug.in_(slugs))):
            q.is_open = True
        sess.commit()


def test_the_sitemap_lists_open_questionnaires_not_the_thanks_page(app, client):
    def locs() -> list[str]:
        root = ET.fromstring(client.get(f"{PREFIX}/sitemap.xml").data)
        return [u.find(f"{SITEMAP_NS}loc").text for u in root]

    assert not [loc for loc in locs() if "/ankety/" in loc]  # nothing open: not listed
    _open(app, MENTEE)
    found = [loc for loc in locs() if "/ankety/" in loc]
    assert found == ["http://localhost/nastavnichestvo/ankety/",
                     f"http://localhost/nastavnichestvo/ankety/{MENTEE}/"]
    root = ET.fromstring(client.get(f"{PREFIX}/sitemap.xml").data)
    form = next(u for u in root if u.find(f"{SITEMAP_NS}loc").text == found[1])
    assert form.find(f"{SITEMAP_NS}lastmod") is not None
    for loc in found:
        assert client.get(loc.removeprefix("http://localhost")).status_code == 200


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def form_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'forms.sqlite'}", tmp_path,
                   MENTORING_FORM_MIN_SECONDS=0)
    upgrade(app)
    _open(app, MENTEE)
    yield app
    app.extensions["mentoring"].engine.dispose()


def _submit(page):
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Отправить анкету").click()
    page.wait_for_load_state()
    return sent.value


def _fill(page) -> None:
    page.get_by_label("Фамилия, имя, отчество").fill("Ершов Павел Ильич")
    page.get_by_label("Должность").fill("учитель «истории» & обществознания")
    page.get_by_label("менее 1 года").check()
    page.get_by_label("Работа с родителями").check()
    page.get_by_label("Цифровые инструменты и ИКТ").check()
    page.get_by_label("Ваш запрос к наставнику").fill("Удерживать внимание класса.\nВторая строка.")
    page.locator("fieldset", has_text="Насколько уверенно").get_by_label("2", exact=True).check()
    page.get_by_label("С какого дня").fill("2027-09-01")
    page.get_by_label("Телефон или адрес электронной почты").fill("p.ershov@example.ru")


def _axe(axe, browser, page, body: bytes, js: bool) -> list[str]:
    """axe on the page as shown; with JavaScript off (axe is a script) on the same served
    HTML loaded into a scripted page at the same address, so its styles apply too."""
    if js:
        return _axe_violations(axe, page)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
    try:
        twin = context.new_page()
        twin.goto(page.url)
        twin.set_content(body.decode("utf-8"))
        return _axe_violations(axe, twin)
    finally:
        context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_questionnaire_filled_in_chromium(form_app, browser, axe, js, tmp_path):
    checked: dict[str, bytes] = {}
    problems: dict[str, list[str]] = {}
    with serve_app(form_app) as server:
        context = browser.new_context(java_script_enabled=js, locale="ru-RU",
                                      viewport={"width": 1280, "height": 800})
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(server(f"{PREFIX}/ankety/"))
        page.get_by_role("link", name="Анкета наставляемого").click()
        page.get_by_role("heading", name="Анкета наставляемого").wait_for()
        # half-filled: the form comes back with a message per field, the typed text kept
        page.get_by_label("Фамилия, имя, отчество").fill("Ершов Павел Ильич")
        response = _submit(page)
        assert response.status == 200
        page.get_by_text("Анкета не отправлена").first.wait_for()
        assert page.locator("[aria-invalid='true']").count() >= 2
        assert page.get_by_label("Фамилия, имя, отчество").input_value() == "Ершов Павел Ильич"
        checked["error state"] = response.body()
        problems["error state"] = _axe(axe, browser, page, checked["error state"], js)
        # the link in the summary takes the keyboard user to the field
        page.locator("#m-form-message a").first.click()
        _fill(page)
        page.get_by_label("Я прочитал(а) текст согласия").check()
        response = _submit(page)
        page.get_by_role("heading", name="Спасибо, анкета отправлена").wait_for()
        assert page.url.endswith(f"/ankety/{MENTEE}/spasibo/")
        checked["thanks"] = page.request.get(page.url).body()
        problems["thanks"] = _axe(axe, browser, page, checked["thanks"], js)
        context.close()
    assert not {k: v for k, v in problems.items() if v}, problems
    with form_app.app_context():
        answer = form_app.extensions["mentoring"].session().scalars(sa.select(Answer)).one()
        given = {item["question"]: item["value"] for item in answer.answers.values()}
    assert given["Должность"] == "учитель «истории» & обществознания"
    assert given["В чём вы испытываете затруднения"] == ["Работа с родителями",
                                                          "Цифровые инструменты и ИКТ"]
    assert given["Насколько уверенно вы чувствуете себя в профессии сейчас"] == 2
    assert given["С какого дня вы готовы начать работу с наставником"] == "2027-09-01"
    assert given["Ваш запрос к наставнику"] == "Удерживать внимание класса.\nВторая строка."
    # the Nu checker on the pages exactly as served
    files = []
    for label, body in checked.items():
        target = tmp_path / f"{label.replace(' ', '-')}.html"
        target.write_bytes(body)
        files.append(target)
    result = subprocess.run([*_vnu(), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "LC_ALL": "C.UTF-8"})
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors)
