"""The section's one clock: timestamps are stored in naive UTC, people read and type local time.

Every "now" and "today" in the package comes from here, so a test that freezes or moves
time patches one module. Functions take the school's time zone name when they may run
outside an application context (the demo's set-up, the CLI); otherwise they read
``MENTORING_TIMEZONE`` from the current app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def zone(tz_name: str | None = None) -> ZoneInfo:
    return ZoneInfo(tz_name or current_app.config["MENTORING_TIMEZONE"])


def _aware_now() -> datetime:
    """The single call to the system clock."""
    return datetime.now(timezone.utc)


def epoch_seconds() -> float:
    """Seconds since 1970 (UTC), for codes that count time in steps (TOTP)."""
    return _aware_now().timestamp()


def now_utc() -> datetime:
    return _aware_now().replace(tzinfo=None)


def now_local(tz_name: str | None = None) -> datetime:
    """The school's wall-clock time, naive, as event times are stored."""
    return _aware_now().astimezone(zone(tz_name)).replace(tzinfo=None)


def today(tz_name: str | None = None) -> date:
    return _aware_now().astimezone(zone(tz_name)).date()


def to_utc(local: datetime, tz_name: str | None = None) -> datetime:
    """A naive school-local time (as typed) to naive UTC (as stored)."""
    return local.replace(tzinfo=zone(tz_name)).astimezone(timezone.utc).replace(tzinfo=None)


def to_local(utc: datetime, tz_name: str | None = None) -> datetime:
    """A stored naive-UTC time as naive school-local time."""
    return utc.replace(tzinfo=timezone.utc).astimezone(zone(tz_name)).replace(tzinfo=None)


@dataclass(frozen=True)
class Clock:
    """The moment a request is answered: UTC for timestamps, the school's date for dates."""

    now: datetime
    today: date

    @classmethod
    def current(cls, tz_name: str) -> Clock:
        """The clock of this moment for a school in time zone ``tz_name``."""
        now = _aware_now()
        return cls(now=now.replace(tzinfo=None), today=now.astimezone(ZoneInfo(tz_name)).date())
