"""README's «Подключение к существующему сайту», followed as written, in a site without
Flask-SQLAlchemy and without Flask-Login (issue 14, the second host): raw ``sqlite3``, its own
login kept in the session, its own layout with Bootstrap from a CDN and an inline counter.

The site is a file of its own in a folder that is not the repository, started the way README
says (``flask --app … mentoring upgrade``, ``flask … mentoring create-curator``). What README
promises for such a site: the section keeps its own database and curator accounts, its pages
sit in the site's layout with the CSP widened by ``MENTORING_CSP_EXTRA`` only where the
site's layout is used, and the site's login and the section's admin sign-in are independent.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.admin_support import ADMIN, PASSWORD, token

pytestmark = pytest.mark.slow

CDN = "https://cdn.jsdelivr.net"
PREFIX = "/nastavnichestvo"

SITE = '''
import sqlite3
from pathlib import Path

from flask import Flask, g, redirect, render_template, request, session

from mentoring_site import Mentoring

HERE = Path(__file__).parent
app = Flask(__name__, instance_path=str(HERE / "instance"))
app.config["SECRET_KEY"] = "plain-site-secret"
app.config["DATABASE"] = str(HERE / "school.sqlite")


def db():
    if "db" not in g:
        g.db = sqlite3.connect(app.config["DATABASE"])
        g.db.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password TEXT)")
        g.db.execute("INSERT OR IGNORE INTO users VALUES ('uchitel', 'sekret')")
    return g.db


@app.teardown_appcontext
def close_db(_exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


@app.get("/")
def home():
    return render_template("home.html")


@app.post("/login")
def login():
    row = db().execute("SELECT name FROM users WHERE name = ? AND password = ?",
                       (request.form["name"], request.form["password"])).fetchone()
    if row:
        session["user"] = row[0]
    return redirect("/")


# README, «Подключение к существующему сайту», word by word (and «CSP в шаблоне сайта»)
app.config["MENTORING_BASE_TEMPLATE"] = "base.html"   # шаблон сайта с блоками title, head, content
app.config["MENTORING_SCHOOL_NAME"] = "МБОУ «СОШ № 7»"
app.config["MENTORING_SITE_URL"] = "https://school7.example.ru"
app.config["MENTORING_DATABASE_URI"] = "sqlite:///" + str(HERE / "mentoring.sqlite")
app.config["MENTORING_CSP_EXTRA"] = {
    "style-src": ["https://cdn.jsdelivr.net"],          # Bootstrap с CDN
    "script-src": ["https://cdn.jsdelivr.net", "'unsafe-inline'"],  # его скрипт и счётчик
}
mentoring = Mentoring(app)
'''

BASE = '''<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>{% block title %}Школа № 7{% endblock %}</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css">
{% block head %}{% endblock %}
</head>
<body>
<header class="site-header">Сайт школы № 7
{%- if session.user %} · вы вошли как {{ session.user }}{% endif %}</header>
<main>{% block content %}{% endblock %}</main>
<script>window.counter = 1;</script>
</body>
</html>
'''

HOME = '''{% extends "base.html" %}
{% block content %}<p>Главная страница школы</p>{% endblock %}
'''


def _flask(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``flask --app school …`` as README writes it (``--app yoursite``), from the site's
    folder."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "school", *args], cwd=folder,
        capture_output=True, text=True, timeout=180,
        env={**os.environ, **env, "PYTHONPATH": os.pathsep.join(
            [str(folder), str(Path(__file__).resolve().parent.parent)])})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain-site")
    (folder / "school.py").write_text(textwrap.dedent(SITE), encoding="utf-8")
    (folder / "templates").mkdir()
    (folder / "templates" / "base.html").write_text(BASE, encoding="utf-8")
    (folder / "templates" / "home.html").write_text(HOME, encoding="utf-8")
    done = _flask(folder, "mentoring", "upgrade")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _flask(folder, "mentoring", "create-curator", "kurator", "--name", "Куратор",
                  MENTORING_CURATOR_PASSWORD=PASSWORD)
    assert done.returncode == 0, done.stdout + done.stderr
    spec = importlib.util.spec_from_file_location("plain_school_site", folder / "school.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Flask finds the site's folder (templates) through it
    spec.loader.exec_module(module)
    module.app.config["TESTING"] = True
    yield module.app
    module.app.extensions["mentoring"].engine.dispose()
    del sys.modules[spec.name]


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {p.split()[0]: p.split()[1:] for p in header.split(";") if p.strip()}


def test_the_section_keeps_its_own_database_beside_the_sites(site):
    folder = Path(site.root_path)
    assert (folder / "mentoring.sqlite").exists()  # the section's, from MENTORING_DATABASE_URI
    html = site.test_client().get(PREFIX + "/").get_data(as_text=True)
    assert "МБОУ «СОШ № 7»" in html or "МБОУ &laquo;СОШ № 7&raquo;" in html


def test_section_pages_sit_in_the_sites_layout_with_its_cdn_allowed(site):
    client = site.test_client()
    for path in ("/", "/novosti/", "/nastavniki/", "/normativnaya-baza/"):
        response = client.get(PREFIX + path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "Сайт школы № 7" in html and "bootstrap.min.css" in html, path
        assert '<script>window.counter = 1;</script>' in html, path
        csp = _csp(response)
        assert CDN in csp["style-src"] and CDN in csp["script-src"], (path, csp)
        assert "'unsafe-inline'" in csp["script-src"], (path, csp)
        assert csp["object-src"] == ["'none'"], (path, csp)  # the rest stays the section's


def test_the_admin_keeps_the_strict_policy(site):
    response = site.test_client().get(f"{ADMIN}/vhod/")
    assert response.status_code == 200
    csp = _csp(response)
    assert CDN not in " ".join(sum(csp.values(), []))
    assert "'unsafe-inline'" not in csp.get("script-src", [])
    assert "Сайт школы № 7" not in response.get_data(as_text=True)  # its own template


def test_the_sites_login_and_the_sections_sign_in_are_independent(site):
    client = site.test_client()
    client.post("/login", data={"name": "uchitel", "password": "sekret"})
    assert "вы вошли как uchitel" in client.get("/").get_data(as_text=True)
    # signed in to the site is not signed in to the section's admin
    response = client.get(f"{ADMIN}/")
    assert response.status_code == 302 and "/vhod/" in response.headers["Location"]

    login = f"{ADMIN}/vhod/"
    response = client.post(login, data={"csrf_token": token(client, login), "login": "kurator",
                                        "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"{ADMIN}/").status_code == 200  # the curator made by the command
    # the section's sign-in left the site's own login alone
    assert "вы вошли как uchitel" in client.get("/").get_data(as_text=True)


def test_without_the_upgrade_the_section_says_what_to_run(tmp_path):
    (tmp_path / "school.py").write_text(textwrap.dedent(SITE), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(BASE, encoding="utf-8")
    done = _flask(tmp_path, "mentoring", "create-curator", "kurator",
                  MENTORING_CURATOR_PASSWORD=PASSWORD)
    assert done.returncode != 0
    assert "flask mentoring upgrade" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
