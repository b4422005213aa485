"""Fixtures: an app on SQLite (and on a real PostgreSQL where the dialect matters), a client,
a seeded demo section.

Migrating and seeding take seconds, so each is done once per test session (per xdist
worker) into a template (an SQLite file, a PostgreSQL template database, an upload folder)
and every test gets its own copy.

Which database a test gets
--------------------------
A test that asks for ``app``, ``seeded_app``, ``db``, ``client``, ``runner`` or one of the
``*database_uri`` fixtures runs on SQLite. Marked ``@pytest.mark.both_databases`` (a test,
or a module with ``pytestmark``), it runs once more on the suite's throwaway PostgreSQL
server (tests/pgserver.py); that copy is also marked ``postgres``. The ``backend`` fixture
says which one a test got.

A module whose tests only READ the seeded demo (the leak walks: a crawl of every page, a
read of every open-data answer) shares one copy per backend: ``module_seeded_app`` (its
``module_backend`` gives the same test ids as ``backend``, and puts the module's tests of
one backend in one xdist group, so the copy is built and read once). A test that changes
the data keeps ``seeded_app``, its own copy.

PostgreSQL is kept where SQL itself is under test, for these reasons:

- test_rules.py: every visibility decision is an SQL clause as well as a Python function;
  dates, times with zones, NULLs and booleans compare differently in the two dialects;
- test_migrations.py: DDL, constraints and Alembic's batch mode (SQLite) vs ALTER (PostgreSQL);
- test_text_validation.py: control characters, lone surrogates, 4-byte characters and long
  Russian text meet PostgreSQL's UTF-8 checks, which SQLite does not have;
- test_permalinks.py: old slugs looked up, and kept unique, in SQL;
- test_leaks.py, test_open_data_leaks.py: no hidden person, field or item reaches any page
  or open-data file; personal data (152-ФЗ) is what must never depend on the dialect;
- test_api.py, test by test: pagination order with ties, SQL filters, the summary's counts,
  and the ETag / Last-Modified clock taken with ``max()`` over timestamps;
- test_feeds.py, test by test: feeds, calendar and sitemap order and date their items by
  timestamps (text in SQLite, ``timestamp`` in PostgreSQL) sorted and compared in SQL;
- test_admin_content.py, test by test: the list search (ILIKE: SQLite folds only ASCII
  case, PostgreSQL Cyrillic too), deletion with ON DELETE CASCADE, the journal's JSON
  changes restored, a renamed item's slug history and unique slugs;
- test_admin_totp.py, test by test: a one-time code is spent by a conditional UPDATE whose
  row count decides a race;
- test_admin_auth.py, test by test: the login throttle's timestamps round-trip the driver;
- test_seed.py::test_demo_on_postgresql, test_pgserver.py: PostgreSQL by design.

The rest are HTTP flows (forms, CSRF, sign-in, one-time codes, accounts, uploads, the
pages' markup, themes, the widget, the CLI): the same SQL as above under them, so SQLite
only. The statement counts (test_query_counts.py) and the write-lock tests
(test_sqlite_concurrency.py) are about SQLite itself.

Password hashing is made cheap for the whole run: see ``passwords.hasher`` below. Every test
builds its own app, so three costs that a real site pays once at start-up are paid once per
test process here too: Jinja's compiled templates are shared by every app of the process
(``SharedTemplateCode``), so are Werkzeug's URL-building functions (``_shared_builder``) and
SQLAlchemy's compiled statements (``_engine_sharing_compiled_sql``).

Parallel runs
-------------
scripts/test.sh runs pytest-xdist with ``--dist loadgroup``: tests are spread one by one,
except those of a module marked ``xdist_group`` (an expensive module fixture: live servers,
a built wheel...), which go to one worker together. Session fixtures (templates, the
PostgreSQL server, the browser) are per worker; tmp_path is per worker too.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from flask import Flask
from jinja2.bccache import Bucket
from sqlalchemy.util import LRUCache
from werkzeug.routing import Rule

from mentoring_site import Mentoring
from mentoring_site.auth import passwords
from mentoring_site.migrate import upgrade
from mentoring_site.template_code import compile_options

pytest_plugins = ["tests.pgserver", "tests.browser", "tests.cache_support"]  # fixtures: frozen

# Cheap argon2 for the whole run: at the production cost (64 MiB, 3 passes) the ~450 hashes
# and checks the tests make were a third of the suite's CPU time. Set on import, before any
# app exists, so the admin's hash for unknown logins is made cheap too (the same cost as the
# accounts' hashes, as in production). The production parameters themselves are checked by
# tests/test_admin_auth.py::test_production_hashes_use_rfc_9106_low_memory.
passwords.hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


class SharedTemplateCode(jinja2.BytecodeCache):
    """Compiled templates shared by every Flask app of the test process, in memory.

    A site compiles each template once and keeps it; a test builds a new app (so a new
    Jinja environment) and compiled them all again: compiling was half the CPU time of a
    typical page test. The code is keyed by the template's name, file and source checksum,
    and by every environment setting that compilation reads, so an app configured otherwise
    (or a changed template) compiles its own. Jinja's documented cache hook (``bytecode_cache``);
    the section's own on-disk one (``MENTORING_TEMPLATE_CACHE``) stands aside for it, as for a
    host's, and is tested in tests/test_template_code.py.
    """

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], object] = {}

    def get_bucket(self, environment, name, filename, source):
        bucket = Bucket(environment, repr((name, filename, compile_options(environment, name))),
                        self.get_source_checksum(source))
        bucket.code = self._code.get((bucket.key, bucket.checksum))
        return bucket

    def set_bucket(self, bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.code


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedTemplateCode()}

# Werkzeug compiles two Python functions per URL rule (to build its URLs) each time a rule is
# added to an app: ~125 rules, about a tenth of a second per app, once per test. The function
# depends only on the rule's text, its parsed parts, whether unknown arguments are appended
# and the names of its defaults (a default inside the path is resolved through a converter:
# such a rule is compiled as usual), so one compiled function serves every app.
_builders: dict[tuple, object] = {}
_compile_builder = getattr(Rule, "_compile_builder", None)


def _shared_builder(self, append_unknown: bool = True):
    defaults = self.defaults or {}
    if any(dynamic and data in defaults for dynamic, data in self._trace):
        return _compile_builder(self, append_unknown)
    key = (self.rule, tuple(self._trace), append_unknown, tuple(map(str, defaults)))
    if key not in _builders:
        _builders[key] = _compile_builder(self, append_unknown)
    return _builders[key]


if _compile_builder is not None:  # Werkzeug 2.2 and later
    Rule._compile_builder = _shared_builder  # type: ignore[method-assign]

# The other half of a rule's cost is parsing its text (a regular expression walked part by
# part). The parts depend only on the text and the map's converter classes: parsed once, and
# for every later app the rule gets the same parts, the same trace and converters of its own
# (made by its map, from the arguments the first parse passed).
_parsed: dict[tuple, tuple] = {}
_parse_rule = getattr(Rule, "_parse_rule", None)


def _shared_parse(self, rule: str):
    key = (rule, tuple(self.map.converters.items()))
    found = _parsed.get(key)
    if found is None:
        made: list[tuple] = []
        get_converter = self.get_converter

        def noted(variable, name, args, kwargs):
            made.append((variable, name, args, kwargs))
            return get_converter(variable, name, args, kwargs)

        traced = len(self._trace)
        self.get_converter = noted
        try:
            parts = list(_parse_rule(self, rule))
        finally:
            del self.get_converter
        found = _parsed[key] = (parts, self._trace[traced:], made)
        return iter(parts)
    parts, trace, made = found
    self._trace.extend(trace)
    for variable, name, args, kwargs in made:
        self._converters[variable] = self.get_converter(variable, name, args, kwargs)
        self.arguments.add(variable)
    return iter(parts)


if _parse_rule is not None:  # Werkzeug 2.2 and later
    Rule._parse_rule = _shared_parse  # type: ignore[method-assign]


# SQLAlchemy compiles each statement once per engine: its compiled cache is the engine's, keyed
# by the engine's dialect object. A site has one engine; every test builds a new one, so the
# section's queries were compiled again in every test (two fifths of a typical page test's
# CPU). Engines made without options (the section's own: ``sa.create_engine(uri)``) share one
# dialect object and one compiled cache per dialect and driver: compiling depends on nothing
# else, and the pool, connections and events stay each engine's own.
_engine_parts: dict[tuple, tuple] = {}
_create_engine = sa.create_engine


def _engine_sharing_compiled_sql(url, **options):
    engine = _create_engine(url, **options)
    if options or not engine.dialect._supports_statement_cache:
        return engine
    key = (engine.dialect.name, engine.dialect.driver)
    if key in _engine_parts:
        dialect, compiled = _engine_parts[key]
        engine.dialect = engine.pool._dialect = dialect
        engine._compiled_cache = compiled
        return engine
    own = engine.dialect  # shared once its first connection has initialised it

    @sa.event.listens_for(engine.pool, "first_connect")
    def _initialised(_dbapi_conn, _record) -> None:
        _engine_parts.setdefault(key, (own, LRUCache(5000)))

    return engine


sa.create_engine = _engine_sharing_compiled_sql

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

SEED_TODAY = date.today()


def make_app(database_uri: str, instance: Path, **config) -> Flask:
    app = Flask("test_host", instance_path=str(instance))
    app.config.update(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "MENTORING_DATABASE_URI": database_uri,
            "MENTORING_SCHOOL_NAME": "МБОУ «Тестовая школа № 1»",
            "MENTORING_UPLOAD_FOLDER": str(instance / "uploads"),
            **config,
        }
    )
    app.jinja_env.undefined = jinja2.StrictUndefined
    Mentoring(app)
    return app


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make ``xdist_group`` work again with pytest >= 9.2.

    pytest-xdist (3.8) tags a grouped test by assigning ``item._nodeid``; pytest 9.2 keeps
    the id in ``item._id`` instead, so the tag is lost and a group is spread over workers
    (its module fixture then built on each). Here the tag is put where pytest reads it;
    nothing happens when xdist did it already or when not running ``--dist loadgroup``.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        if "@" in item.nodeid or not hasattr(item, "_id"):
            continue
        names = {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                 for m in item.iter_markers("xdist_group")}
        if names:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")



def pytest_terminal_summary(terminalreporter) -> None:
    """Lines a test asks to show at the end of the run (``record_property("summary", ...)``),
    such as what the admin's axe sample was: they travel with the report, so under xdist too."""
    for report in terminalreporter.getreports("passed"):
        for name, value in report.user_properties:
            if name == "summary":
                terminalreporter.write_line(f"{report.nodeid}: {value}")

@dataclass
class Template:
    """A prepared database (file or PostgreSQL template name) and its upload folder."""

    source: str
    uploads: Path


def _prepare(uri: str, folder: Path, *, seed: bool) -> None:
    app = make_app(uri, folder)
    upgrade(app)
    if seed:
        from mentoring_site.demo.seed import seed_demo

        with app.app_context():
            state = app.extensions["mentoring"]
            sess = state.session()
            assert seed_demo(sess, upload_folder=state.upload_folder, today=SEED_TODAY)
            sess.commit()
    app.extensions["mentoring"].engine.dispose()


def _sqlite_template(factory, seed: bool) -> Template:
    """Built once per run: under xdist the first worker to need it builds it in the run's
    shared folder while the others wait on a lock (each built its own: about 8 s of CPU a
    worker). Tests only copy it."""
    name = "seeded" if seed else "migrated"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = factory.mktemp(name)
        _prepare(f"sqlite:///{folder / 'template.sqlite'}", folder, seed=seed)
        return Template(str(folder / "template.sqlite"), folder / "uploads")
    shared = factory.getbasetemp().parent  # the run's own folder, the workers' parent
    folder = shared / f"template-{name}"
    with open(shared / f"template-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "ready").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            _prepare(f"sqlite:///{folder / 'template.sqlite'}", folder, seed=seed)
            (folder / "ready").touch()
    return Template(str(folder / "template.sqlite"), folder / "uploads")


def _pg_template(pg_server, factory, seed: bool) -> Template:
    name = f"template_{'seeded' if seed else 'migrated'}"
    pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_server.admin(f"CREATE DATABASE {name}")
    folder = factory.mktemp(name)
    _prepare(pg_server.url(name), folder, seed=seed)
    return Template(name, folder / "uploads")


@pytest.fixture(scope="session")
def _templates(tmp_path_factory, request):
    cache: dict[tuple[str, bool], Template] = {}

    def get(backend: str, seed: bool) -> Template:
        key = (backend, seed)
        if key not in cache:
            if backend == "sqlite":
                cache[key] = _sqlite_template(tmp_path_factory, seed)
            else:
                pg = request.getfixturevalue("pg_server")
                cache[key] = _pg_template(pg, tmp_path_factory, seed)
        return cache[key]

    return get


def _copy(request, backend: str, tmp_path: Path, template: Template) -> Iterator[str]:
    if template.uploads.exists():
        shutil.copytree(template.uploads, tmp_path / "uploads")
    if backend == "sqlite":
        target = tmp_path / "test.sqlite"
        shutil.copyfile(template.source, target)
        yield f"sqlite:///{target}"
        return
    pg = request.getfixturevalue("pg_server")
    name = f"test_{uuid.uuid4().hex}"
    pg.admin(f"CREATE DATABASE {name} TEMPLATE {template.source}")
    try:
        yield pg.url(name)
    finally:
        pg.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _module_backends(metafunc, both: bool) -> list:
    """``module_backend``'s values, each its own xdist group (module and backend), so that
    a module's shared database is built, and read, once per backend on one worker."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    return [pytest.param("sqlite", marks=pytest.mark.xdist_group(f"{module}_sqlite"))] + (
        [pytest.param("postgresql", marks=[pytest.mark.postgres,
                                           pytest.mark.xdist_group(f"{module}_postgresql")])]
        if both else [])


def pytest_generate_tests(metafunc):
    """SQLite for every test with a database; PostgreSQL too for ``both_databases`` ones."""
    if "module_backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_databases") is not None
        metafunc.parametrize("module_backend", _module_backends(metafunc, both),
                             indirect=True, scope="module")
    if "backend" not in metafunc.fixturenames:
        return
    if any("backend" in m.args[0] for m in metafunc.definition.iter_markers("parametrize")):
        return  # the test chose its own
    both = metafunc.definition.get_closest_marker("both_databases") is not None
    metafunc.parametrize("backend", BACKENDS if both else ["sqlite"], indirect=True)


@pytest.fixture
def backend(request) -> str:
    """"sqlite" or "postgresql": see the module docstring."""
    return request.param


@pytest.fixture
def empty_database_uri(request, backend, tmp_path):
    """A new database with no tables at all (for migration tests)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("fresh_postgresql_url")


@pytest.fixture
def database_uri(request, backend, tmp_path, _templates):
    """A database of our own, migrated to head, with no content."""
    yield from _copy(request, backend, tmp_path, _templates(backend, seed=False))


@pytest.fixture
def seeded_database_uri(request, backend, tmp_path, _templates):
    """A database holding the demo section (and its uploads under tmp_path/uploads)."""
    yield from _copy(request, backend, tmp_path, _templates(backend, seed=True))


def _app(uri: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(uri, tmp_path)
    yield app
    app.extensions["mentoring"].engine.dispose()


@pytest.fixture
def app(database_uri, tmp_path):
    yield from _app(database_uri, tmp_path)


@pytest.fixture
def seeded_app(seeded_database_uri, tmp_path):
    yield from _app(seeded_database_uri, tmp_path)


@pytest.fixture(scope="module")
def module_backend(request) -> str:
    """``backend`` for module-scoped fixtures: "sqlite", or "postgresql" too for a
    ``both_databases`` module; the tests that use it get the same ids as with ``backend``."""
    return request.param


@pytest.fixture(scope="module")
def module_seeded_app(request, module_backend, tmp_path_factory, _templates):
    """One seeded demo section shared by the tests of a module (per backend), for tests that
    only READ it (a whole-site crawl made once, not once per test). A test that changes
    the data takes ``seeded_app``, its own copy, so the shared one stays as seeded."""
    folder = tmp_path_factory.mktemp("module_seeded")
    for uri in _copy(request, module_backend, folder, _templates(module_backend, seed=True)):
        yield from _app(uri, folder)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The section's session inside an app context."""
    with app.app_context():
        yield app.extensions["mentoring"].session()
