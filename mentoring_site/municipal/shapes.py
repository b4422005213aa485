"""Strict checks of what a school's API answered, turned into plain records.

A school's server is outside the office's control: an old version, a proxy's error page,
a half-written file or a hostile string must never reach the registry's tables. Every
field the registry keeps is checked for its type, length and characters; anything else
in an answer is ignored (the API may grow new fields within v1). Links must be http(s),
so a ``javascript:`` address can never become a link on the office's pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..db import BadText, check_text

MAX_SHORT = 1000
MAX_TEXT = 20_000
MAX_URL = 2000


class InvalidAnswer(ValueError):
    """The answer is not what the section's API v1 serves; the message says where (Russian)."""


@dataclass(frozen=True)
class Summary:
    school: str
    mentors: int
    mentees: int
    active_programs: int
    completed_programs: int
    last_updated: datetime | None


@dataclass(frozen=True)
class Mentor:
    source_id: int  # the school's own id, only to drop a repeat when pages shift mid-read
    name: str
    url: str | None
    is_student: bool
    position: str | None
    subjects: str | None
    qualification: str | None
    experience_years: int | None


@dataclass(frozen=True)
class Case:
    source_id: int
    title: str
    url: str
    published_at: datetime
    summary: str | None
    program_title: str
    program_url: str


@dataclass(frozen=True)
class Envelope:
    """One page of a collection: its raw items and the link to the next page."""

    items: list[Any]
    page: int
    pages: int
    next: str | None


class _Reader:
    """Field access that names the place of a failure: «mentors, страница 2, запись 3»."""

    def __init__(self, obj: Any, where: str):
        if not isinstance(obj, dict):
            raise InvalidAnswer(f"{where}: ожидался объект JSON")
        self.obj, self.where = obj, where

    def fail(self, key: str, what: str) -> InvalidAnswer:
        return InvalidAnswer(f"{self.where}: поле «{key}» {what}")

    def get(self, key: str, optional: bool = False) -> Any:
        if key not in self.obj:
            raise self.fail(key, "отсутствует")
        value = self.obj[key]
        if value is None and not optional:
            raise self.fail(key, "не может быть пустым (null)")
        return value

    def text(self, key: str, *, optional: bool = False, limit: int = MAX_SHORT) -> str | None:
        value = self.get(key, optional)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "должно быть строкой")
        if len(value) > limit:
            raise self.fail(key, f"длиннее {limit} символов")
        try:
            check_text(value)
        except BadText:
            raise self.fail(key, "содержит недопустимые управляющие символы") from None
        if not optional and not value.strip():
            raise self.fail(key, "пустое")
        return value

    def integer(self, key: str, *, optional: bool = False, low: int = 0,
                high: int = 10**9) -> int | None:
        value = self.get(key, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"должно быть целым числом от {low} до {high}")
        return value

    def flag(self, key: str) -> bool:
        value = self.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, "должно быть true или false")
        return value

    def url(self, key: str, *, optional: bool = False) -> str | None:
        value = self.text(key, optional=optional, limit=MAX_URL)
        if value is None:
            return None
        if not value.lower().startswith(("http://", "https://")) or any(
            c.isspace() for c in value
        ):
            raise self.fail(key, f"должно быть адресом http(s), а получено {value[:100]!r}")
        return value

    def moment(self, key: str, *, optional: bool = False) -> datetime | None:
        value = self.text(key, optional=optional, limit=64)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"должно быть датой и временем ISO 8601: {value!r}") from None
        if parsed.tzinfo is None:
            raise self.fail(key, "должно указывать часовой пояс")
        return parsed.astimezone(UTC).replace(tzinfo=None)

    def child(self, key: str) -> _Reader:
        return _Reader(self.get(key, False), f"{self.where}, «{key}»")


def summary(data: Any) -> Summary:
    r = _Reader(data, "summary")
    figures = r.child("figures")
    return Summary(
        school=r.text("school", limit=500),
        mentors=figures.integer("mentors"),
        mentees=figures.integer("mentees"),
        active_programs=figures.integer("active_programs"),
        completed_programs=figures.integer("completed_programs"),
        last_updated=r.moment("last_updated", optional=True),
    )


def envelope(data: Any, where: str) -> Envelope:
    r = _Reader(data, where)
    items = r.get("items", False)
    if not isinstance(items, list):
        raise r.fail("items", "должно быть списком")
    page = r.integer("page", low=1)
    pages = r.integer("pages")
    r.integer("total")
    links = r.child("links")
    return Envelope(items=items, page=page, pages=pages, next=links.url("next", optional=True))


def mentor(data: Any, where: str) -> Mentor:
    r = _Reader(data, where)
    return Mentor(
        source_id=r.integer("id"),
        name=r.text("name", limit=500),
        url=r.url("url", optional=True),
        is_student=r.flag("is_student"),
        position=r.text("position", optional=True),
        subjects=r.text("subjects", optional=True),
        qualification=r.text("qualification", optional=True),
        experience_years=r.integer("experience_years", optional=True, high=100),
    )


def case(data: Any, where: str) -> Case:
    r = _Reader(data, where)
    program = r.child("program")
    return Case(
        source_id=r.integer("id"),
        title=r.text("title"),
        url=r.url("url"),
        published_at=r.moment("published_at"),
        summary=r.text("summary", optional=True, limit=MAX_TEXT),
        program_title=program.text("title"),
        program_url=program.url("url"),
    )
