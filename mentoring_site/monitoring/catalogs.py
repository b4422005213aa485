"""The lists a school edits: directions of mentoring, categories of mentees and mentors,
forms of work; and linking programmes and people to them.

Why lists and not free text: the yearly report counts programmes by direction and people by
category, which free text («Методика», «методическая работа») cannot do reliably.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Direction, Person, PersonCategory, Program, Role, WorkForm
from .errors import MonitoringError


def _name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise MonitoringError(f"Введите название: {what}.")
    return name


def _next_sort(sess: Session, model) -> int:
    return (sess.scalar(sa.select(sa.func.max(model.sort))) or 0) + 1


def add_direction(sess: Session, name: str) -> Direction:
    name = _name(name, "направление наставничества")
    if sess.scalar(sa.select(Direction.id).where(sa.func.lower(Direction.name) == name.lower())):
        raise MonitoringError(f"Направление «{name}» уже есть в списке.")
    direction = Direction(name=name, sort=_next_sort(sess, Direction))
    sess.add(direction)
    return direction


def add_work_form(sess: Session, name: str) -> WorkForm:
    name = _name(name, "форма работы")
    if sess.scalar(sa.select(WorkForm.id).where(sa.func.lower(WorkForm.name) == name.lower())):
        raise MonitoringError(f"Форма работы «{name}» уже есть в списке.")
    form = WorkForm(name=name, sort=_next_sort(sess, WorkForm))
    sess.add(form)
    return form


def add_category(sess: Session, name: str, role: Role, *,
                 young_specialist: bool = False) -> PersonCategory:
    name = _name(name, "категория")
    exists = sa.select(PersonCategory.id).where(
        PersonCategory.role == role, sa.func.lower(PersonCategory.name) == name.lower())
    if sess.scalar(exists):
        raise MonitoringError(f"Категория «{name}» уже есть в списке.")
    category = PersonCategory(name=name, role=role, young_specialist=young_specialist,
                              sort=_next_sort(sess, PersonCategory))
    sess.add(category)
    return category


def _load(sess: Session, model, ids: Iterable[int], what: str) -> list:
    wanted = list(dict.fromkeys(ids))
    found = {o.id: o for o in sess.scalars(sa.select(model).where(model.id.in_(wanted)))}
    if len(found) != len(wanted):
        raise MonitoringError(f"Выбранного значения нет в списке «{what}»: обновите страницу.")
    return [found[i] for i in wanted]


def set_directions(sess: Session, program: Program, direction_ids: Iterable[int]) -> None:
    program.directions = sorted(_load(sess, Direction, direction_ids, "Направления"),
                                key=lambda d: (d.sort, d.id))


def set_categories(sess: Session, person: Person, category_ids: Iterable[int]) -> None:
    person.categories = sorted(_load(sess, PersonCategory, category_ids, "Категории"),
                               key=lambda c: (c.sort, c.id))


def categories(sess: Session, role: Role | None = None) -> list[PersonCategory]:
    stmt = sa.select(PersonCategory).order_by(PersonCategory.sort, PersonCategory.id)
    if role is not None:
        stmt = stmt.where(PersonCategory.role == role)
    return list(sess.scalars(stmt))
