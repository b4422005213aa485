"""README's Flask-Migrate hook, followed as written, in a host site with Flask-SQLAlchemy and
Flask-Migrate (issue 14, item 19): the site's autogenerate never touches the section's
tables, and without the hook it would drop them (what README warns about)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SITE = '''
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from mentoring_site import Mentoring

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200))


def create_app():
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite:///{db}", SECRET_KEY="x",
                      MENTORING_SCHOOL_NAME="МБОУ «СОШ № 7»")
    db.init_app(app)
    Migrate(app, db)
    Mentoring(app)
    return app
'''

HOOK = '''from mentoring_site.migrate import is_ours          # вверху env.py


def include_name(name, type_, parent_names):
    return not is_ours(name, type_)                  # таблицы mentoring_* — не сайта

'''


def _flask(folder: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(folder), "FLASK_APP": "hostsite:create_app"}
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _site(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "hostsite.py").write_text(SITE.format(db=folder / "site.sqlite"), encoding="utf-8")
    _flask(folder, "db", "init")
    _flask(folder, "mentoring", "upgrade")
    return folder


def _new_migrations(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in (folder / "migrations" / "versions").glob("*.py"))


def test_the_readme_hook_keeps_the_sites_autogenerate_off_our_tables(tmp_path):
    folder = _site(tmp_path, "with_hook")
    env_py = folder / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8")
    # README: the import and the function at the top, include_name in both configure calls
    text = HOOK + text
    text, calls = re.subn(r"context\.configure\(", "context.configure(\n        "
                          "include_name=include_name,", text)
    assert calls == 2  # run_migrations_offline() and run_migrations_online()
    env_py.write_text(text, encoding="utf-8")
    _flask(folder, "db", "migrate", "-m", "first")
    first = _new_migrations(folder)
    assert "create_table('note'" in first and "mentoring_" not in first
    _flask(folder, "db", "upgrade")
    again = _flask(folder, "db", "migrate", "-m", "second")
    assert "No changes in schema detected" in again
    _flask(folder, "mentoring", "current")  # the section's own history is intact


def test_without_the_hook_the_sites_autogenerate_would_drop_our_tables(tmp_path):
    folder = _site(tmp_path, "without_hook")
    _flask(folder, "db", "migrate", "-m", "first")
    assert "drop_table('mentoring_" in _new_migrations(folder)
