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


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _taken(sess: Session, model, name: str, *where, exclude_id: int | None = None) -> bool:
    """Compared in Python: SQLite's lower() folds only ASCII, not Cyrillic; lists are short.
    ``no_autoflush``: the record being saved may sit half-edited in the session."""
    folded = _fold(name)
    with sess.no_autoflush:
        rows = sess.execute(sa.select(model.id, model.name).where(*where)).all()
    return any(_fold(r.name) == folded and r.id != exclude_id for r in rows)


_WHAT = {Direction: "Направление", WorkForm: "Форма работы", PersonCategory: "Категория"}


def duplicate_name(sess: Session, entry: Direction | WorkForm | PersonCategory) -> str | None:
    """Why an entry of a list may not take its name: another entry of the list (a category:
    of the same role) already has it, letter case and spaces aside. The one rule for the
    admin's forms and the functions below: a second «Супервизия» would only split the
    report's counts."""
    where = [PersonCategory.role == entry.role] if isinstance(entry, PersonCategory) else []
    name = entry.name or ""
    if not _taken(sess, type(entry), name, *where, exclude_id=entry.id):
        return None
    return f"{_WHAT[type(entry)]} «{' '.join(name.split())}» уже есть в списке."


def _next_sort(sess: Session, model) -> int:
    return (sess.scalar(sa.select(sa.func.max(model.sort))) or 0) + 1


def _refuse_duplicate(sess: Session, entry) -> None:
    problem = duplicate_name(sess, entry)
    if problem:
        raise MonitoringError(problem)


def add_direction(sess: Session, name: str) -> Direction:
    direction = Direction(name=_name(name, "направление наставничества"),
                          sort=_next_sort(sess, Direction))
    _refuse_duplicate(sess, direction)
    sess.add(direction)
    return direction


def add_work_form(sess: Session, name: str) -> WorkForm:
    form = WorkForm(name=_name(name, "форма работы"), sort=_next_sort(sess, WorkForm))
    _refuse_duplicate(sess, form)
    sess.add(form)
    return form


def add_category(sess: Session, name: str, role: Role, *,
                 young_specialist: bool = False) -> PersonCategory:
    category = PersonCategory(name=_name(name, "категория"), role=role,
                              young_specialist=young_specialist,
                              sort=_next_sort(sess, PersonCategory))
    _refuse_duplicate(sess, category)
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
