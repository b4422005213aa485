"""The section's data version: one number that moves with every change a public answer can show.

One row (``mentoring_data_version``: ``version``, ``changed_at``), bumped by
``UPDATE … SET version = version + 1`` in the SAME transaction as the change, so a reader
that sees the new version sees the new data too (and the response cache, keyed by it, can
never keep answering with the old page after a commit). Nobody calls it by hand: session
events on every SQLAlchemy ``Session`` (ours and a host's Flask-SQLAlchemy one) do it —

- ``before_flush``: a new, changed or deleted instance of one of our models;
- ``do_orm_execute``: a bulk ``UPDATE``/``DELETE``/``INSERT`` on one of our tables, or a
  textual DML statement naming one.

Every table of ours is watched unless ``UNWATCHED`` names it with the reason no public
answer can depend on it (a new table is watched until someone decides otherwise: a
needless bump costs a re-render, a missing one a stale page). Writes that bypass the ORM
session (``transfer``'s import on a bare connection) call :func:`bump` themselves.

Once per transaction: the first bump at the root of a transaction marks the session; a
bump inside a savepoint is not remembered (the savepoint may be rolled back with it).
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

from .clock import now_utc
from .db import TABLE_PREFIX, Base, metadata

TABLE_NAME = "mentoring_data_version"

table = sa.Table(
    TABLE_NAME, metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("id = 1", name="one_row"),
)

#: Tables whose writes can never alter a public answer, and why. Everything else of ours
#: moves the version (tests/test_data_version.py checks every table is one or the other).
UNWATCHED: dict[str, str] = {
    TABLE_NAME: "the counter itself: its own update is the bump",
    "mentoring_login_throttle": "sign-in and form attempt counters: no page or open data "
                                "shows them, and they are written on every attempt",
    "mentoring_mail_message": "the outbox: letters and their delivery state, never shown",
    "mentoring_answer": "questionnaire answers: never public (rules.py lets none out); the "
                        "form page that counts them is never cached (it holds a stamp)",
    "mentoring_audit": "the journal: written in the transaction of the change it records "
                       "(which bumps by itself); a sign-in or a download journaled alone "
                       "changes no public answer",
    "mentoring_account": "curator accounts and their sign-in data: no public answer names "
                         "an account (the curator the pages show is SectionInfo's text); a "
                         "login must not empty the cache",
    "mentoring_league_key": "the schools' League keys (stored as hashes): only the office's "
                            "key-checked API reads them, and it is never cached",
}

_STATE_KEY = "mentoring_data_version_bumped"
_OWN = "mentoring_data_version"  # execution option marking our own statements
_BUMP = table.update().where(table.c.id == 1).values(
    version=table.c.version + 1, changed_at=sa.bindparam("now", type_=sa.DateTime))
READ = f"SELECT version, changed_at FROM {TABLE_NAME} WHERE id = 1"
_DML_RE = re.compile(r"^\s*(?:with\b.*?\)\s*)?(insert|update|delete|replace)\b", re.I | re.S)
_TABLE_RE = re.compile(r"\b(" + re.escape(TABLE_PREFIX) + r"\w+)", re.I)


def watched(name: str) -> bool:
    """Whether a write to table ``name`` moves the version (ours, and not ``UNWATCHED``)."""
    return name.startswith(TABLE_PREFIX) and name in metadata.tables and name not in UNWATCHED


def read(conn: sa.Connection) -> tuple[int, datetime]:
    """The current version and when it moved: one primary-key read, a plain driver statement
    (no compilation), on the connection (and so in the snapshot) the request reads with."""
    version, changed_at = conn.exec_driver_sql(READ).one()
    if isinstance(changed_at, str):  # SQLite's driver statement returns the text
        changed_at = datetime.fromisoformat(changed_at)
    return int(version), changed_at


def bump(conn: sa.Connection | Session) -> None:
    """Move the version now, in the caller's transaction."""
    conn.execute(_BUMP, {"now": now_utc()}, execution_options={_OWN: True})


def _bump_once(session: Session) -> None:
    if session.info.get(_STATE_KEY):
        return  # bumped at the root of this transaction already
    bump(session)
    if session.get_nested_transaction() is None:
        session.info[_STATE_KEY] = True


def _model_table(obj: Any) -> str | None:
    if not isinstance(obj, Base):
        return None
    return obj.__table__.name  # type: ignore[attr-defined]


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _ctx, _instances) -> None:
    changed = itertools.chain(
        session.new, session.deleted,
        (obj for obj in session.dirty if session.is_modified(obj)))  # a value set to itself
    for obj in changed:
        name = _model_table(obj)
        if name is not None and watched(name):
            _bump_once(session)
            return


def _statement_tables(state: ORMExecuteState) -> list[str]:
    stmt = state.statement
    if isinstance(stmt, TextClause):
        if not _DML_RE.match(stmt.text):
            return []
        return [m.lower() for m in _TABLE_RE.findall(stmt.text)]
    if state.is_update or state.is_delete or state.is_insert:
        target = getattr(stmt, "table", None)
        name = getattr(target, "name", None)
        return [name] if isinstance(name, str) else []
    return []


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.execution_options.get(_OWN):
        return
    if any(watched(name) for name in _statement_tables(state)):
        _bump_once(state.session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_STATE_KEY, None)
