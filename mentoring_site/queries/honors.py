"""The rubric «Наши наставники»: honours of people shown with their consent."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Honor
from . import graph
from .base import Clock, Paged, paged


@dataclass
class HonorCard:
    honor: Honor
    person: rules.PublicPerson
    partner: rules.PublicPerson | None


def honors(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[HonorCard]:
    stmt = (
        sa.select(Honor)
        .where(rules.honor_clause(clock.now, clock.today))
        .options(joinedload(Honor.person), joinedload(Honor.partner))
        .order_by(Honor.year.desc(), Honor.id.desc())
    )
    result = paged(sess, stmt, page, per_page)
    graph.load_people(sess, [p for h in result.items for p in (h.person, h.partner) if p])
    cards = []
    for honor in result.items:
        shown = rules.public_person(honor.person, clock.today)
        if shown is not None:
            partner = rules.public_person(honor.partner, clock.today) if honor.partner else None
            cards.append(HonorCard(honor, shown, partner))
    result.items = cards
    return result
