"""Walk app.url_map: every admin endpoint is guarded; every POST needs a CSRF token."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_login import LoginManager, UserMixin, login_user

from mentoring_site import Mentoring
from mentoring_site.admin.crud import KINDS
from mentoring_site.db import metadata
from mentoring_site.migrate import upgrade
from mentoring_site.models import AccountRole
from tests.admin_support import ADMIN, signed_in

OPEN = {"mentoring_admin.login"}


def admin_urls(app) -> list[tuple[str, str, set[str]]]:
    rows = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("mentoring_admin.") or rule.endpoint in OPEN:
                continue
            url = rule.build({arg: 1 for arg in rule.arguments})[1]
            rows.append((rule.endpoint, url, set(rule.methods) - {"HEAD", "OPTIONS"}))
    assert len(rows) >= 4 * len(KINDS) + 2
    return rows


def _state(app):
    """A fingerprint of every table of ours: row counts and the sum of edit versions."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        state = {}
        for table in metadata.sorted_tables:
            if table.name == "mentoring_login_throttle":
                continue
            cols = [sa.func.count()]
            if "version" in table.c:
                cols.append(sa.func.coalesce(sa.func.sum(table.c.version), 0))
            state[table.name] = tuple(sess.execute(sa.select(*cols).select_from(table)).one())
        return state


@pytest.fixture
def app_with_news(seeded_app):
    """The demo section: every kind has a row with id 1, so no URL stops at a 404."""
    return seeded_app


def test_every_admin_url_refuses_anonymous_users(app_with_news):
    app = app_with_news
    client = app.test_client()
    before = _state(app)
    for endpoint, url, methods in admin_urls(app):
        for method in methods:
            resp = client.open(url, method=method, data={"title": "Взлом"})
            assert resp.status_code == 302, (endpoint, method)
            assert resp.headers["Location"].startswith(f"{ADMIN}/vhod/"), endpoint
    assert _state(app) == before


def test_every_state_changing_url_refuses_post_without_csrf(app_with_news):
    app = app_with_news
    client = signed_in(app)
    before = _state(app)
    posts = [(e, u) for e, u, m in admin_urls(app) if "POST" in m]
    assert len(posts) >= 3 * len(KINDS) + 1
    for endpoint, url in posts:
        resp = client.post(url, data={"title": "Без токена", "status": "published"})
        assert resp.status_code in (400, 302), (endpoint, resp.status_code)
        assert _state(app) == before, endpoint
    assert client.get(f"{ADMIN}/").status_code == 200  # still signed in: logout needs a token


def test_get_never_changes_anything(app_with_news):
    app = app_with_news
    client = signed_in(app)
    before = _state(app)
    for endpoint, url, methods in admin_urls(app):
        if "GET" in methods:
            resp = client.get(url)
            assert resp.status_code in (200, 302, 404), endpoint
            if resp.status_code == 302:  # back to a screen of ours (a download with no choice)
                assert resp.headers["Location"].startswith(ADMIN), endpoint
        else:
            assert client.get(url).status_code == 405, endpoint
    assert _state(app) == before


def test_editor_may_edit_news_and_materials_only(app):
    client = signed_in(app, AccountRole.EDITOR, "redaktor")
    assert client.get(f"{ADMIN}/novosti/").status_code == 200
    assert client.get(f"{ADMIN}/materialy/").status_code == 200
    for url in ("dokumenty/", "stranitsy/", "nashi-nastavniki/", "dokumenty/novaya/",
                "rezervnye-kopii/"):
        resp = client.get(f"{ADMIN}/{url}")
        assert resp.status_code == 403, url
        assert "нет прав" in resp.get_data(as_text=True)


# -- the host's own users ------------------------------------------------------------------


class HostUser(UserMixin):
    def __init__(self, uid: str, role: str | None):
        self.id, self.role, self.name = uid, role, f"Учитель {uid}"


USERS = {"1": HostUser("1", "zavuch"), "2": HostUser("2", "teacher"),
         "3": HostUser("3", "secretary")}


def curator_check(user):
    return {"zavuch": True, "secretary": "editor"}.get(user.role, False)


@pytest.fixture
def host_app(tmp_path):
    app = Flask("host_with_users", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="host", TESTING=True,
                      MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'h.sqlite'}",
                      MENTORING_CURATOR_CHECK=curator_check)
    manager = LoginManager(app)
    manager.login_view = "host_login_page"
    manager.user_loader(USERS.get)

    @app.get("/login/")
    def host_login_page():
        return "Вход на сайт школы"

    @app.get("/login/as/<uid>")
    def host_login(uid):
        login_user(USERS[uid])
        return "ok"

    Mentoring(app)
    upgrade(app)
    assert app.login_manager is manager  # we never install a second LoginManager
    return app


def test_host_users_anonymous_go_to_the_hosts_login(host_app):
    resp = host_app.test_client().get(f"{ADMIN}/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login/")
    assert host_app.test_client().get(f"{ADMIN}/vhod/").status_code == 404


def test_host_users_roles_come_from_the_curator_check(host_app):
    zavuch, teacher, secretary = (host_app.test_client() for _ in range(3))
    zavuch.get("/login/as/1")
    teacher.get("/login/as/2")
    secretary.get("/login/as/3")
    assert zavuch.get(f"{ADMIN}/dokumenty/").status_code == 200
    assert teacher.get(f"{ADMIN}/").status_code == 403
    assert secretary.get(f"{ADMIN}/novosti/").status_code == 200
    assert secretary.get(f"{ADMIN}/dokumenty/").status_code == 403
    assert "Учитель 1" in zavuch.get(f"{ADMIN}/").get_data(as_text=True)
