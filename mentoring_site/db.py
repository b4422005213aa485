"""Our tables, and the session we query them with.

Our models live on their own ``MetaData`` so a host's own tables and migration history
are never touched. Queries go through the host's Flask-SQLAlchemy session when the host
has one (its ``get_bind`` falls back to the default engine, which then holds our tables),
otherwise through an engine and scoped session of our own, kept per app in
``app.extensions["mentoring"]``.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from .clock import now_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

TABLE_PREFIX = "mentoring_"
#: Alembic's version table for our migrations, apart from the host's ``alembic_version``.
VERSION_TABLE = "mentoring_alembic_version"

# Control characters that PostgreSQL or XML feeds refuse; tab, newline and CR are text.
# Lone surrogates (from a JSON body, say) cannot be encoded by either driver.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class BadText(ValueError):
    """A text value holds characters no page, feed or database may store."""

    def __init__(self, field: str):
        self.field = field
        super().__init__(
            "Текст содержит недопустимые управляющие символы (например, нулевой байт). "
            "Удалите их и сохраните ещё раз."
        )


def check_text(value: str | None, field: str = "") -> str | None:
    """Refuse NUL and other control characters, on SQLite and PostgreSQL alike."""
    if value is not None and _CONTROL_RE.search(value):
        raise BadText(field)
    return value


class Base(DeclarativeBase):
    metadata = metadata


class Timestamped:
    """Created/updated stamps and a version counter for optimistic locking of edits."""

    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


@event.listens_for(Session, "before_flush")
def _refuse_control_characters(session: Session, _ctx, _instances) -> None:
    """Every string column of every new or changed row of ours is checked before writing."""
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Base):
            continue
        for column in obj.__table__.columns:
            if isinstance(column.type, sa.String):
                value = getattr(obj, column.key, None)
                if isinstance(value, str):
                    check_text(value, column.key)


def tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE for write transactions.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN is the
    real one; a write transaction (see ``write_session``) takes the write lock at its start,
    so concurrent gunicorn workers wait for each other instead of failing with
    «database is locked» when a read lock cannot be upgraded.
    """
    if engine.dialect.name != "sqlite" or getattr(engine, "_mentoring_tuned", False):
        return
    engine._mentoring_tuned = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 15000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = "IMMEDIATE" if conn.get_execution_options().get("mentoring_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def close_when_dropped(engine: Engine) -> None:
    """Close the engine's connections when the engine itself is collected.

    Why: an app dropped without ``engine.dispose()`` (an app factory's throwaway apps,
    tests) left its pooled connections to the garbage collector, and Python 3.13's sqlite3
    warns of each («unclosed database»). The finalizer holds the connections, never the
    engine (the pool refers back to it), so the engine can still be collected.
    """
    opened: set = set()

    @event.listens_for(engine, "connect")
    def _opened(dbapi_conn, _record):
        opened.add(dbapi_conn)

    @event.listens_for(engine, "close")
    def _closed(dbapi_conn, _record):
        opened.discard(dbapi_conn)

    @event.listens_for(engine, "close_detached")
    def _closed_detached(dbapi_conn):
        opened.discard(dbapi_conn)

    weakref.finalize(engine, _close_all, opened)


def _close_all(opened: set) -> None:
    for dbapi_conn in list(opened):
        try:
            dbapi_conn.close()
        except Exception:  # already gone with its server or thread: nothing left to free
            pass
    opened.clear()


def session() -> Session:
    """The session of the current app: the host's Flask-SQLAlchemy one, or ours."""
    return current_app.extensions["mentoring"].session()


def begin_write(sess: Session) -> None:
    """Start the session's transaction as a write transaction (SQLite: BEGIN IMMEDIATE).

    A read transaction already open (a host's user loader queried first, say) is ended
    first: its snapshot could not be upgraded to a write without «database is locked».
    """
    if sess.in_transaction():
        conn = sess.connection()
        if conn.dialect.name != "sqlite" or conn.get_execution_options().get("mentoring_write"):
            return
        if sess.new or sess.dirty or sess.deleted:
            raise RuntimeError("begin_write() после несохранённых изменений в читающей транзакции")
        sess.rollback()
    sess.connection(execution_options={"mentoring_write": True})


@contextmanager
def write_session() -> Iterator[Session]:
    """A session whose transaction takes the write lock first and commits at the end."""
    sess = session()
    begin_write(sess)
    try:
        yield sess
        sess.commit()
    except BaseException:
        sess.rollback()
        raise
