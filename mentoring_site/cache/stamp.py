"""What a public answer depends on besides the request: the data version and the clock.

A page changes when a write moves the data version (``datastamp``) or when time crosses a
moment a rule turns at (``rules.next_change_moments``; the school's midnight for dates).
The stamp is both: the version and the next such moment (``until``), computed once per
version. Until then, a page built under the stamp stays right; the response cache and the
per-version memo (:func:`memo`) are keyed by it.

Read once per request (``g``): one primary-key statement on the session's own connection,
so the version is read in the same transaction (and, on SQLite, the same snapshot) as the
page's queries; a page is never stored under a version newer than its data.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from .. import clock, datastamp, rules
from ..db import session

T = TypeVar("T")


@dataclass
class Stamp:
    version: int
    changed_at: datetime  # naive UTC: when the version last moved
    until: datetime  # naive UTC: the next moment a rule turns by itself
    since: datetime  # naive UTC: the moment it was computed at (a clock set back recomputes)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return f"{self.version}@{self.until.isoformat()}"


@dataclass
class StampKeeper:
    """The stamp last computed in this process (per app), shared by its threads."""

    current: Stamp | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def _next_midnight(now: datetime, tz_name: str) -> datetime:
    """The next local midnight after ``now`` (naive UTC), as naive UTC."""
    local = clock.to_local(now, tz_name)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
    return clock.to_utc(midnight, tz_name)


def next_moment(sess: Session, now: datetime, config) -> datetime:
    """The earliest moment after ``now`` at which some public answer may change by itself:
    one statement over the rules' scheduled times, and the midnights of the school's (and
    the office's registry's) time zone."""
    tz_name = config["MENTORING_TIMEZONE"]
    zones = {tz_name, config.get("MUNICIPAL_TIMEZONE") or tz_name}
    moments = [_next_midnight(now, z) for z in zones]
    now_local = clock.to_local(now, tz_name)
    utc, local = rules.next_change_moments(now, now_local)
    row = sess.execute(sa.select(*utc, *local)).one()
    for i, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, str):  # SQLite returns MIN() of a timestamp as text
            value = datetime.fromisoformat(value)
        moments.append(value if i < len(utc) else clock.to_utc(value, tz_name))
    return min(moments)


def _stamp_for(version: int, changed_at: datetime) -> Stamp:
    """The process's stamp for this version and this moment (its next moment computed once
    per version, with one statement, and again once that moment has come)."""
    keeper: StampKeeper = current_app.extensions["mentoring"].stamps
    now = clock.now_utc()
    kept = keeper.current
    if kept is None or kept.version != version or not kept.since <= now < kept.until:
        kept = Stamp(version, changed_at, next_moment(session(), now, current_app.config), now)
        with keeper.lock:
            keeper.current = kept
    return kept


def current() -> Stamp:
    """This request's stamp, read in the session's own transaction (once per request, before
    the view's queries when the cache is asked): what a page built now may be stored under.
    ``sqlalchemy.exc.DBAPIError`` before the upgrade."""
    # Kept with the request, not the app context: a context may outlive many requests (a
    # test's, a host rendering pages inside one), and each request must read the version anew.
    holder: Any = request if has_request_context() else g
    found = getattr(holder, "mentoring_stamp", None)
    if found is not None:
        return found
    version, changed_at = datastamp.read(session().connection())
    found = holder.mentoring_stamp = _stamp_for(version, changed_at)
    return found


class _Held(threading.local):
    """Per thread: the connection the version is peeked through, and the process it was made
    in (a forked worker makes its own)."""

    pid: int = 0
    conns: weakref.WeakKeyDictionary[sa.Engine, Any]

    def __init__(self) -> None:
        self.conns = weakref.WeakKeyDictionary()


_held = _Held()


class _Opened:
    """Every thread's held connection to one engine, so that they are closed with it: on
    ``engine.dispose()`` (a host's shutdown, a test's end) and when the engine is collected.
    Left to the garbage collector they would be dropped open (ResourceWarning; on
    PostgreSQL, server connections kept until the process ends)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.conns: list[Any] = []
        self.generation = 0
        self.pid = os.getpid()

    def close_all(self) -> None:
        with self.lock:
            conns, self.conns = self.conns, []
            if self.pid != os.getpid():
                conns = []  # a forked worker's copies of its parent's: never closed here
            self.generation += 1  # a thread's kept connection is made again on its next read
        for raw in conns:
            with contextlib.suppress(Exception):
                raw.close()


_opened: weakref.WeakKeyDictionary[sa.Engine, _Opened] = weakref.WeakKeyDictionary()
_opened_lock = threading.Lock()


def _opened_for(engine: sa.Engine) -> _Opened:
    with _opened_lock:
        found = _opened.get(engine)
        if found is None:
            found = _opened[engine] = _Opened()
            sa.event.listen(engine, "engine_disposed", lambda _engine: found.close_all())
            weakref.finalize(engine, found.close_all)
        elif found.pid != os.getpid():  # forked: the parent's connections are not ours
            with found.lock:
                found.conns, found.pid = [], os.getpid()
                found.generation += 1
    return found


def _in_memory(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


def _read_held(engine: sa.Engine, statement: str) -> tuple:
    """One row of ``statement`` read on this thread's own connection to ``engine``, kept
    open outside any transaction (autocommit); made again after an error or a fork."""
    if _held.pid != os.getpid():
        _held.pid, _held.conns = os.getpid(), weakref.WeakKeyDictionary()
    opened = _opened_for(engine)
    kept = _held.conns.get(engine)
    raw: Any = kept[1] if kept is not None and kept[0] == opened.generation else None
    if raw is None:
        raw = engine.raw_connection()
        raw.detach()  # ours for the thread's life: the pool's size is left to the pages
        if engine.dialect.name != "sqlite":
            raw.dbapi_connection.autocommit = True
        with opened.lock:
            opened.conns.append(raw)
            _held.conns[engine] = (opened.generation, raw)
    try:
        cursor = raw.cursor()
        cursor.execute(statement)
        row = cursor.fetchone()
        cursor.close()
    except Exception:
        _held.conns.pop(engine, None)
        with opened.lock, contextlib.suppress(ValueError):
            opened.conns.remove(raw)
        with contextlib.suppress(Exception):
            raw.close()
        raise
    return tuple(row)


def peek() -> Stamp:
    """The stamp as it is now, for looking an answer up: the version read on a connection
    of this thread's own, kept open and outside any transaction (autocommit), so a cached
    answer costs one primary-key statement and nothing else — no session, no pool, no
    BEGIN/ROLLBACK. A page is never *stored* under it (see ``current``). Falls back to
    ``current`` for an in-memory SQLite database, whose connections are not separate."""
    engine = current_app.extensions["mentoring"].engine
    if _in_memory(engine):
        return current()
    version, changed_at = _read_held(engine, datastamp.READ)
    if isinstance(changed_at, str):
        changed_at = datetime.fromisoformat(changed_at)
    return _stamp_for(int(version), changed_at)


_READ_VERSION = f"SELECT version FROM {datastamp.TABLE_NAME} WHERE id = 1"


def peek_key(state: Any) -> str | None:
    """``peek().key`` without an application context, for the WSGI replay (``cache.wsgi``):
    the version read as ``peek`` reads it, and the process's kept stamp if it is the one
    for that version at this moment. None when a stamp would have to be computed (a new
    version, the next moment reached, nothing kept yet, an in-memory database): that needs
    the session, so the request goes through Flask, which computes it."""
    engine = state.engine
    if _in_memory(engine):
        return None
    (version,) = _read_held(engine, _READ_VERSION)
    kept = state.stamps.current if state.stamps is not None else None
    if kept is None or kept.version != int(version):
        return None
    now = clock.now_utc()
    if not kept.since <= now < kept.until:
        return None
    return kept.key


def memo(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per stamp (per process): for values that change only with the data
    and the rules' moments (the open data's Last-Modified, the home's figures). The value
    must be plain data, never an instance attached to a session."""
    stamp = current()
    try:
        return stamp.memo[name]
    except KeyError:
        value = stamp.memo[name] = compute()
        return value
