"""Running our Alembic migrations from the app: ``flask mentoring upgrade`` and friends.

Alembic is imported by the functions that use it, not with this module: a serving worker
never migrates, and Alembic is a sixth of what the site would import before its first answer
(issue 13: a worker's first answer within 1.5× of a hand-written Flask page's)."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from .db import TABLE_PREFIX, VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """For autogenerate: only our tables. A host's own env.py may pass
    ``include_name=lambda n, t, p: not mentoring_site.migrate.is_ours(n, t)``."""
    if type_ == "table":
        return name is not None and name.startswith(TABLE_PREFIX) and name != VERSION_TABLE
    return True


def is_ours(name: str | None, type_: str) -> bool:
    return type_ == "table" and name is not None and name.startswith(TABLE_PREFIX)


def script_location() -> Path:
    return Path(str(resources.files("mentoring_site.migrations")))


def alembic_config(stdout=None) -> Config:
    from alembic.config import Config

    cfg = Config(stdout=stdout or io.StringIO())
    cfg.set_main_option("script_location", str(script_location()))
    cfg.set_main_option("version_table", VERSION_TABLE)
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    from alembic import command

    with app.app_context():
        command.upgrade(alembic_config(), revision)


def downgrade(app: Flask, revision: str) -> None:
    from alembic import command

    with app.app_context():
        command.downgrade(alembic_config(), revision)


def current_revision(app: Flask) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with app.app_context():
        engine = app.extensions["mentoring"].engine
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            return ctx.get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
