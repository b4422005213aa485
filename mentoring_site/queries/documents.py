"""The regulatory base (by level, repealed acts apart) and methodological materials."""

from __future__ import annotations

from dataclasses import dataclass

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


#: The public base is one page: a school keeps a few dozen acts, and a visitor looking for
#: «Локальные акты» must not find them on page 2. Only a base beyond this many acts (never
#: seen in a school) is split, so a page still has an upper bound of rows.
BASE_PAGE = 200


@dataclass
class LevelGroup:
    level: DocLevel
    documents: list[Document]


@dataclass
class DocumentBase:
    """The public regulatory base: acts grouped by level (федеральный, региональный,
    муниципальный, локальный, in that order), the page they came from for the links."""

    groups: list[LevelGroup]
    paged: Paged[Document]


def document_base(sess: Session, clock: Clock, page: int = 1, *,
                  in_force: bool = True) -> DocumentBase:
    """All levels on one page: the same query as ``documents`` (the API's pages), with a
    page of ``BASE_PAGE`` rows, grouped here so a template has no level logic."""
    paged = documents(sess, clock, page, BASE_PAGE, in_force=in_force)
    groups: list[LevelGroup] = []
    for doc in paged.items:
        if not groups or groups[-1].level is not doc.level:
            groups.append(LevelGroup(doc.level, []))
        groups[-1].documents.append(doc)
    return DocumentBase(groups, paged)


MATERIAL_ORDER = sa.case({k: i for i, k in enumerate(MaterialKind)}, value=Material.kind)


def materials(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[Material]:
    stmt = (
        sa.select(Material)
        .where(rules.published_clause(Material, clock.now))
        .options(joinedload(Material.file))
        .order_by(MATERIAL_ORDER, Material.published_at.desc(), Material.id.desc())
    )
    return paged(sess, stmt, page, per_page)
