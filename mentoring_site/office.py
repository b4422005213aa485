"""A school's management-mentoring programmes, read from the municipal office's site.

The office keeps these programmes (docs/ARCHITECTURE.md, «Decisions»); a school whose
settings name the office (``MENTORING_OFFICE_URL``) and its id in the office's registry
(``MENTORING_OFFICE_SCHOOL_ID``) shows them on its programmes page. The answer is checked
field by field and kept for ten minutes; a slow, stopped or garbled office costs the page
at most ``TIMEOUT`` seconds once a minute and shows nothing, never an error.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any

log = logging.getLogger(__name__)

TIMEOUT = 3.0
MAX_BYTES = 1024 * 1024
KEEP_SECONDS, KEEP_FAILED_SECONDS = 600.0, 60.0
SIDES = {"experienced": "опытная команда", "developing": "развивающаяся команда"}

_cache: dict[str, tuple[float, list[OfficeProgram] | None]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class OfficeProgram:
    title: str
    state_label: str
    starts_on: date | None
    ends_on: date | None
    sides: str  # «опытная команда», in words
    directions: list[str]
    partners: list[str]  # the organisations of both sides
    url: str | None  # only into the office's own site


def _text(value: Any, limit: int = 1000) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError("not a text")
    return value.strip()


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(_text(value, 10))


def parse(data: Any, office_url: str) -> list[OfficeProgram]:
    """The office's JSON as programmes; ``ValueError`` if anything is off."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError("no items")
    found = []
    for item in data["items"][:200]:
        if not isinstance(item, dict):
            raise ValueError("an item is not an object")
        sides = item.get("school_sides")
        if not isinstance(sides, list) or not sides or any(s not in SIDES for s in sides):
            raise ValueError("bad school_sides")
        names = [*item.get("experienced", []), *item.get("developing", [])]
        url = item.get("url")
        found.append(OfficeProgram(
            title=_text(item.get("title")), state_label=_text(item.get("state_label"), 100),
            starts_on=_day(item.get("starts_on")), ends_on=_day(item.get("ends_on")),
            sides=", ".join(SIDES[s] for s in sides),
            directions=[_text(d, 300) for d in item.get("directions", [])],
            partners=[_text(n, 500) for n in names],
            url=url if isinstance(url, str) and url.startswith(office_url + "/") else None,
        ))
    return found


def address(config) -> str | None:
    office, key = config.get("MENTORING_OFFICE_URL"), config.get("MENTORING_OFFICE_SCHOOL_ID")
    if not office or not key:
        return None
    return f"{office.rstrip('/')}/api/upravlencheskoe-nastavnichestvo/{key}.json"


def school_programs(config) -> list[OfficeProgram] | None:
    """This school's programmes as the office publishes them; None when not configured or
    the office did not answer well (the page then says nothing about them)."""
    url = address(config)
    if url is None:
        return None
    now = time.monotonic()
    with _lock:
        kept = _cache.get(url)
        if kept and kept[0] > now:
            return kept[1]
    result: list[OfficeProgram] | None
    try:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            body = answer.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise ValueError("answer too large")
        result = parse(json.loads(body), config["MENTORING_OFFICE_URL"].rstrip("/"))
    except (OSError, ValueError) as exc:
        log.warning("management mentoring: the office's %s did not answer well: %s", url, exc)
        result = None
    with _lock:
        _cache[url] = (now + (KEEP_SECONDS if result is not None else KEEP_FAILED_SECONDS),
                       result)
    return result


def forget() -> None:
    """Drop what was kept (tests, or after changing the settings)."""
    with _lock:
        _cache.clear()
