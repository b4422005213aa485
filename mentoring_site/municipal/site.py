"""The office's site of its own: a section for the office's content and the registry on top.

``python -m mentoring_site municipal`` and ``flask --app mentoring_site.municipal:create_app``
build it. The office's documents, news and seminars are the section's (at
``/nastavnichestvo/``), with its themes, the version for the visually impaired and open
data; the registry's pages are at the root; one database and one admin hold both.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from ..clock import today
from ..extension import Mentoring
from ..migrate import upgrade
from ..models import Material, MaterialKind
from ..starter.order_templates import add_order_templates
from . import Municipal
from .roster import import_configured_file
from .schools import load_schools

DEFAULT_OFFICE = "МКУ «Управление образования»"


def _secret_key(instance: Path) -> str:
    """A random key kept in the instance folder, so a restart keeps sessions."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def create_app(schools_file: str | os.PathLike | None = None, database: str | None = None,
               instance_path: str | None = None, **config: Any) -> Flask:
    """The office's site; ``schools_file`` (or MUNICIPAL_SCHOOLS_FILE in the environment) is
    imported into an empty list by ``prepare`` and ``flask mentoring aggregate``."""
    schools_file = schools_file or os.environ.get("MUNICIPAL_SCHOOLS_FILE")
    if schools_file:
        load_schools(schools_file)  # a broken file stops the start, before anything runs
    database = database or os.environ.get("MENTORING_DATABASE_URI")
    app = Flask("mentoring_site.municipal",
                instance_path=os.path.abspath(instance_path) if instance_path else None,
                static_folder=None, template_folder=None)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    office = config.get("MUNICIPAL_OFFICE_NAME", DEFAULT_OFFICE)
    app.config.update({
        "SECRET_KEY": _secret_key(instance),
        "MENTORING_DATABASE_URI": database or "sqlite:///" + str(instance / "municipal.sqlite"),
        "MENTORING_SCHOOL_NAME": office,
        "MENTORING_UPLOAD_FOLDER": str(instance / "uploads"),
        "MUNICIPAL_SCHOOLS_FILE": str(Path(schools_file).resolve()) if schools_file else None,
        "MUNICIPAL_URL_PREFIX": "",
        "MENTORING_MENTOR_SCHOOL": True,  # the office's platform for mentors
        **config,
    })
    Mentoring(app)
    Municipal(app)

    from .views import not_found

    app.register_error_handler(404, not_found)
    return app


def prepare(app: Flask) -> None:
    """The database brought up to date, the configured schools file imported, and on a new
    site the base of templates for the schools (the roadmap's orders and protocols)."""
    upgrade(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        import_configured_file(app, sess)
        if not sess.scalar(sa.select(sa.exists().where(Material.kind == MaterialKind.TEMPLATE))):
            add_order_templates(sess, actor="сайт управления (первый запуск)",
                                today=today(app.config["MENTORING_TIMEZONE"]))
