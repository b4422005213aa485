"""The regulatory base (by level, repealed acts apart) and methodological materials."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import DocLevel, Document, Material, MaterialKind
from .base import Clock, Paged, paged

LEVEL_ORDER = sa.case({lvl: i for i, lvl in enumerate(DocLevel)}, value=Document.level)


def documents(
    sess: Session, clock: Clock, page: int, per_page: int, *, in_force: bool = True
) -> Paged[Document]:
    stmt = (
        sa.select(Document)
        .where(rules.published_clause(Document, clock.now), Document.in_force.is_(in_force))
        .options(joinedload(Document.file))
        .order_by(
            LEVEL_ORDER, Document.sort, Document.issued_on.desc().nulls_last(), Document.id
        )
    )
    return paged(sess, stmt, page, per_page)


MATERIAL_ORDER = sa.case({k: i for i, k in enumerate(MaterialKind)}, value=Material.kind)


def materials(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[Material]:
    stmt = (
        sa.select(Material)
        .where(rules.published_clause(Material, clock.now))
        .options(joinedload(Material.file))
        .order_by(MATERIAL_ORDER, Material.published_at.desc(), Material.id.desc())
    )
    return paged(sess, stmt, page, per_page)
