"""«Молодые специалисты без наставника»: the list the curator draws up once a year
(district model regulation 3.4), computed rather than kept by hand.

A young specialist: a teacher with at most ``YOUNG_YEARS`` years of experience, or anyone
put in a category marked «молодой специалист». Without a mentor: not a mentee of any
programme that is planned or running.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..models import (
    Participation,
    Person,
    PersonCategory,
    PersonKind,
    Program,
    ProgramStatus,
    Role,
)

YOUNG_YEARS = 3
RUNNING = (ProgramStatus.PLANNED, ProgramStatus.ACTIVE)


def young_specialist_clause() -> ColumnElement[bool]:
    return sa.or_(
        sa.and_(Person.kind == PersonKind.TEACHER, Person.experience_years <= YOUNG_YEARS),
        Person.categories.any(PersonCategory.young_specialist.is_(True)),
    )


def has_mentor_clause() -> ColumnElement[bool]:
    """A mentee of a programme that is planned or running."""
    return sa.exists().where(
        Participation.person_id == Person.id,
        Participation.role == Role.MENTEE,
        Participation.program_id == Program.id,
        Program.status.in_(RUNNING),
    )


def young_specialists_without_mentor(sess: Session) -> list[Person]:
    stmt = (sa.select(Person).where(young_specialist_clause(), ~has_mentor_clause())
            .order_by(Person.last_name, Person.first_name, Person.id))
    return list(sess.scalars(stmt))
