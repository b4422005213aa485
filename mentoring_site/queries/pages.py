"""The section's free pages and its menu."""

from __future__ import annotations

from typing import NamedTuple

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


class MenuLink(NamedTuple):
    """A free page as the menu links it: plain data, so one list serves every request of a
    data version (``cache.memo``)."""

    slug: str
    title: str


def menu_pages(sess: Session, clock: Clock, *, but: str | None = None) -> list[MenuLink]:
    """The live pages, but the one with the slug ``but`` (the «Школа наставничества»'s
    introduction: the menu links the School itself)."""
    stmt = sa.select(Page.slug, Page.title).where(rules.published_clause(Page, clock.now))
    if but is not None:
        stmt = stmt.where(Page.slug != but)
    return [MenuLink(slug, title) for slug, title in
            sess.execute(stmt.order_by(Page.sort, Page.title))]
