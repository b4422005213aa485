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

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, g
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


def current() -> Stamp:
    """This request's stamp (read once; ``sqlalchemy.exc.DBAPIError`` before the upgrade)."""
    found = g.get("mentoring_stamp")
    if found is not None:
        return found
    keeper: StampKeeper = current_app.extensions["mentoring"].stamps
    sess = session()
    version, changed_at = datastamp.read(sess.connection())
    now = clock.now_utc()
    kept = keeper.current
    if kept is None or kept.version != version or not kept.since <= now < kept.until:
        kept = Stamp(version, changed_at, next_moment(sess, now, current_app.config), now)
        with keeper.lock:
            keeper.current = kept
    g.mentoring_stamp = kept
    return kept


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
