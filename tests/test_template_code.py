"""Compiled templates kept on disk (MENTORING_TEMPLATE_CACHE, mentoring_site/template_code.py):
a new worker loads what an earlier one compiled, the same page comes out, and a folder that
cannot be used costs a compile, never an error page.

The suite's apps share their compiled templates in memory (tests/conftest.py); the apps here
are made without that cache, as a site's are.
"""

from __future__ import annotations

import logging
import shutil
import stat
from pathlib import Path

import jinja2
import pytest
from flask import Flask
from jinja2.bccache import bc_magic

from mentoring_site import Mentoring
from mentoring_site.config import ConfigError
from mentoring_site.template_code import TemplateCode

PAGES = ("/nastavnichestvo/", "/nastavnichestvo/novosti/", "/nastavnichestvo/nastavniki/")


_MADE: list[Flask] = []


@pytest.fixture(autouse=True)
def _dispose():
    """Close the engines of the apps a test made (their SQLite connections)."""
    yield
    while _MADE:
        _MADE.pop().extensions["mentoring"].engine.dispose()


def site(database_uri: str, instance: Path, jinja_options: dict | None = None,
         **config) -> Flask:
    app = Flask("cache_host", instance_path=str(instance))
    app.jinja_options = jinja_options or {}  # not the suite's in-memory cache
    app.config.update(SECRET_KEY="t", MENTORING_DATABASE_URI=database_uri,
                      MENTORING_UPLOAD_FOLDER=str(instance / "uploads"),
                      MENTORING_RESPONSE_CACHE=False, **config)
    Mentoring(app)
    _MADE.append(app)
    return app


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Names of the templates Jinja compiles from source, in order."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def pages(app: Flask) -> list[bytes]:
    client = app.test_client()
    answers = [client.get(p) for p in PAGES]
    assert [a.status_code for a in answers] == [200] * len(PAGES)
    return [a.data for a in answers]


def cached_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("mentoring-*.cache"))


def test_a_new_worker_loads_what_the_first_compiled(seeded_database_uri, tmp_path, compiles):
    instance = tmp_path / "instance"
    first = pages(site(seeded_database_uri, instance))
    folder = instance / "mentoring-templates"
    assert "mentoring/layout.html" in compiles and len(cached_files(folder)) == len(compiles)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # compiled code: the site's user only

    compiles.clear()
    assert pages(site(seeded_database_uri, instance)) == first
    assert compiles == []


def test_other_compile_options_get_their_own_code(seeded_database_uri, tmp_path, compiles):
    instance = tmp_path / "instance"
    pages(site(seeded_database_uri, instance))
    before = len(cached_files(instance / "mentoring-templates"))

    compiles.clear()
    trimmed = pages(site(seeded_database_uri, instance, {"trim_blocks": True}))
    assert "mentoring/layout.html" in compiles  # not the code compiled without trim_blocks
    assert len(cached_files(instance / "mentoring-templates")) == 2 * before
    assert all("Наставничество".encode() in page for page in trimmed)


def test_a_damaged_file_is_compiled_again(seeded_database_uri, tmp_path, compiles, caplog):
    instance = tmp_path / "instance"
    first = pages(site(seeded_database_uri, instance))
    damaged = cached_files(instance / "mentoring-templates")
    kinds = [b"", b"j2\x00", bc_magic + b"\x80\x04garbage" * 50, bc_magic]
    for i, path in enumerate(damaged):  # empty, truncated, garbage after Jinja's header
        path.write_bytes(kinds[i % len(kinds)])

    compiles.clear()
    with caplog.at_level(logging.WARNING):
        assert pages(site(seeded_database_uri, instance)) == first
    assert "mentoring/layout.html" in compiles
    assert caplog.text.count("не прочитан") == 1  # said once, not per file
    compiles.clear()
    assert pages(site(seeded_database_uri, instance)) == first  # written anew, whole
    assert compiles == []


def test_a_folder_that_cannot_be_used_costs_a_compile(seeded_database_uri, tmp_path, caplog):
    instance = tmp_path / "instance"
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    with caplog.at_level(logging.WARNING):
        app = site(seeded_database_uri, instance, MENTORING_TEMPLATE_CACHE=str(taken))
    assert app.jinja_env.bytecode_cache is None
    assert "MENTORING_TEMPLATE_CACHE" in caplog.text and str(taken) in caplog.text
    assert pages(app)

    caplog.clear()
    gone = tmp_path / "gone"
    app = site(seeded_database_uri, instance, MENTORING_TEMPLATE_CACHE=str(gone))
    assert isinstance(app.jinja_env.bytecode_cache, TemplateCode)
    shutil.rmtree(gone)  # the folder went away under a running site: nothing written, no error
    with caplog.at_level(logging.WARNING):
        assert pages(app)
    assert caplog.text.count("не записан") == 1  # said once, not per template


def test_a_folder_others_may_write_to_is_not_used(seeded_database_uri, tmp_path, caplog):
    """Its files are run as code: a folder the group or anyone may write to is refused."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with caplog.at_level(logging.WARNING):
        app = site(seeded_database_uri, tmp_path / "instance",
                   MENTORING_TEMPLATE_CACHE=str(shared))
    assert app.jinja_env.bytecode_cache is None and "писать в неё" in caplog.text
    assert pages(app) and cached_files(shared) == []


def test_false_keeps_nothing_and_a_hosts_own_cache_is_kept(database_uri, tmp_path):
    app = site(database_uri, tmp_path / "a", MENTORING_TEMPLATE_CACHE=False)
    assert app.jinja_env.bytecode_cache is None
    assert not (tmp_path / "a" / "mentoring-templates").exists()

    own = jinja2.FileSystemBytecodeCache(str(tmp_path))
    app = site(database_uri, tmp_path / "b", {"bytecode_cache": own})
    assert app.jinja_env.bytecode_cache is own


@pytest.mark.parametrize("value", [1, "", None, ["/tmp"]])
def test_a_wrong_setting_is_named(database_uri, tmp_path, value):
    with pytest.raises(ConfigError, match="MENTORING_TEMPLATE_CACHE"):
        site(database_uri, tmp_path, MENTORING_TEMPLATE_CACHE=value)
