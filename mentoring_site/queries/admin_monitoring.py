"""The admin's read model for monitoring: choice lists of the programme page's forms."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..compat import Choice, choice
from ..models import PersonCategory, PlanTemplate, Program, Role, WorkForm


def work_form_choices(sess: Session, empty: str = "— не указана —") -> list[Choice]:
    """The school's forms of work (супервизия, стажировка...), with «none» first."""
    rows = sess.scalars(sa.select(WorkForm).order_by(WorkForm.sort, WorkForm.id))
    return [choice(0, empty), *(choice(w.id, w.name) for w in rows)]


def plan_template_choices(sess: Session) -> list[Choice]:
    rows = sess.scalars(sa.select(PlanTemplate).order_by(PlanTemplate.name))
    return [choice(t.id, t.name) for t in rows]


def mentee_choices(program: Program) -> list[Choice]:
    """Whom a sheet scores: the group as a whole, or one of the programme's mentees."""
    mentees = [p.person for p in program.participations if p.role is Role.MENTEE]
    return [choice(0, "группа (пара) в целом"),
            *(choice(p.id, p.full_name) for p in mentees)]


def category_choices(sess: Session) -> list[Choice]:
    """Categories of mentees and mentors: «молодой специалист (наставляемый)»."""
    rows = sess.scalars(sa.select(PersonCategory).order_by(
        PersonCategory.role, PersonCategory.sort, PersonCategory.id))
    return [choice(c.id, f"{c.name} ({c.role.label.lower()})") for c in rows]
