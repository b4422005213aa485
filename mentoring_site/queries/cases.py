"""Best cases: public only once their programme is completed (``rules.case_clause``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Case, Program, ProgramForm
from . import graph
from .base import Clock, Memo, NotFound, Paged, built, paged
from .programs import ProgramCard, program_card


@built
def _public_cases() -> sa.Select:
    return (
        sa.select(Case)
        .where(rules.case_clause(sa.bindparam("now")))
        .options(joinedload(Case.program).joinedload(Program.form))
        .order_by(Case.published_at.desc(), Case.id.desc())
    )


def cases(sess: Session, clock: Clock, page: int, per_page: int, *,
          memo: Memo | None = None) -> Paged[Case]:
    result = paged(sess, _public_cases(), page, per_page, {"now": clock.now},
                   memo=memo, key="cases")
    graph.load_case_photos(sess, result.items)
    return result


@dataclass
class CaseView:
    case: Case
    program: ProgramCard


@built
def _public_case() -> sa.Select:
    return (sa.select(Case, Program, ProgramForm)
            .join(Program, Case.program_id == Program.id)
            .join(ProgramForm, Program.form_id == ProgramForm.id)
            .where(Case.slug == sa.bindparam("slug"), rules.case_clause(sa.bindparam("now"))))


def case_page(sess: Session, clock: Clock, slug: str) -> CaseView:
    found = sess.execute(_public_case(), {"slug": slug, "now": clock.now}).one_or_none()
    if found is None:
        raise NotFound(slug)
    case, program, form = found
    parts = graph.load_case(sess, case, program, form)
    return CaseView(case, program_card(program, parts, clock.today))
