"""README's Flask-Migrate hook, followed as written, in a host site with Flask-SQLAlchemy and
Flask-Migrate (issue 14, item 19): the site's autogenerate never touches the section's
tables, and without the hook it would drop them (what README warns about)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # Flask-Migrate's own env.py template calls a Flask-SQLAlchemy function that warns
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
]

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


def _flask(app, *args: str) -> str:
    """``flask <args>`` of the host site, run in this process (its CLI runner)."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _site(tmp_path: Path, name: str, monkeypatch):
    folder = tmp_path / name
    folder.mkdir()
    source = folder / "hostsite.py"
    source.write_text(SITE.format(db=folder / "site.sqlite"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"hostsite_{name}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(folder)  # Flask-Migrate's «migrations» folder is relative to it
    app = module.create_app()
    _flask(app, "db", "init")
    _flask(app, "mentoring", "upgrade")
    return folder, app


def _new_migrations(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in (folder / "migrations" / "versions").glob("*.py"))


def test_the_readme_hook_keeps_the_sites_autogenerate_off_our_tables(tmp_path, monkeypatch):
    folder, app = _site(tmp_path, "with_hook", monkeypatch)
    env_py = folder / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8")
    # README: the import and the function at the top, include_name in both configure calls
    text = HOOK + text
    text, calls = re.subn(r"context\.configure\(", "context.configure(\n        "
                          "include_name=include_name,", text)
    assert calls == 2  # run_migrations_offline() and run_migrations_online()
    env_py.write_text(text, encoding="utf-8")
    _flask(app, "db", "migrate", "-m", "first")
    first = _new_migrations(folder)
    assert "create_table('note'" in first and "mentoring_" not in first
    _flask(app, "db", "upgrade")
    _flask(app, "db", "migrate", "-m", "second")
    assert "mentoring_" not in _new_migrations(folder)  # still nothing of ours
    _flask(app, "mentoring", "current")  # the section's own history is intact
    app.extensions["mentoring"].engine.dispose()


def test_without_the_hook_the_sites_autogenerate_would_drop_our_tables(tmp_path, monkeypatch):
    folder, app = _site(tmp_path, "without_hook", monkeypatch)
    _flask(app, "db", "migrate", "-m", "first")
    assert "drop_table('mentoring_" in _new_migrations(folder)
    app.extensions["mentoring"].engine.dispose()
