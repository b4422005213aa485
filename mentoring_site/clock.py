"""The school's clock: timestamps are stored in UTC, people read and type local time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["MENTORING_TIMEZONE"])


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def now_local() -> datetime:
    return datetime.now(zone()).replace(tzinfo=None)


def today() -> date:
    return datetime.now(zone()).date()


def to_utc(local: datetime) -> datetime:
    """A naive school-local time (as typed) to naive UTC (as stored)."""
    return local.replace(tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(zone()).replace(tzinfo=None)
