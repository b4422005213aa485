"""Is the section set up to serve? One-line Russian answers instead of tracebacks.

A host that installed the section but has not run ``flask mentoring upgrade`` yet (or has
not after an update) gets a 503 page saying so on the section's pages and a click error
from the commands; a ``MENTORING_BASE_TEMPLATE`` that is not found is named at the first
page. The database is asked only when something has already failed, so a working site
pays nothing for these checks.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, jsonify, request
from jinja2 import TemplateNotFound
from markupsafe import escape

from . import migrate
from .config import ConfigError
from .db import VERSION_TABLE

UPGRADE = "выполните «flask mentoring upgrade»"


def schema_problem(engine: sa.Engine) -> str | None:
    """Why the section's tables cannot serve (not created, or older than this version of
    the package), or None when they are at the head revision."""
    from alembic.runtime.migration import MigrationContext  # only once something failed

    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            revision = ctx.get_current_revision()
    except sa.exc.SQLAlchemyError as exc:
        return f"База данных раздела «Наставничество» недоступна ({type(exc).__name__})."
    head = migrate.head_revision()
    if revision is None:
        return f"Таблицы раздела «Наставничество» ещё не созданы: {UPGRADE}."
    if revision != head:
        return (f"Таблицы раздела «Наставничество» другой версии ({revision}, нужна {head}): "
                f"{UPGRADE}.")
    return None


def on_database_error(error: Exception) -> Any:
    """A blueprint's handler of database errors: a 503 saying what to do when the tables
    are not ready, the error as it was (a 500) otherwise."""
    problem = schema_problem(current_app.extensions["mentoring"].engine)
    if problem is None:
        raise error
    current_app.logger.error(problem)
    if request.blueprint == "mentoring_api":
        response = jsonify({"error": problem})
    else:
        response = Response(
            '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Раздел '
            "временно недоступен</title></head><body><h1>Раздел временно недоступен</h1>"
            f"<p>{escape(problem)}</p></body></html>", mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = "300"
    response.headers["Cache-Control"] = "no-store"
    return response


def on_config_error(error: ConfigError) -> Response:
    """A setting found wrong only when a page is shown: its one line, not a traceback."""
    current_app.logger.error(str(error))
    return Response(
        '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Раздел настроен '
        "неверно</title></head><body><h1>Раздел настроен неверно</h1>"
        f"<p>{escape(str(error))}</p></body></html>", status=500, mimetype="text/html",
        headers={"Cache-Control": "no-store"})


def check_base_template(name: str | None) -> None:
    """Raise ConfigError naming a ``MENTORING_BASE_TEMPLATE`` the host's templates lack;
    checked once, at the first page (the host may add template folders after init_app)."""
    state = current_app.extensions["mentoring"]
    if name is None or state.base_template_checked:
        return
    try:
        current_app.jinja_env.get_template(name)
    except TemplateNotFound:
        raise ConfigError(
            f"MENTORING_BASE_TEMPLATE: шаблон {name!r} не найден среди шаблонов сайта "
            f"(папка {current_app.template_folder!r} и шаблоны его blueprint'ов): укажите "
            "имя шаблона сайта с блоками title, head и content или уберите настройку."
        ) from None
    state.base_template_checked = True
