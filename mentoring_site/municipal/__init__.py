"""The municipal office's site: a registry of many schools' sections, read through their API.

For the municipal office (МКУ «Управление образования»): the registry of mentors across
schools (only what each school's API gives, i.e. consented data), the best cases, the
school curators and the figures of each school, all as pages and CSV, today or «на дату»
(every read is kept as a dated snapshot).

The office's site is itself a section (``Mentoring(app)``: its accounts, admin, database,
documents and news), with the registry on top::

    Mentoring(app)
    Municipal(app)                 # pages under MUNICIPAL_URL_PREFIX

or a site of its own: ``python -m mentoring_site municipal``, and
``flask mentoring aggregate`` to refresh it (from cron, say).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from ..db import session
from . import settings
from .aggregate import Report, aggregate
from .roster import current_schools
from .schools import School, SchoolsFileError

__all__ = ["Municipal", "MunicipalState", "SchoolsFileError", "create_app", "prepare"]


@dataclass
class MunicipalState:
    """What the registry keeps per app, at ``app.extensions["municipal"]``."""

    config: dict[str, Any]
    # The last background run of this process (the admin's «Обновить все»), for tests.
    last_run_thread: threading.Thread | None = None

    def session(self) -> Session:
        return session()

    @property
    def schools(self) -> list[School]:
        """The schools on the list now (one query)."""
        return current_schools(self.session())

    def aggregate(self, on_report: Callable[[Report], None] | None = None,
                  schools: list[School] | None = None) -> list[Report]:
        chosen = self.schools if schools is None else schools
        return aggregate(self.session(), chosen, self.config, on_report)


class Municipal:
    """``Municipal(app)`` or ``Municipal().init_app(app)``, after ``Mentoring(app)``."""

    def __init__(self, app: Flask | None = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        if "municipal" in app.extensions:
            raise RuntimeError(
                "Муниципальный реестр уже подключён к этому приложению: init_app вызывается "
                "один раз на приложение."
            )
        if "mentoring" not in app.extensions:
            raise RuntimeError(
                "Муниципальный реестр работает поверх раздела: сначала Mentoring(app) "
                "(учётные записи, база данных, документы управления), затем Municipal(app)."
            )
        settings.apply_defaults(app.config)
        settings.validate(app.config)
        config = {k: v for k, v in app.config.items() if k.startswith(settings.PREFIX)}
        app.extensions["municipal"] = MunicipalState(config)

        # routes register on import: «Отчёт управления», the League's and management
        # mentoring's screens and pages
        from . import (  # noqa: F401
            admin_league,
            admin_management,
            admin_report,
            views_league,
            views_management,
        )
        from .admin import blueprint as admin_blueprint
        from .cli import register_commands
        from .league_api import blueprint as api_blueprint
        from .league_api import exempt_from_csrf
        from .views import blueprint, init_templating, state_label

        init_templating(app)
        app.register_blueprint(blueprint, url_prefix=app.config["MUNICIPAL_URL_PREFIX"] or None)
        # The schools' applications to the League: JSON with a key, no cookie, no form.
        app.register_blueprint(api_blueprint,
                               url_prefix=app.config["MUNICIPAL_URL_PREFIX"] or None)
        exempt_from_csrf(app)
        # The office's admin screens sit in the section's admin, behind its sign-in.
        app.register_blueprint(admin_blueprint,
                               url_prefix=app.config["MENTORING_URL_PREFIX"] + "/admin/reestr")
        app.jinja_env.globals["municipal_admin_nav"] = True
        app.jinja_env.globals["state_label"] = state_label
        register_commands(app)


def create_app(*args: Any, **kwargs: Any) -> Flask:
    """The office's site of its own (``municipal.site.create_app``)."""
    from .site import create_app as create

    return create(*args, **kwargs)


def prepare(app: Flask) -> None:
    """Bring the database up to date and import MUNICIPAL_SCHOOLS_FILE into an empty list."""
    from .site import prepare as prepare_site

    prepare_site(app)
