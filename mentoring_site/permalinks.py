"""Links that do not break: old slugs of published objects keep answering with a 301.

A school shares a case or a news item in VK or in the municipal office's digest; the
curator later fixes a typo in the title and the slug follows. The old address must keep
working, so the admin records the old slug here when it saves a changed slug, and the
public detail views look the slug up on a 404 (``queries.moved_slug``), redirecting only
to an object the rules still show.

The save path (``editing.py``) uses it in three steps: ``publicly_linked`` before the
save changes anything (may anyone have the current address?), ``follow_title`` to give the
record the slug of its title (only when the title's words changed), and, after the flush,
``record_slug_change`` when ``slug_moved`` says the old address may be out there.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.orm import Session

from .models import Case, NewsItem, Page, Person, Program, SlugHistory

#: Kinds of objects with a page of their own: stored kind -> (model, public endpoint).
KINDS: dict[str, tuple[Any, str]] = {  # kind -> (model class, public endpoint)
    "case": (Case, "mentoring.case"),
    "news": (NewsItem, "mentoring.news_item"),
    "program": (Program, "mentoring.program"),
    "person": (Person, "mentoring.person"),
    "page": (Page, "mentoring.page"),
}


class UnknownKind(ValueError):
    """The kind names no object type with a page of its own."""


def kind_of(obj_or_model: object) -> str:
    """``"case"`` for a Case (or the Case class), and so on; UnknownKind otherwise."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for kind, (cls, _endpoint) in KINDS.items():
        if issubclass(model, cls):
            return kind
    raise UnknownKind(model.__name__)


def kind_or_none(obj: object) -> str | None:
    """Like ``kind_of``, but None for an object without a page of its own."""
    try:
        return kind_of(obj)
    except UnknownKind:
        return None


def _base(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True) or "zapis"


def unique_slug(session: Session, model: Any, text: str, obj_id: int | None) -> str:
    """The title's slug, with «-2», «-3»… when another record of the kind has it."""
    base = _base(text)
    slug, n = base, 1
    while True:
        clash = session.scalar(sa.select(model.id).where(model.slug == slug))
        if clash is None or clash == obj_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def slug_fits(slug: str | None, text: str) -> bool:
    """The slug still says the title (``title`` or ``title-2``): no reason to move it."""
    base = _base(text)
    return bool(slug) and re.fullmatch(re.escape(base) + r"(-\d+)?", slug or "") is not None


def follow_title(session: Session, obj, text: str, *, creating: bool) -> None:
    """Give the record the slug of ``text`` (its title, a person's name): always when new,
    later only when the words changed (a fixed comma keeps the address)."""
    if creating or not slug_fits(obj.slug, text):
        with session.no_autoflush:  # one UPDATE (one version step) for the whole save
            obj.slug = unique_slug(session, type(obj), text, None if creating else obj.id)


def publicly_linked(session: Session, obj) -> bool:
    """Read before a save changes anything: may the public have the current address?"""
    from . import clock, queries  # queries read the history kept here

    link_kind = kind_or_none(obj)
    if link_kind is None or obj.id is None:
        return False
    moment = queries.Clock.current(clock.zone().key)
    return queries.is_public(session, moment, link_kind, obj.id)


def slug_moved(old_slug: str | None, new_slug: str | None, *, was_public: bool) -> bool:
    """True when a save must record ``old_slug``: it changed and someone may have its link.

    A draft's slug was never shown to anyone, so changing it needs no redirect.
    """
    return bool(was_public and old_slug and new_slug and old_slug != new_slug)


def record_slug_change(session: Session, kind: str, obj_id: int, old_slug: str) -> None:
    """Remember that object ``obj_id`` of ``kind`` was reachable at ``old_slug``.

    Idempotent. An old slug once used by another object of the same kind now points to
    this one (the newest owner of a link wins). A row that would point an object's
    current slug at itself is dropped, so renaming back and forth leaves no loops.
    Flushes; the caller commits with the rest of the save.
    """
    if kind not in KINDS:
        raise UnknownKind(kind)
    model = KINDS[kind][0]
    current = session.scalar(sa.select(model.slug).where(model.id == obj_id))
    session.execute(
        sa.delete(SlugHistory).where(
            SlugHistory.kind == kind,
            SlugHistory.object_id == obj_id,
            SlugHistory.old_slug == current,
        )
    )
    if not old_slug or old_slug == current:
        session.flush()
        return
    row = session.scalar(
        sa.select(SlugHistory).where(SlugHistory.kind == kind, SlugHistory.old_slug == old_slug)
    )
    if row is None:
        session.add(SlugHistory(kind=kind, old_slug=old_slug, object_id=obj_id))
    else:
        row.object_id = obj_id
    session.flush()


def forget_object(session: Session, kind: str, obj_id: int) -> None:
    """Drop the history of a deleted object, so its old slugs can be given to others."""
    if kind not in KINDS:
        raise UnknownKind(kind)
    session.execute(
        sa.delete(SlugHistory).where(SlugHistory.kind == kind, SlugHistory.object_id == obj_id)
    )
