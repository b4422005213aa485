"""Old slugs: where an address once shared leads now (``permalinks.py`` keeps the history)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .. import rules
from ..models import Case, NewsItem, Page, Person, Program, SlugHistory
from .base import Clock


def _slug_targets(clock: Clock) -> dict[str, tuple[Any, ColumnElement[bool]]]:
    """Per kind of ``permalinks.KINDS``: the model and the rule its detail page applies."""
    return {
        "case": (Case, rules.case_clause(clock.now)),
        "news": (NewsItem, rules.published_clause(NewsItem, clock.now)),
        "program": (Program, rules.program_clause()),
        "person": (
            Person,
            rules.person_page_clause(clock.today),
        ),
        "page": (Page, rules.published_clause(Page, clock.now)),
    }


def is_public(sess: Session, clock: Clock, kind: str, obj_id: int) -> bool:
    """Whether the object's page is open to the public now (so its address may be shared)."""
    target = _slug_targets(clock).get(kind)
    if target is None:
        return False
    model, clause = target
    return sess.scalar(sa.select(model.id).where(model.id == obj_id, clause)) is not None


def moved_slug(sess: Session, clock: Clock, kind: str, old_slug: str) -> str | None:
    """The current slug of the object once reachable at ``old_slug``, if it is public now.

    A hidden object gives None, as if the slug had never existed: a redirect would tell
    the public the new slug of a draft.
    """
    target = _slug_targets(clock).get(kind)
    if target is None:
        return None
    model, clause = target
    return sess.scalar(
        sa.select(model.slug)
        .join(SlugHistory, sa.and_(SlugHistory.object_id == model.id, SlugHistory.kind == kind))
        .where(SlugHistory.old_slug == old_slug, model.slug != old_slug, clause)
    )
