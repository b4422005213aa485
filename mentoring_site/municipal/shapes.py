"""Strict checks of what a school's API answered, turned into plain records.

A school's server is outside the office's control: an old version, a proxy's error page,
a half-written file or a hostile string must never reach the registry's tables. Every
field the registry keeps is checked for its type, length and characters; anything else
in an answer is ignored (the API may grow new fields within v1). Links must be http(s),
so a ``javascript:`` address can never become a link on the office's pages.

The checks are the API's own models (``mentoring_site.contract``), cut down to the fields
kept here (``reader``) and validated strictly under ``contract.REGISTRY``, which
adds the limits; this module only turns pydantic's errors into Russian, naming the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model
from pydantic_core import ErrorDetails

from .. import compat, contract


class InvalidAnswer(ValueError):
    """The answer is not what the section's API v1 serves; the message says where (Russian)."""


#: The further counts of ``Summary.figures`` (optional: null from an older school).
MORE_FIGURES = ("planned_programs", "ended_early_programs", "pairs", "groups",
                "mentees_teachers", "mentees_pupils", "young_specialists",
                "young_specialists_with_mentor", "cases", "honors")


@dataclass(frozen=True)
class Curator:
    name: str
    position: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class Summary:
    school: str
    mentors: int
    mentees: int
    active_programs: int
    completed_programs: int
    last_updated: datetime | None
    curator: Curator | None = None
    more: dict[str, int | None] = field(default_factory=dict)  # MORE_FIGURES


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


def reader(model: type[contract.Contract], *names: str, **replaced: Any) -> type[BaseModel]:
    """A model of only some fields of ``model`` (same types and checks), ignoring the rest.

    The registry keeps a few fields of an answer and must accept an answer that has grown
    new ones within v1. ``replaced`` gives a field another type: a nested reader, or
    ``list[Any]`` for items checked one by one.
    """
    fields: dict[str, Any] = {}
    for name in names:
        if name in replaced:  # a type, or (type, default) for a field an answer may lack
            value = replaced[name]
            fields[name] = value if isinstance(value, tuple) else (value, ...)
        else:
            info = model.model_fields[name]
            fields[name] = (info.annotation, info)
    return create_model(f"{model.__name__}Reader",
                        __config__=ConfigDict(strict=True, extra="ignore"), **fields)


# The fields the registry keeps, with the API's own types and the registry's checks.
_SUMMARY = reader(contract.Summary, "school", "figures", "last_updated", "curator",
                  figures=reader(contract.Figures, *contract.Figures.model_fields),
                  curator=(reader(contract.Curator, "name", "position", "phone", "email")
                           | None, None))
_PAGE = reader(contract.Page, "items", "page", "pages", "total", "links",
               items=list[Any], links=reader(contract.Links, "next"))
_MENTOR = reader(contract.Person, "id", "name", "url", "is_student", "position", "subjects",
                 "qualification", "experience_years")
_CASE = reader(contract.Case, "id", "title", "url", "published_at", "summary", "program",
               program=reader(contract.CaseProgram, "title", "url"))

# What pydantic's error types mean, said the way the office reads it.
_TYPES = {
    "string_type": "должно быть строкой",
    "int_type": "должно быть целым числом",
    "bool_type": "должно быть true или false",
    "list_type": "должно быть списком",
    "model_type": "должно быть объектом JSON",
    "dict_type": "должно быть объектом JSON",
}


def _message(error: ErrorDetails, where: str) -> str:
    *path, last = error["loc"] or ("",)
    place = "".join(f", «{p}»" for p in path)
    kind = error["type"]
    if kind == "missing":
        what = "отсутствует"
    elif kind == "registry":
        what = error["ctx"]["reason"]
    elif error["input"] is None and kind.endswith("_type"):
        what = "не может быть пустым (null)"
    elif kind in _TYPES:
        what = _TYPES[kind]
    else:
        what = f"неверное значение: {error['msg']}"
    if last == "":
        return f"{where}{place}: ожидался объект JSON"
    return f"{where}{place}: поле «{last}» {what}"


def _read(model: type[BaseModel], data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise InvalidAnswer(f"{where}: ожидался объект JSON")
    try:
        return model.model_validate(data, strict=True, context=contract.REGISTRY)
    except ValidationError as exc:
        raise InvalidAnswer(_message(exc.errors()[0], where)) from None


def _utc(value: str | None) -> datetime | None:
    """A checked ISO 8601 moment with an offset, as the naive UTC the tables keep."""
    if value is None:
        return None
    return compat.fromisoformat(value).astimezone(timezone.utc).replace(tzinfo=None)


def summary(data: Any) -> Summary:
    s = _read(_SUMMARY, data, "summary")
    return Summary(
        school=s.school,
        mentors=s.figures.mentors,
        mentees=s.figures.mentees,
        active_programs=s.figures.active_programs,
        completed_programs=s.figures.completed_programs,
        last_updated=_utc(s.last_updated),
        curator=Curator(s.curator.name, s.curator.position, s.curator.phone, s.curator.email)
        if s.curator else None,
        more={name: getattr(s.figures, name) for name in MORE_FIGURES},
    )


def envelope(data: Any, where: str) -> Envelope:
    p = _read(_PAGE, data, where)
    return Envelope(items=p.items, page=p.page, pages=p.pages, next=p.links.next)


def mentor(data: Any, where: str) -> Mentor:
    m = _read(_MENTOR, data, where)
    return Mentor(
        source_id=m.id,
        name=m.name,
        url=m.url,
        is_student=m.is_student,
        position=m.position,
        subjects=m.subjects,
        qualification=m.qualification,
        experience_years=m.experience_years,
    )


def case(data: Any, where: str) -> Case:
    c = _read(_CASE, data, where)
    published_at = _utc(c.published_at)
    assert published_at is not None  # a required field
    return Case(
        source_id=c.id,
        title=c.title,
        url=c.url,
        published_at=published_at,
        summary=c.summary,
        program_title=c.program.title,
        program_url=c.program.url,
    )
