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


def _taken(sess: Session, column, name: str, *where) -> bool:
    """Compared in Python: SQLite's lower() folds only ASCII, not Cyrillic; lists are short."""
    folded = name.casefold()
    return any(n.casefold() == folded for n in sess.scalars(sa.select(column).where(*where)))


def _next_sort(sess: Session, model) -> int:
    return (sess.scalar(sa.select(sa.func.max(model.sort))) or 0) + 1


def add_direction(sess: Session, name: str) -> Direction:
    name = _name(name, "направление наставничества")
    if _taken(sess, Direction.name, name):
        raise MonitoringError(f"Направление «{name}» уже есть в списке.")
    direction = Direction(name=name, sort=_next_sort(sess, Direction))
    sess.add(direction)
    return direction


def add_work_form(sess: Session, name: str) -> WorkForm:
    name = _name(name, "форма работы")
    if _taken(sess, WorkForm.name, name):
        raise MonitoringError(f"Форма работы «{name}» уже есть в списке.")
    form = WorkForm(name=name, sort=_next_sort(sess, WorkForm))
    sess.add(form)
    return form


def add_category(sess: Session, name: str, role: Role, *,
                 young_specialist: bool = False) -> PersonCategory:
    name = _name(name, "категория")
    if _taken(sess, PersonCategory.name, name, PersonCategory.role == role):
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
