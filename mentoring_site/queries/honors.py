"""The rubric «Наши наставники»: honours of people shown with their consent."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

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
        .order_by(Honor.year.desc(), Honor.id.desc())
    )
    result = paged(sess, stmt, page, per_page)
    ids = {i for h in result.items for i in (h.person_id, h.partner_id) if i is not None}
    people = {p.id: p for p in graph.people_rows(sess, sorted(ids))}

    def shown(person_id: int | None) -> rules.PublicPerson | None:
        person = people.get(person_id) if person_id is not None else None
        return rules.public_person(person, clock.today) if person is not None else None

    cards = []
    for honor in result.items:
        person = shown(honor.person_id)
        if person is not None:
            cards.append(HonorCard(honor, person, shown(honor.partner_id)))
    result.items = cards
    return result
