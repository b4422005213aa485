"""The banks of mentors and mentees and a person's page: consented fields only
(``rules.PublicPerson``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import rules
from ..models import Honor, Participation, Person, Program, Role
from . import graph
from .base import Clock, Memo, NotFound, Paged, built, paged


@built
def _bank(role: Role) -> sa.Select:
    """The ids of a bank's people shown, in the bank's order (``graph.people_rows`` reads
    them)."""
    return (sa.select(Person.id)
            .where(rules.bank_clause(role), rules.person_clause(sa.bindparam("today")))
            .order_by(Person.last_name, Person.first_name, Person.id))


def people_in_bank(
    sess: Session, clock: Clock, role: Role, page: int, per_page: int, *,
    memo: Memo | None = None,
) -> Paged[rules.PublicPerson]:
    result = paged(sess, _bank(role), page, per_page, {"today": clock.today},
                   memo=memo, key=f"bank:{role.value}")
    people = graph.people_rows(sess, result.items)
    result.items = [p for p in (rules.public_person(x, clock.today) for x in people) if p]
    return result


@dataclass
class PersonView:
    person: rules.PublicPerson
    programs: list[tuple[Program, Role]]
    honors: list[Honor]


@built
def _person_statements() -> tuple[sa.Select, sa.Select, sa.Select]:
    """The person shown, their public programmes, their honours (``person_id``)."""
    person_id: sa.BindParameter[int] = sa.bindparam("person_id")
    shown = (sa.select(Person.id)
             .where(Person.slug == sa.bindparam("slug"),
                    rules.person_clause(sa.bindparam("today"))))
    programs = (sa.select(Participation)
                .join(Participation.program)
                .where(Participation.person_id == person_id, rules.program_clause())
                .options(joinedload(Participation.program).joinedload(Program.form))
                .order_by(Program.starts_on.desc()))
    honors = (sa.select(Honor)
              .where(sa.or_(Honor.person_id == person_id, Honor.partner_id == person_id),
                     rules.honor_clause(sa.bindparam("now"), sa.bindparam("today")))
              .order_by(Honor.year.desc()))
    return shown, programs, honors


def person_page(sess: Session, clock: Clock, slug: str) -> PersonView:
    shown, programs, honors_of = _person_statements()
    person_id = sess.scalar(shown, {"slug": slug, "today": clock.today})
    rows = graph.people_rows(sess, [person_id]) if person_id is not None else []
    public = rules.public_person(rows[0], clock.today) if rows else None
    if public is None or not public.has_page:
        raise NotFound(slug)
    participations = sess.scalars(programs, {"person_id": person_id}).all()
    honors = sess.scalars(honors_of, {"person_id": person_id, "now": clock.now,
                                      "today": clock.today}).all()
    return PersonView(public, [(p.program, p.role) for p in participations], list(honors))
