"""The section's free pages and its menu."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import rules
from ..models import Page
from .base import Clock, NotFound


def page(sess: Session, clock: Clock, slug: str) -> Page:
    item = sess.scalar(
        sa.select(Page).where(Page.slug == slug, rules.published_clause(Page, clock.now))
    )
    if item is None:
        raise NotFound(slug)
    return item


def menu_pages(sess: Session, clock: Clock, *, but: str | None = None) -> list[Page]:
    """The live pages, but the one with the slug ``but`` (the «Школа наставничества»'s
    introduction: the menu links the School itself)."""
    stmt = sa.select(Page).where(rules.published_clause(Page, clock.now))
    if but is not None:
        stmt = stmt.where(Page.slug != but)
    return list(sess.scalars(stmt.order_by(Page.sort, Page.title)))
