"""Login throttling per account, per address, and per the pair of both; and plain counting
in a window for the public forms (``window_*``, used by ``questionnaires.protect``).

Waits double with each failure past a free allowance and are capped, and counters
forget after a quiet hour: a stranger can slow the real curator down, never lock her out.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..models import LoginThrottle

# key kind -> (free failures, longest wait)
LIMITS = {
    "pair": (4, timedelta(minutes=15)),
    "ip": (20, timedelta(minutes=15)),
    "account": (30, timedelta(minutes=5)),
}
FORGET_AFTER = timedelta(hours=1)


def keys(login: str, address: str) -> dict[str, str]:
    login = login.strip().casefold()[:80]
    return {"pair": f"pair:{login}|{address}", "ip": f"ip:{address}", "account": f"acct:{login}"}


def wait_seconds(sess: Session, login: str, address: str, now: datetime | None = None) -> int:
    """Seconds until a new attempt is allowed (0: go ahead)."""
    now = now or now_utc()
    longest = 0.0
    for key in keys(login, address).values():
        row = sess.get(LoginThrottle, key)
        if row is not None and row.blocked_until and row.blocked_until > now:
            longest = max(longest, (row.blocked_until - now).total_seconds())
    return math.ceil(longest)


def record_failure(sess: Session, login: str, address: str, now: datetime | None = None) -> None:
    now = now or now_utc()
    for kind, key in keys(login, address).items():
        free, cap = LIMITS[kind]
        row = sess.get(LoginThrottle, key)
        if row is None or now - row.first_failure_at > FORGET_AFTER:
            if row is None:
                row = LoginThrottle(key=key)
                sess.add(row)
            row.failures, row.first_failure_at, row.blocked_until = 0, now, None
        row.failures += 1
        over = row.failures - free
        if over > 0:
            wait = min(timedelta(seconds=15 * 2 ** min(over - 1, 10)), cap)
            row.blocked_until = now + wait


def record_success(sess: Session, login: str, address: str) -> None:
    """A right password clears the pair's counter (not the address's or the account's)."""
    row = sess.get(LoginThrottle, keys(login, address)["pair"])
    if row is not None:
        sess.delete(row)


# -- counting in a window (public forms) -------------------------------------------------------
# The same table, another use: a row per key counts events in a fixed window that starts at
# the first one (``failures`` is the count, ``first_failure_at`` the window's start). One row
# per address and one for everyone, so the table stays small however long a flood lasts.


def window_wait(sess: Session, key: str, limit: int, window: timedelta,
                now: datetime | None = None, *, lock: bool = False) -> int:
    """Seconds until ``key`` may count one more event (0: it may now). ``lock``: lock the
    row (PostgreSQL), so two requests at once cannot both take the last place."""
    now = now or now_utc()
    row = sess.get(LoginThrottle, key, with_for_update=lock or None)
    if row is None or now - row.first_failure_at >= window or row.failures < limit:
        return 0
    return max(1, math.ceil((row.first_failure_at + window - now).total_seconds()))


def window_count(sess: Session, key: str, window: timedelta, now: datetime | None = None) -> None:
    """Count one event for ``key`` (a new window when the last one has passed)."""
    now = now or now_utc()
    row = sess.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, first_failure_at=now)
        sess.add(row)
    elif now - row.first_failure_at >= window:
        row.failures, row.first_failure_at = 0, now
    row.failures += 1
    row.blocked_until = None


def window_forget(sess: Session, prefix: str, window: timedelta,
                  now: datetime | None = None) -> None:
    """Drop the rows of ``prefix`` whose window has passed (addresses seen once long ago)."""
    now = now or now_utc()
    sess.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.key.startswith(prefix, autoescape=True),
        LoginThrottle.first_failure_at <= now - window))
