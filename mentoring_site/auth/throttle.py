"""Login throttling per account, per address, and per the pair of both; and plain counting
in a window for the public forms (``window_*``, used by ``questionnaires.protect``).

Waits double with each failure past a free allowance and are capped, and counters
forget after a quiet hour. A stranger's burst from many addresses stops strangers only:
a browser the curator has signed in from before (``device``, its known-browser cookie) is
held back by its own failures alone, and the curator is told of the attempts (``take_tally``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
    # a known browser: as strict as one address, but nobody else's failures count here
    "device": (4, timedelta(minutes=15)),
    # right password, wrong code (only someone who has the password can add to it)
    "code": (5, timedelta(minutes=15)),
}
FORGET_AFTER = timedelta(hours=1)
#: Kinds that hold back a browser the curator has not signed in from before.
STRANGER = ("pair", "ip", "account")


def _login_key(login: str) -> str:
    return login.strip().casefold()[:80]


def keys(login: str, address: str, device: str | None = None) -> dict[str, str]:
    login = _login_key(login)
    found = {"pair": f"pair:{login}|{address}", "ip": f"ip:{address}", "account": f"acct:{login}",
             "code": f"code:{login}"}
    if device:
        found["device"] = f"dev:{login}|{device[:40]}"
    return found


def wait_seconds(sess: Session, login: str, address: str, now: datetime | None = None, *,
                 device: str | None = None, kinds: tuple[str, ...] = STRANGER) -> int:
    """Seconds until a new attempt is allowed (0: go ahead). From a known browser
    (``device``) only its own failures count, whatever ``kinds`` says."""
    now = now or now_utc()
    longest = 0.0
    found = keys(login, address, device)
    for kind in ("device",) if device else kinds:
        row = sess.get(LoginThrottle, found[kind])
        if row is not None and row.blocked_until and row.blocked_until > now:
            longest = max(longest, (row.blocked_until - now).total_seconds())
    return math.ceil(longest)


def record_failure(sess: Session, login: str, address: str, now: datetime | None = None, *,
                   device: str | None = None, wrong_code: bool = False) -> None:
    """A wrong password (or code) for ``login``: counted per address, account, pair, the
    known browser it came from, and, for a right password with a wrong code, per account's
    codes; and kept for the curator to hear of (``take_tally``)."""
    now = now or now_utc()
    _tally(sess, login, now)
    for kind, key in keys(login, address, device).items():
        if kind == "code" and not wrong_code:
            continue
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


def record_success(sess: Session, login: str, address: str, *,
                   device: str | None = None) -> None:
    """A right password clears the pair's and the known browser's counters (not the
    address's or the account's: a stranger's burst goes on slowing strangers)."""
    found = keys(login, address, device)
    for kind in ("pair", "device"):
        row = sess.get(LoginThrottle, found[kind]) if kind in found else None
        if row is not None:
            sess.delete(row)


# -- what the curator is told after signing in ---------------------------------------------
# One row per login, apart from the windows above, counting every failure since the last
# time she was told: ``failures``, ``first_failure_at`` and, in ``blocked_until``, the last.


@dataclass(frozen=True)
class Tally:
    """Wrong passwords or codes for an account since its owner last signed in."""

    failures: int
    first: datetime  # UTC, naive, as stored
    last: datetime


def _tally(sess: Session, login: str, now: datetime) -> None:
    key = f"tally:{_login_key(login)}"
    row = sess.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, first_failure_at=now)
        sess.add(row)
    row.failures += 1
    row.blocked_until = now


def take_tally(sess: Session, login: str) -> Tally | None:
    """The failures since the owner was last told, now told (the count starts again)."""
    row = sess.get(LoginThrottle, f"tally:{_login_key(login)}")
    if row is None:
        return None
    sess.delete(row)
    return Tally(row.failures, row.first_failure_at, row.blocked_until or row.first_failure_at)


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
