"""The plug-in contract: settings, init, the host's db/layout/overrides, headers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from mentoring_site import Mentoring
from mentoring_site.config import ConfigError
from mentoring_site.migrate import upgrade
from tests.conftest import make_app
from tests.host_site import HostArticle, create_host_app


def _sqlite(tmp_path, name="t.sqlite"):
    return f"sqlite:///{tmp_path / name}"


def test_defaults_are_applied(tmp_path):
    app = make_app(_sqlite(tmp_path), tmp_path)
    assert app.config["MENTORING_URL_PREFIX"] == "/nastavnichestvo"
    assert app.config["MENTORING_THEME"] == "default"
    assert "mentoring" in app.extensions


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("MENTORING_URL_PREFIX", "nastavnichestvo"),
        ("MENTORING_URL_PREFIX", "/nastavnichestvo/"),
        ("MENTORING_URL_PREFIX", "/Наставничество"),
        ("MENTORING_THEME", "no-such-theme"),
        ("MENTORING_SCHOOL_NAME", ""),
        ("MENTORING_CURATOR_CHECK", "not callable"),
        ("MENTORING_SITE_URL", "school.example.ru"),
        ("MENTORING_PER_PAGE", 0),
        ("MENTORING_PER_PAGE", "12"),
        ("MENTORING_TIMEZONE", "Mars/Olympus"),
        ("MENTORING_TRUSTED_HOSTS", "localhost"),
    ],
)
def test_a_wrong_value_stops_start_up_naming_the_key(tmp_path, key, value):
    with pytest.raises(ConfigError, match=key):
        make_app(_sqlite(tmp_path), tmp_path, **{key: value})


def test_a_misspelt_key_stops_start_up(tmp_path):
    with pytest.raises(ConfigError, match="MENTORING_URL_PREFIKS"):
        make_app(_sqlite(tmp_path), tmp_path, MENTORING_URL_PREFIKS="/x")


def test_double_init_is_a_clear_error(tmp_path):
    app = make_app(_sqlite(tmp_path), tmp_path)
    with pytest.raises(RuntimeError, match="уже подключён"):
        Mentoring(app)


def test_factory_pattern_keeps_state_per_app(tmp_path):
    mentoring = Mentoring()
    apps = []
    for n, prefix in enumerate(["/nastavnichestvo", "/mentorstvo"]):
        app = Flask(f"school{n}", instance_path=str(tmp_path / f"i{n}"))
        app.config.update(
            MENTORING_DATABASE_URI=_sqlite(tmp_path, f"{n}.sqlite"),
            MENTORING_URL_PREFIX=prefix,
            MENTORING_SCHOOL_NAME=f"Школа {n}",
        )
        mentoring.init_app(app)
        upgrade(app)
        apps.append(app)
    a, b = apps
    assert a.extensions["mentoring"] is not b.extensions["mentoring"]
    assert a.extensions["mentoring"].engine.url != b.extensions["mentoring"].engine.url
    assert a.test_client().get("/nastavnichestvo/").status_code == 200
    assert b.test_client().get("/mentorstvo/").status_code == 200
    assert b.test_client().get("/nastavnichestvo/").status_code == 404


def test_default_database_is_sqlite_in_instance_folder(tmp_path):
    app = Flask("school", instance_path=str(tmp_path / "inst"))
    Mentoring(app)
    url = app.extensions["mentoring"].engine.url
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "inst" / "mentoring.sqlite")


@pytest.fixture
def host(tmp_path):
    app, db = create_host_app(_sqlite(tmp_path, "host.sqlite"), tmp_path)
    with app.app_context():
        db.create_all()
        db.session.add(HostArticle(title="Новость школы"))
        db.session.commit()
    upgrade(app)
    return app, db


def test_host_flask_sqlalchemy_is_reused(host):
    app, db = host
    state = app.extensions["mentoring"]
    assert state.shares_host_session
    with app.app_context():
        assert state.session() is db.session()
        assert state.engine is db.engine
        names = sa.inspect(db.engine).get_table_names()
    assert {"users", "articles", "mentoring_person", "mentoring_alembic_version"} <= set(names)
    assert not any(t.startswith("mentoring_") for t in db.metadata.tables)


def test_section_sits_inside_the_host_layout(host):
    app, _ = host
    html = app.test_client().get("/nastavnichestvo/").get_data(as_text=True)
    assert "Подвал сайта хоста" in html and "Меню школы" in html
    assert html.count("<html") == 1
    host_home = app.test_client().get("/").get_data(as_text=True)
    assert "Новость школы" in host_home


def test_host_overrides_a_template(host):
    app, _ = host
    resp = app.test_client().get("/nastavnichestvo/novosti/net-takoy-novosti/")
    assert resp.status_code == 404
    assert "Переопределено хостом" in resp.get_data(as_text=True)


def test_host_404_handler_is_left_alone(host):
    app, _ = host
    resp = app.test_client().get("/net-takoy-stranitsy-hosta")
    assert resp.status_code == 404
    assert resp.get_data(as_text=True) == "Хост: нет такой страницы"


def test_security_headers_on_our_pages_only(host):
    app, _ = host
    client = app.test_client()
    ours = client.get("/nastavnichestvo/")
    csp = ours.headers["Content-Security-Policy"]
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'",
                 "script-src 'self'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert ours.headers["X-Content-Type-Options"] == "nosniff"
    assert ours.headers["Referrer-Policy"]
    theirs = client.get("/")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert header not in theirs.headers


def test_own_database_beside_a_host_db_when_uri_given(tmp_path):
    app, db = create_host_app(
        _sqlite(tmp_path, "host.sqlite"), tmp_path,
        MENTORING_DATABASE_URI=_sqlite(tmp_path, "ours.sqlite"),
    )
    state = app.extensions["mentoring"]
    assert not state.shares_host_session
    upgrade(app)
    with app.app_context():
        assert "mentoring_person" not in sa.inspect(db.engine).get_table_names()
    assert "mentoring_person" in sa.inspect(state.engine).get_table_names()


def test_site_url_never_comes_from_a_forged_host_header(tmp_path):
    from mentoring_site.urls import absolute_url, site_root

    app = make_app(_sqlite(tmp_path), tmp_path)
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert site_root() == "http://localhost"
    with app.test_request_context("/", headers={"Host": "127.0.0.1:5000"}):
        assert site_root() == "http://127.0.0.1:5000"
    app2 = make_app(_sqlite(tmp_path, "2.sqlite"), tmp_path / "2",
                    MENTORING_SITE_URL="https://school7.example.ru/")
    with app2.test_request_context("/", headers={"Host": "evil.example"}):
        assert absolute_url("mentoring.cases") == (
            "https://school7.example.ru/nastavnichestvo/luchshie-praktiki/"
        )
