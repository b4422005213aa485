"""The starter kit: «Добавить федеральную нормативную базу» on a fresh install (issue 10).

The acts are package data; they go in through the save path (journal, slugs), once: a
second press, the CLI after the button, or an act the curator typed already add nothing.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from mentoring_site import starter
from mentoring_site.models import AccountRole, AuditEntry, DocKind, DocLevel, Document, Status
from tests.admin_support import ADMIN, signed_in, token

PREFIX = "/nastavnichestvo"


def _sess(app):
    return app.extensions["mentoring"].session()


def _documents(app) -> list[Document]:
    with app.app_context():
        return list(_sess(app).scalars(sa.select(Document).order_by(Document.id)))


def test_the_kit_lists_the_federal_acts_with_numbers_dates_issuers_and_links():
    acts = starter.federal_acts()
    by_number = {a.number: a for a in acts}
    assert by_number["273-ФЗ"].issued_on == date(2012, 12, 29)
    assert by_number["273-ФЗ"].url == ("https://publication.pravo.gov.ru/document/"
                                       "0001201212300007")
    assert by_number["Р-145"].issued_on == date(2019, 12, 25)
    assert by_number["МР-42/02"].issued_on == date(2020, 1, 23)
    assert by_number["3273-р"].issued_on == date(2019, 12, 31)
    assert by_number["401"].issued_on == date(2022, 6, 27)
    assert by_number["АЗ-1128/08 / 657"].kind is DocKind.LETTER
    assert by_number["152-ФЗ"].issued_on == date(2006, 7, 27)
    assert by_number["1493"].issued_on == date(2023, 8, 4)
    # repealed ones are marked: № 474 by № 309, the old site requirements № 831 by № 1493
    assert {a.number for a in acts if a.repealed} == {"474", "831"}
    assert by_number["474"].repealed_on == date(2024, 5, 7)
    for act in acts:
        assert act.title and act.issuer and act.number, act
        assert act.url.startswith(("https://", "http://")), act
        assert len(act.title) <= 500 and len(act.number) <= 60
    assert len({a.key for a in acts}) == len(acts)


def test_the_number_key_ignores_spelling():
    key = starter._number_key
    assert key("№ 273-ФЗ") == key("273-фз") == key("273 ФЗ")
    assert key("АЗ-1128/08 / 657") == key("АЗ-1128/08")
    assert key("474") != key("401")


def test_adding_twice_adds_nothing_twice_and_journals_each_act(app):
    with app.app_context():
        sess = _sess(app)
        assert not starter.has_federal_acts(sess)
        added = starter.add_federal_acts(sess, actor="Тест")
        assert len(added) == len(starter.federal_acts())
        assert starter.has_federal_acts(sess)
        assert starter.add_federal_acts(sess, actor="Тест") == []
        journal = sess.scalars(sa.select(AuditEntry).where(AuditEntry.item_kind == "document"))
        assert sorted(e.action for e in journal) == ["create"] * len(added)
    docs = _documents(app)
    assert len(docs) == len(starter.federal_acts())
    assert all(d.level is DocLevel.FEDERAL and d.status is Status.PUBLISHED for d in docs)
    assert len({d.slug for d in docs}) == len(docs)  # 1493 and 831 share a title
    repealed = {d.number: d for d in docs if not d.in_force}
    assert set(repealed) == {"474", "831"}
    assert repealed["474"].repealed_on == date(2024, 5, 7)


def test_an_act_typed_by_hand_is_not_added_again(app):
    with app.app_context():
        sess = _sess(app)
        sess.add(Document(slug="zakon", title="Закон об образовании", level=DocLevel.FEDERAL,
                          kind=DocKind.LAW, number="№ 273-фз", issued_on=date(2012, 12, 29)))
        sess.commit()
        assert "273-ФЗ" not in {a.number for a in starter.missing_acts(sess)}
        added = starter.add_federal_acts(sess, actor="Тест")
        assert len(added) == len(starter.federal_acts()) - 1


def test_the_acts_appear_on_the_public_pages(app):
    with app.app_context():
        starter.add_federal_acts(_sess(app), actor="Тест")
    client = app.test_client()
    html = client.get(f"{PREFIX}/normativnaya-baza/").get_data(as_text=True)
    assert "Об образовании в Российской Федерации" in html
    assert "№&nbsp;273-ФЗ" in html
    assert "0001201212300007" in html
    assert "Года педагога и наставника" in html
    assert "№&nbsp;474" not in html
    gone = client.get(f"{PREFIX}/normativnaya-baza/utratili-silu/").get_data(as_text=True)
    assert "№&nbsp;474" in gone and "№&nbsp;831" in gone
    assert 'Утратил силу <time datetime="2024-05-07">' in gone


def test_the_cli_adds_the_acts_once(app, runner):
    first = runner.invoke(args=["mentoring", "starter", "federal-acts"])
    assert first.exit_code == 0, first.output
    n = len(starter.federal_acts())
    assert f"Добавлено {n} документов" in first.output
    second = runner.invoke(args=["mentoring", "starter", "federal-acts"])
    assert second.exit_code == 0 and "ничего не добавлено" in second.output
    assert len(_documents(app)) == n


def test_added_message_agrees_with_the_number():
    assert starter.added_message(1).startswith("Добавлен 1 документ ")
    assert starter.added_message(3).startswith("Добавлено 3 документа ")
    assert starter.added_message(12).startswith("Добавлено 12 документов ")
    assert starter.added_message(21).startswith("Добавлен 21 документ ")
    assert "ничего не добавлено" in starter.added_message(0)


# -- the dashboard's button ----------------------------------------------------------------

BUTTON = "Добавить федеральную нормативную базу"
ACTION = f"{ADMIN}/nachalnyi-nabor/federalnye-akty/"


def test_the_dashboard_offers_the_kit_to_a_curator_of_an_empty_base(app):
    client = signed_in(app)
    html = client.get(f"{ADMIN}/").get_data(as_text=True)
    assert BUTTON in html and ACTION in html
    resp = client.post(ACTION, data={"csrf_token": token(client, f"{ADMIN}/")})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"Добавлено {len(starter.federal_acts())} документов" in page
    assert BUTTON not in client.get(f"{ADMIN}/").get_data(as_text=True)
    # a second press (an old tab) adds nothing
    resp = client.post(ACTION, data={"csrf_token": token(client, f"{ADMIN}/")})
    assert "ничего не добавлено" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert len(_documents(app)) == len(starter.federal_acts())
    with app.app_context():
        actors = set(_sess(app).scalars(sa.select(AuditEntry.actor)
                                        .where(AuditEntry.item_kind == "document")))
    assert actors == {"Kurator"}


def test_the_button_needs_a_token_and_a_curator(app):
    client = signed_in(app)
    resp = client.post(ACTION, data={})
    assert resp.status_code == 302
    assert "защитный ключ устарел" in client.get(resp.headers["Location"]).get_data(
        as_text=True)
    assert _documents(app) == []
    editor = signed_in(app, AccountRole.EDITOR, "redaktor")
    assert BUTTON not in editor.get(f"{ADMIN}/").get_data(as_text=True)
    resp = editor.post(ACTION, data={"csrf_token": token(editor, f"{ADMIN}/")})
    assert resp.status_code == 403
    assert _documents(app) == []


def test_the_demo_school_is_not_offered_the_kit(seeded_app):
    client = signed_in(seeded_app)
    assert BUTTON not in client.get(f"{ADMIN}/").get_data(as_text=True)


# -- the fresh install's dashboard in a real browser -----------------------------------------


def test_the_fresh_dashboard_passes_axe_and_the_nu_checker(app, live_server, page, tmp_path):
    """The admin walk (tests/test_a11y_admin.py) sees the demo, which has federal acts: the
    button and the «Нет данных» charts of a fresh install are checked here."""
    import json
    import os
    import subprocess

    from tests.admin_support import PASSWORD, make_account
    from tests.browser import skip_or_fail
    from tests.test_a11y_browser import _axe_violations, _vnu

    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed (pip install -e '.[test]')")
    make_account(app, "kurator")
    page.goto(live_server(f"{ADMIN}/vhod/"))
    page.fill("#login", "kurator")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form.a-form button[type=submit]")
    served = page.goto(live_server(f"{ADMIN}/"))
    assert page.locator(f"button:has-text('{BUTTON}')").count() == 1
    assert page.locator("svg.a-chart text", has_text="Нет данных").count() == 4
    pages = {"empty": (_axe_violations(Axe(), page), served.body())}
    with page.expect_navigation():
        page.click(f"button:has-text('{BUTTON}')")
    assert "Добавлено" in page.inner_text(".a-flash")
    served = page.goto(live_server(f"{ADMIN}/"))
    pages["after"] = (_axe_violations(Axe(), page), served.body())
    assert {k: v for k, (v, _) in pages.items() if v} == {}
    files = []
    for name, (_, body) in pages.items():  # the HTML exactly as served
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(body)
    result = subprocess.run([*_vnu(), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "LC_ALL": "C.UTF-8"})
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") != "info"] == []
