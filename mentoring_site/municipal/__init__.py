"""The municipal registry: many schools' sections read through their API, in one place.

For the municipal office (МКУ «Управление образования»): the registry of mentors across
schools (only what each school's API gives, i.e. consented data), the best cases, the
figures of each school with the date its section was last updated, all as pages and CSV.

    from mentoring_site.municipal import Municipal
    app.config["MUNICIPAL_SCHOOLS_FILE"] = "schools.toml"
    Municipal(app)                       # pages under MUNICIPAL_URL_PREFIX

or a site of its own: ``python -m mentoring_site municipal --schools schools.toml``, and
``flask mentoring aggregate`` to refresh it (from cron, say).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from ..db import tune_sqlite
from . import settings
from .aggregate import Report, aggregate
from .models import ensure_schema
from .schools import School, SchoolsFileError, load_schools

__all__ = ["Municipal", "MunicipalState", "SchoolsFileError", "create_app"]


def _app_ctx_id() -> int:
    from flask import globals as flask_globals

    return id(flask_globals._cv_app.get(None))


@dataclass
class MunicipalState:
    """What the registry keeps per app, at ``app.extensions["municipal"]``."""

    schools: list[School]
    engine: sa.Engine
    config: dict[str, Any]
    _session: scoped_session = field(repr=False)

    def session(self) -> Session:
        return self._session()

    def remove_session(self, _exc: BaseException | None = None) -> None:
        self._session.remove()

    def aggregate(self, on_report: Callable[[Report], None] | None = None) -> list[Report]:
        return aggregate(self.engine, self.schools, self.config, on_report)


class Municipal:
    """``Municipal(app)`` or ``Municipal().init_app(app)``; holds no app of its own."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        if "municipal" in app.extensions:
            raise RuntimeError(
                "Муниципальный реестр уже подключён к этому приложению: init_app вызывается "
                "один раз на приложение."
            )
        settings.apply_defaults(app.config)
        settings.validate(app.config)
        schools = load_schools(app.config["MUNICIPAL_SCHOOLS_FILE"])
        uri = app.config["MUNICIPAL_DATABASE_URI"]
        if uri is None:
            os.makedirs(app.instance_path, exist_ok=True)
            uri = "sqlite:///" + os.path.join(app.instance_path, "municipal.sqlite")
        engine = sa.create_engine(uri)
        tune_sqlite(engine)
        ensure_schema(engine)
        config = {k: v for k, v in app.config.items() if k.startswith(settings.PREFIX)}
        own = scoped_session(sessionmaker(bind=engine), scopefunc=_app_ctx_id)
        state = MunicipalState(schools, engine, config, own)
        app.extensions["municipal"] = state
        app.teardown_appcontext(state.remove_session)

        from .cli import register_commands
        from .views import blueprint, init_templating

        init_templating(app)
        app.register_blueprint(blueprint, url_prefix=app.config["MUNICIPAL_URL_PREFIX"] or None)
        register_commands(app)


def create_app(schools_file: str | os.PathLike | None = None, database: str | None = None,
               instance_path: str | None = None, **config: Any) -> Flask:
    """The registry as a site of its own, at the root of its address.

    ``schools_file`` defaults to the environment variable ``MUNICIPAL_SCHOOLS_FILE``, so
    ``flask --app mentoring_site.municipal:create_app mentoring aggregate`` works from cron.
    """
    schools_file = schools_file or os.environ.get("MUNICIPAL_SCHOOLS_FILE")
    database = database or os.environ.get("MUNICIPAL_DATABASE_URI")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        static_folder=None,
        template_folder=None,
    )
    app.config.update({
        "MUNICIPAL_SCHOOLS_FILE": str(Path(schools_file).resolve()) if schools_file else None,
        "MUNICIPAL_DATABASE_URI": database,
        "MUNICIPAL_URL_PREFIX": "",
        **config,
    })
    Municipal(app)

    from .views import not_found

    app.register_error_handler(404, not_found)
    return app
