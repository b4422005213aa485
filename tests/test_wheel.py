"""The built wheel installs into a fresh venv and works there without the repository.

``migrations/`` and ``themes/`` live at the top of the repository but ship inside the
package (``package-dir`` in pyproject.toml), with templates and static files as package data.
A file missing from ``[options.package_data]`` passes every in-tree test and breaks only
at a school's site, so this test builds the wheel, installs it into a new venv and runs
``flask mentoring upgrade`` there from a folder that is not the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import textwrap
from contextlib import closing
from importlib import metadata
from pathlib import Path

import pytest

from mentoring_site.migrate import head_revision

# One worker (xdist group): the wheel is built and installed once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

REPO = Path(__file__).resolve().parent.parent

# Folders of the repository that end up inside the package, and where. Inside
# mentoring_site/ every file counts (templates, static, the demo site's files, ...).
SHIPPED = {
    REPO / "mentoring_site": "",
    REPO / "migrations": "migrations/",
    REPO / "themes": "themes/",
}

REQUIRED = [
    "migrations/env.py",
    "migrations/script.py.mako",
    "migrations/versions/0001_initial.py",
    "themes/default/templates/mentoring/theme_base.html",
    "themes/default/static/mentoring.css",
    "templates/mentoring/layout.html",
    "static/mentoring/mentoring.css",
]

# Copied into the build folder: the source, not the local clutter (an old build/ folder
# would leak stale files into the wheel).
IGNORE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".venv", "venv",
    ".pytest_cache", ".ruff_cache", "instance", "uploads", "test-artifacts", "*.sqlite*",
)

PROBE = textwrap.dedent("""
    import json
    from importlib import resources
    from pathlib import Path

    import mentoring_site
    import mentoring_site.migrations
    import mentoring_site.themes
    from mentoring_site.migrate import head_revision, script_location

    root = Path(mentoring_site.__file__).resolve().parent
    print(json.dumps({
        "root": str(root),
        "migrations": str(Path(str(resources.files("mentoring_site.migrations"))).resolve()),
        "themes": str(Path(str(resources.files("mentoring_site.themes"))).resolve()),
        "script_location": str(script_location().resolve()),
        "head": head_revision(),
        "files": sorted(
            p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ),
    }))
""")

HOST_APP = textwrap.dedent("""
    from flask import Flask

    from mentoring_site import Mentoring

    app = Flask(__name__)
    app.config["SECRET_KEY"] = "host"
    app.config["MENTORING_DATABASE_URI"] = "sqlite:///{db}"
    app.config["MENTORING_SCHOOL_NAME"] = "МБОУ «Школа из колеса»"
    Mentoring(app)
""")


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: nothing that could point back into the repo."""
    env = {
        k: v for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
        and not k.startswith("FLASK_")
    }
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def _run(argv: list, *, cwd: Path, timeout: int, env: dict | None = None):
    try:
        res = subprocess.run(
            [str(a) for a in argv], cwd=cwd, env=env or _clean_env(), capture_output=True,
            text=True, errors="replace", timeout=timeout, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"timed out after {timeout}s: {argv}\n{exc.stdout}\n{exc.stderr}")
    if res.returncode != 0:
        pytest.fail(
            f"exit code {res.returncode}: {' '.join(map(str, argv))}\n"
            f"--- stdout ---\n{res.stdout[-6000:]}\n--- stderr ---\n{res.stderr[-6000:]}",
            pytrace=False,
        )
    return res


def _can_build_without_isolation() -> bool:
    """setuptools>=69 and wheel (pyproject's build requirements) in this venv."""
    try:
        major = int(metadata.version("setuptools").split(".")[0])
        metadata.version("wheel")
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return major >= 69


def _expected_files() -> set[str]:
    """Every file of the shipped folders as a path inside the package (caches aside)."""
    out = set()
    for folder, target in SHIPPED.items():
        for p in folder.rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                out.add(f"{target}{p.relative_to(folder).as_posix()}")
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(work folder, venv) with the freshly built wheel installed, not editable.

    The wheel alone is installed (``--no-deps --no-index``): its dependencies (Flask,
    SQLAlchemy, ...) are the suite's own, reached through a ``.pth`` line naming this
    venv's site-packages. That line is a plain path, so the suite's own ``.pth`` files
    (among them the editable install's import hook, which points into the repository)
    are not run; the new venv's site-packages comes first on ``sys.path``, so
    ``mentoring_site`` is the wheel's copy. Nothing is downloaded or compiled: this took
    about a minute when every dependency was installed again from pip's cache.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    src, dist, venv = tmp / "src", tmp / "dist", tmp / "venv"
    shutil.copytree(REPO, src, ignore=IGNORE)

    build = [sys.executable, "-m", "build", "--wheel", "--outdir", dist]
    if _can_build_without_isolation():
        build.append("--no-isolation")
    _run([*build, src], cwd=src, timeout=600, env=_clean_env())
    wheels = sorted(dist.glob("mentoring_site-*.whl"))
    assert len(wheels) == 1, wheels

    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, timeout=300)
    python = venv / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=tmp, timeout=120).stdout.strip()
    ours = sysconfig.get_path("purelib")  # this venv's: Flask, SQLAlchemy, pip...
    (Path(purelib) / "zz_suite_dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
          "--ignore-installed", wheels[0]], cwd=tmp, timeout=300)
    work = tmp / "site"
    work.mkdir()
    return work, venv


def test_wheel_ships_migrations_themes_and_templates(installed):
    work, venv = installed
    res = _run([venv / "bin" / "python", "-c", PROBE], cwd=work, timeout=120)
    found = json.loads(res.stdout)
    root = Path(found["root"])

    # the installed copy, not the repository
    assert root.is_relative_to(venv.resolve()), root
    assert not root.is_relative_to(REPO), root
    assert Path(found["migrations"]) == root / "migrations"
    assert Path(found["themes"]) == root / "themes"
    assert Path(found["script_location"]) == root / "migrations"
    assert found["head"] == head_revision()

    files = set(found["files"])
    missing_required = [f for f in REQUIRED if f not in files]
    not_in_repo = [f for f in missing_required if f not in _expected_files()]
    assert not missing_required, (
        f"missing from the wheel: {missing_required}; "
        f"of these, not even in the repository yet: {not_in_repo}"
    )
    missing = sorted(_expected_files() - files)
    assert not missing, f"in the repository, not in the wheel (package-data): {missing}"
    assert any(f.startswith("templates/mentoring/") for f in files)


def test_host_app_runs_mentoring_upgrade_from_the_wheel(installed):
    work, venv = installed
    db = work / "host.sqlite"
    (work / "hostapp.py").write_text(HOST_APP.format(db=db.as_posix()), encoding="utf-8")
    flask = [venv / "bin" / "python", "-m", "flask"]  # Flask is the suite's: no bin/flask

    res = _run([*flask, "--app", "hostapp", "mentoring", "upgrade"], cwd=work, timeout=120)
    head = head_revision()
    assert f"Таблицы раздела обновлены до версии {head}." in res.stdout, res.stdout

    res = _run([*flask, "--app", "hostapp", "mentoring", "current"], cwd=work, timeout=120)
    assert f"Версия таблиц раздела: {head} (актуальна)." in res.stdout, res.stdout

    with closing(sqlite3.connect(db)) as conn:  # sqlite3's «with» would not close it
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"mentoring_person", "mentoring_alembic_version"} <= tables
        assert "alembic_version" not in tables
        assert conn.execute("SELECT version_num FROM mentoring_alembic_version").fetchall() == [
            (head,)
        ]
        assert conn.execute("SELECT count(*) FROM mentoring_program_form").fetchone() == (10,)
    conn.close()
