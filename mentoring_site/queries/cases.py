"""Best cases: public only once their programme is completed (``rules.case_clause``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import rules
from ..models import Case, CasePhoto, Program
from .base import Clock, Memo, NotFound, Paged, built, paged
from .programs import ProgramCard, program_card, program_load


@built
def _public_cases() -> sa.Select:
    return (
        sa.select(Case)
        .where(rules.case_clause(sa.bindparam("now")))
        .options(
            joinedload(Case.program).joinedload(Program.form),
            selectinload(Case.photos).joinedload(CasePhoto.media),
        )
        .order_by(Case.published_at.desc(), Case.id.desc())
    )


def cases(sess: Session, clock: Clock, page: int, per_page: int, *,
          memo: Memo | None = None) -> Paged[Case]:
    return paged(sess, _public_cases(), page, per_page, {"now": clock.now},
                 memo=memo, key="cases")


@dataclass
class CaseView:
    case: Case
    program: ProgramCard


@built
def _public_case() -> sa.Select:
    return (
        sa.select(Case)
        .where(Case.slug == sa.bindparam("slug"), rules.case_clause(sa.bindparam("now")))
        .options(
            joinedload(Case.program).options(*program_load()),
            selectinload(Case.photos).joinedload(CasePhoto.media),
            selectinload(Case.attachments).joinedload(Case.attachments.property.mapper.class_.media),
        )
    )


def case_page(sess: Session, clock: Clock, slug: str) -> CaseView:
    case = sess.scalar(_public_case(), {"slug": slug, "now": clock.now})
    if case is None:
        raise NotFound(slug)
    return CaseView(case, program_card(case.program, clock.today))
