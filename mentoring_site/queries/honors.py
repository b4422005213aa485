"""The rubric «Наши наставники»: honours of people shown with their consent."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Honor, Person
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
        .options(
            joinedload(Honor.person).selectinload(Person.consents),
            joinedload(Honor.person).joinedload(Person.photo),
            joinedload(Honor.partner).selectinload(Person.consents),
            joinedload(Honor.partner).joinedload(Person.photo),
        )
        .order_by(Honor.year.desc(), Honor.id.desc())
    )
    result = paged(sess, stmt, page, per_page)
    cards = []
    for honor in result.items:
        shown = rules.public_person(honor.person, clock.today)
        if shown is not None:
            partner = rules.public_person(honor.partner, clock.today) if honor.partner else None
            cards.append(HonorCard(honor, shown, partner))
    result.items = cards
    return result
