"""Alembic environment: the engine comes from the running app, the history is our own.

Only ``mentoring_*`` tables are compared or touched, and the version is kept in
``mentoring_alembic_version``, so a host's own Flask-Migrate history lives beside ours.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

import mentoring_site.models  # noqa: F401  (registers every table on our MetaData)
from mentoring_site.db import VERSION_TABLE, metadata
from mentoring_site.migrate import include_name

if context.is_offline_mode():
    raise RuntimeError("Офлайн-режим (--sql) не поддерживается: запустите flask mentoring upgrade")

engine = current_app.extensions["mentoring"].engine

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
