"""Links that do not break: old slugs of published objects keep answering with a 301.

A school shares a case or a news item in VK or in the municipal office's digest; the
curator later fixes a typo in the title and the slug follows. The old address must keep
working, so the admin records the old slug here when it saves a changed slug, and the
public detail views look the slug up on a 404 (``queries.moved_slug``), redirecting only
to an object the rules still show.

Two ways in for the admin:

- ``record_slug_change(session, kind, obj_id, old_slug)``: plain values and a session,
  for a domain function that already has both;
- ``slug_moved(old_slug, new_slug, was_public=...)`` and ``kind_of(obj)``: no SQLAlchemy,
  to decide in a form handler whether there is anything to record at all.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import Case, NewsItem, Page, Person, Program, SlugHistory

#: Kinds of objects with a page of their own: stored kind -> (model, public endpoint).
KINDS: dict[str, tuple[type, str]] = {
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
