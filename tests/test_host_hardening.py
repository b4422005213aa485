"""Issue 14: what an attacker and two host sites found (items 14, 18, 20 and the account
screen's password check). Each test failed before its fix."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from mentoring_site import Mentoring
from mentoring_site.config import ConfigError
from mentoring_site.public import accessibility as a11y
from tests.conftest import make_app
from tests.test_accessibility import APPLY, PREFIX, SETTINGS, _form_fields, apply

# ---- item 14: the settings of the version for the visually impaired change by POST only --------


def _vi_cookie(client):
    return client.get_cookie(a11y.COOKIE, path=PREFIX + "/")


def test_an_old_get_link_changes_nothing_and_offers_the_settings(seeded_app):
    client = seeded_app.test_client()
    response = client.get(APPLY, query_string={"size": "4", "scheme": "wb",
                                                "next": PREFIX + "/novosti/"})
    assert response.status_code == 200
    assert _vi_cookie(client) is None and "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert a11y.NOT_APPLIED in html
    assert re.search(r'id="m-vi-size-4" name="size" value="4" checked', html)
    assert re.search(r'id="m-vi-scheme-wb" name="scheme" value="wb" checked', html)
    action, hidden = _form_fields(html, "m-vi-form")
    assert action == APPLY and hidden["next"] == PREFIX + "/novosti/"
    assert "Применить</button>" in html
    # the visitor presses «Применить»: now it is their choice
    response = client.post(action, data={**hidden, "size": "4", "scheme": "wb"})
    assert response.status_code == 303 and response.headers["Location"] == PREFIX + "/novosti/"
    assert _vi_cookie(client).value.startswith("v1.size-4.scheme-wb")


def test_an_old_reset_link_offers_the_button(seeded_app):
    client = seeded_app.test_client()
    assert apply(client, size="4").status_code == 303
    html = client.get(APPLY, query_string={"reset": "1"}).get_data(as_text=True)
    assert _vi_cookie(client) is not None
    assert 'name="reset" value="1">Вернуться к обычной версии</button>' in html


@pytest.mark.parametrize("headers, token", [
    ({"Origin": "https://evil.example"}, True),
    ({"Sec-Fetch-Site": "cross-site"}, True),
    ({}, False),
    ({}, "forged"),
])
def test_another_sites_post_changes_nothing(seeded_app, headers, token):
    client = seeded_app.test_client()
    hidden = _form_fields(client.get(SETTINGS).get_data(as_text=True), "m-vi-form")[1]
    data = {"size": "4", "next": PREFIX + "/"}
    if token:
        data["token"] = hidden["token"] if token is True else token
    response = client.post(APPLY, data=data, headers=headers)
    assert response.status_code == 403
    assert _vi_cookie(client) is None
    html = response.get_data(as_text=True)
    assert a11y.NOT_APPLIED in html and 'value="4" checked' in html


def test_same_site_post_with_origin_is_taken(seeded_app):
    client = seeded_app.test_client()
    hidden = _form_fields(client.get(SETTINGS).get_data(as_text=True), "m-vi-form")[1]
    response = client.post(APPLY, data={**hidden, "size": "3"},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303
    assert _vi_cookie(client).value.startswith("v1.size-3")


def test_no_page_switches_the_settings_by_a_link(seeded_app):
    """Neither the single control nor the panel carries a link to «primenit»: every choice
    is a button of a POST form with the token."""
    client = seeded_app.test_client()
    for cookie in (None, "v1.size-4.images-off"):
        if cookie:
            client.set_cookie(a11y.COOKIE, cookie, path=PREFIX + "/")
        for path in (PREFIX + "/", PREFIX + "/luchshie-praktiki/", SETTINGS):
            html = client.get(path).get_data(as_text=True)
            assert "primenit?" not in html and 'href="' + APPLY not in html, (cookie, path)
            assert f'method="post" action="{APPLY}"' in html
    html = client.get(PREFIX + "/").get_data(as_text=True)
    for name, value in (("size", "1"), ("scheme", "green"), ("images", "on"), ("reset", "1")):
        assert f'name="{name}" value="{value}"' in html
    action, hidden = _form_fields(html, "m-vi-panel__form")
    assert client.post(action, data={**hidden, "scheme": "green"}).status_code == 303
    assert "scheme-green" in _vi_cookie(client).value


# ---- item 18: one Russian line instead of a traceback -------------------------------------------


@pytest.fixture
def bare_app(empty_database_uri, tmp_path):
    """An installed section whose host has not run ``flask mentoring upgrade`` yet."""
    app = make_app(empty_database_uri, tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("args", [["seed-demo"], ["create-curator", "kurator"],
                                  ["send-mail"], ["purge-answers"]])
def test_commands_before_upgrade_say_to_run_it(bare_app, args, monkeypatch):
    monkeypatch.setenv("MENTORING_CURATOR_PASSWORD", "длинный пароль куратора школы")
    result = bare_app.test_cli_runner().invoke(args=["mentoring", *args])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a click error, not a traceback
    assert "ещё не созданы: выполните «flask mentoring upgrade»" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", ["/", "/novosti/", "/ankety/"])
def test_pages_before_upgrade_are_a_503_saying_what_to_do(bare_app, path):
    response = bare_app.test_client().get(PREFIX + path)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "flask mentoring upgrade" in html and "<h1>Раздел временно недоступен</h1>" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_the_admin_before_upgrade_is_a_503_too(bare_app):
    from mentoring_site.auth import identity

    client = bare_app.test_client()
    with bare_app.test_request_context():
        signed = identity.signer().dumps({"a": 1, "t": "token"})
    client.set_cookie(identity.COOKIE, signed, path=PREFIX + "/admin")
    response = client.get(PREFIX + "/admin/")
    assert response.status_code == 503
    assert "flask mentoring upgrade" in response.get_data(as_text=True)


def test_the_api_before_upgrade_answers_json(bare_app):
    response = bare_app.test_client().get(PREFIX + "/api/v1/summary")
    assert response.status_code == 503
    assert "flask mentoring upgrade" in response.get_json()["error"]


def _failing_query(monkeypatch):
    import sqlalchemy as sa

    from mentoring_site import queries

    def broken(*_a, **_k):
        raise sa.exc.OperationalError("SELECT", {}, Exception("no such column"))

    monkeypatch.setattr(queries, "menu_pages", broken)


def test_tables_of_an_older_version_are_named(bare_app, monkeypatch):
    """A page that fails on tables one migration behind says so; the commands always do."""
    from mentoring_site import migrate

    migrate.upgrade(bare_app)
    migrate.downgrade(bare_app, "-1")
    _failing_query(monkeypatch)
    response = bare_app.test_client().get(PREFIX + "/")
    assert response.status_code == 503
    assert f"нужна {migrate.head_revision()}" in response.get_data(as_text=True)
    result = bare_app.test_cli_runner().invoke(args=["mentoring", "seed-demo"])
    assert result.exit_code == 1 and "flask mentoring upgrade" in result.output


def test_a_real_database_error_stays_an_error(app, monkeypatch):
    """With the tables in place, a failing query is not disguised as «run upgrade»."""
    import sqlalchemy as sa

    _failing_query(monkeypatch)
    with pytest.raises(sa.exc.OperationalError):
        app.test_client().get(PREFIX + "/")


def test_a_missing_base_template_is_named(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path, MENTORING_BASE_TEMPLATE="site/nет.html")
    response = app.test_client().get(PREFIX + "/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "MENTORING_BASE_TEMPLATE: шаблон &#39;site/nет.html&#39; не найден" in html
    app.extensions["mentoring"].engine.dispose()


def test_a_present_base_template_is_checked_once(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path, MENTORING_BASE_TEMPLATE="mentoring/theme_base.html")
    client = app.test_client()
    assert client.get(PREFIX + "/").status_code == 200
    assert app.extensions["mentoring"].base_template_checked
    app.extensions["mentoring"].engine.dispose()


def test_a_curator_check_without_flask_login_is_refused_at_init(tmp_path):
    with pytest.raises(ConfigError, match="нет Flask-Login: подключите LoginManager"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path,
                 MENTORING_CURATOR_CHECK=lambda user: True)


def _host(tmp_path, **config) -> Flask:
    app = Flask("host_order", instance_path=str(tmp_path / "instance"))
    app.config.update(TESTING=True, SECRET_KEY="host", **config)
    return app


def test_the_section_before_the_hosts_database_is_refused_at_init(tmp_path):
    app = _host(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'site.sqlite'}")
    with pytest.raises(ConfigError, match=r"раньше db.init_app\(app\)"):
        Mentoring(app)
    # the right order shares the site's database
    app = _host(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'site.sqlite'}")
    SQLAlchemy().init_app(app)
    Mentoring(app)
    assert app.extensions["mentoring"].shares_host_session


def test_the_section_before_the_hosts_database_is_found_later(tmp_path):
    """No database setting yet at Mentoring(app): found at the first use, not ignored."""
    app = _host(tmp_path)
    Mentoring(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'site.sqlite'}"
    SQLAlchemy().init_app(app)
    result = app.test_cli_runner().invoke(args=["mentoring", "upgrade"])
    assert result.exit_code == 1 and "раньше db.init_app(app)" in result.output
    assert not (tmp_path / "instance" / "mentoring.sqlite").exists()
    response = app.test_client().get(PREFIX + "/")
    assert response.status_code == 500
    assert "раньше db.init_app(app)" in response.get_data(as_text=True)
    app.extensions["mentoring"].engine.dispose()


def _demo(monkeypatch, tmp_path, *args: str) -> int:
    from mentoring_site import __main__ as main

    monkeypatch.setattr("flask.Flask.run", lambda *a, **k: None)
    return main.main(["demo", "--instance", str(tmp_path / "instance"), *args])


def test_the_demo_takes_a_path_as_an_sqlite_file(monkeypatch, tmp_path, capsys):
    assert _demo(monkeypatch, tmp_path, "--database", str(tmp_path / "school.sqlite")) == 0
    assert (tmp_path / "school.sqlite").stat().st_size > 0
    assert "Управление разделом" in capsys.readouterr().out


def test_a_demo_app_dropped_unserved_leaves_no_connection_to_the_collector(tmp_path):
    """Python 3.13's sqlite3 warns of a connection only the garbage collector closes (the
    newest leg printed it for the demo's own Flask-SQLAlchemy engine): the demo's engines
    and the section's close their connections when the app is dropped."""
    import gc
    import sqlite3

    from mentoring_site import demo

    app = demo.create_app(f"sqlite:///{tmp_path / 'school.sqlite'}", str(tmp_path / "instance"))
    opened: list = []
    with app.app_context():
        engines = [*demo.db.engines.values(), app.extensions["mentoring"].engine]
    for engine in engines:
        sa.event.listen(engine, "connect", lambda conn, _record: opened.append(conn))
    demo.prepare(app)
    assert len(opened) >= 2  # the host's engine and the section's both connected
    del app, engines, engine
    for _ in range(3):  # a migration's reflected tables hold the engine until a second pass
        gc.collect()
    for conn in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.execute("select 1")


@pytest.mark.parametrize("value, message", [
    (".", "это папка"),
    ("net/takoy/papki/school.sqlite", "папки «"),
    ("postgresql+nosuchdriver://u@localhost/x", "нет драйвера"),
    ("::not a url://", "адрес базы данных не разобран"),
])
def test_the_demo_explains_a_database_it_cannot_use(monkeypatch, tmp_path, capsys, value,
                                                   message):
    monkeypatch.chdir(tmp_path)
    assert _demo(monkeypatch, tmp_path, "--database", value) == 2
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: --database") and message in err
    assert len(err.strip().splitlines()) == 1


# ---- item 1's leftover: the account screen's password check follows the per-browser rule ------


def _stranger_burst(app, login_name="kurator", n=40):
    from mentoring_site.auth import throttle

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for i in range(n):
            throttle.record_failure(sess, login_name, f"203.0.113.{i}")
        sess.commit()
        assert throttle.wait_seconds(sess, login_name, "198.51.100.7") > 0  # strangers wait


@pytest.mark.parametrize("known_cookie", [True, False])
def test_a_strangers_burst_does_not_delay_the_password_change(app, known_cookie):
    from tests.admin_support import PASSWORD, signed_in
    from tests.test_admin_account import NEW, account, change

    client = signed_in(app)
    if not known_cookie:  # signed in, but the known-browser cookie was cleared
        acc = account(app)
        client.delete_cookie(f"mentoring_known_{acc.id}", path="/nastavnichestvo/admin")
    _stranger_burst(app)
    response = change(client, current=PASSWORD, new=NEW)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_the_curators_own_wrong_passwords_still_hold_her_back(app):
    from tests.admin_support import signed_in
    from tests.test_admin_account import change

    client = signed_in(app)
    for _ in range(5):
        assert change(client, current="угадываю пароль куратора снова").status_code == 200
    assert change(client).status_code == 429


# ---- item 20: the journal in words and in the school's time ------------------------------------


@pytest.fixture
def yekaterinburg(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path, MENTORING_TIMEZONE="Asia/Yekaterinburg")  # UTC+5
    yield app
    app.extensions["mentoring"].engine.dispose()


def _journal_row(app, **entry) -> str:
    from datetime import datetime

    from mentoring_site.models import AuditEntry
    from tests.admin_support import ADMIN, signed_in

    client = signed_in(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(AuditEntry(actor="Куратор", action="update", item_id=1, item_title="Запись",
                            at=datetime(2026, 3, 1, 6, 30), **entry))
        sess.commit()
    html = client.get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    row = re.search(r'<tr>\s*<th scope="row">1\sмарта\s2026\sг\.,\s11:30</th>.*?</tr>', html, re.S)
    assert row, "the entry at 06:30 UTC is shown at 11:30 in Yekaterinburg"
    return re.sub(r"\s+", " ", row.group(0))


def test_the_journal_names_fields_and_values_in_russian(yekaterinburg):
    row = _journal_row(yekaterinburg, item_kind="news", changes={
        "title": ["Старое", "Новое"],
        "status": ["draft", "published"],
        "kind": ["news", "announcement"],
        "published_at": [None, "2026-03-01T07:00:00"],
        "event_starts_at": [None, "2026-03-05T15:00:00"],
        "event_place": ["", "Актовый зал"],
    })
    assert "<strong>Заголовок</strong>: <del>Старое</del> → <ins>Новое</ins>" in row
    assert "<strong>Статус</strong>: <del>Черновик</del> → <ins>Опубликовано</ins>" in row
    assert "<strong>Вид</strong>: <del>Новость</del> → <ins>Анонс</ins>" in row
    # UTC in the school's zone; the event's time is already the school's
    assert "<strong>Опубликовать с</strong>: <ins>01.03.2026 12:00</ins>" in row
    assert "<strong>Начало мероприятия</strong>: <ins>05.03.2026 15:00</ins>" in row
    assert "<strong>Место проведения</strong>: <del>—</del> → <ins>Актовый зал</ins>" in row
    for column in ("title", "status", "published_at", "draft", "2026-03-01T"):
        assert column not in row, column


def test_the_journal_says_yes_no_and_dates_of_a_consent(yekaterinburg):
    row = _journal_row(yekaterinburg, item_kind="consent", changes={
        "allow_photo": [False, True], "signed_on": [None, "2026-02-10"],
        "withdrawn_on": ["2026-02-20", None],
    })
    assert "</strong>: <del>нет</del> → <ins>да</ins>" in row
    assert "<ins>10.02.2026</ins>" in row and "<del>20.02.2026</del> → <ins>—</ins>" in row
    assert "allow_photo" not in row and "signed_on" not in row and "withdrawn_on" not in row
