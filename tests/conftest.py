"""Fixtures: an app on SQLite and on a real PostgreSQL, a client, a seeded demo section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2
import pytest
from flask import Flask

from mentoring_site import Mentoring
from mentoring_site.migrate import upgrade

pytest_plugins = ["tests.pgserver"]

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


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


@pytest.fixture(params=BACKENDS)
def database_uri(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("fresh_postgresql_url")


@pytest.fixture
def app(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path)
    upgrade(app)
    yield app
    app.extensions["mentoring"].engine.dispose()


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


SEED_TODAY = date.today()


@pytest.fixture
def seeded_app(app):
    from mentoring_site.seed import seed_demo

    with app.app_context():
        state = app.extensions["mentoring"]
        sess = state.session()
        assert seed_demo(sess, upload_folder=state.upload_folder, today=SEED_TODAY)
        sess.commit()
    return app
