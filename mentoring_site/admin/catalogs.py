"""The school's own lists for monitoring: directions of mentoring, forms of work, categories
of mentees and mentors. Generic admin kinds: saved, journalled and deleted through
``editing`` like any record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import sqlalchemy as sa

from ..db import session
from ..models import Direction, Person, PersonCategory, Program, Role, WorkForm
from ..models.monitoring import person_category_link
from ..monitoring import catalogs
from ..queries import admin as admin_queries
from ..queries import admin_monitoring
from ..urls import small_int
from .crud import Kind, ListFilter, register
from .forms_monitoring import CategoryForm, DirectionForm, WorkFormForm


def _unique_name(sess, entry) -> list[tuple[str, str]]:
    """The list's one rule (``monitoring.catalogs.duplicate_name``), put at the name field."""
    problem = catalogs.duplicate_name(sess, entry)
    return [("name", problem)] if problem else []


def _direction_in_use(sess, direction: Direction) -> str | None:
    used = sess.scalars(sa.select(Program.title).where(
        Program.directions.any(Direction.id == direction.id)).order_by(Program.title).limit(3)
    ).all()
    if not used:
        return None
    return ("Направление указано в программах: " + "; ".join(f"«{t}»" for t in used)
            + ". Сначала уберите его из этих программ.")


def _category_in_use(sess, category: PersonCategory) -> str | None:
    n = sess.scalar(sa.select(sa.func.count()).select_from(person_category_link).where(
        person_category_link.c.category_id == category.id))
    if not n:
        return None
    return (f"Категория указана у людей ({n}). Сначала уберите её в их карточках.")


register(Kind(
    name="direction", url="napravleniya", model=Direction, form=DirectionForm,
    plural="Направления наставничества", singular="направление",
    columns=[("Направление", lambda o: o.name), ("Порядок", lambda o: o.sort)],
    search=(Direction.name,), order_by=(Direction.sort, Direction.id), slug_source=None,
    problems=_unique_name, delete_problem=_direction_in_use,
))

register(Kind(
    name="work_form", url="formy-raboty", model=WorkForm, form=WorkFormForm,
    plural="Формы работы", singular="форму работы",
    columns=[("Форма работы", lambda o: o.name), ("Порядок", lambda o: o.sort)],
    search=(WorkForm.name,), order_by=(WorkForm.sort, WorkForm.id), slug_source=None,
    problems=_unique_name,
))

register(Kind(
    name="category", url="kategorii", model=PersonCategory, form=CategoryForm,
    plural="Категории наставников и наставляемых", singular="категорию",
    columns=[("Категория", lambda o: o.name), ("Для кого", lambda o: o.role.label),
             ("Молодой специалист", lambda o: "да" if o.young_specialist else "")],
    search=(PersonCategory.name,), order_by=(PersonCategory.role, PersonCategory.sort,
                                              PersonCategory.id),
    slug_source=None, delete_problem=_category_in_use, problems=_unique_name,
    filters={"dlya": ListFilter("Для кого", {r.value: r.label for r in Role},
                                lambda v: PersonCategory.role == Role(v))},
))


class ListOptions(Mapping):
    """A list filter's options read from one of the school's lists when the page is shown
    (the list is data: a direction added today is a filter today)."""

    def __init__(self, load) -> None:
        self._load = load

    def _options(self) -> dict[str, str]:
        return {str(value): label for value, label, *_ in self._load(session())}

    def __getitem__(self, key: str) -> str:
        return self._options()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._options())

    def __len__(self) -> int:
        return len(self._options())

    def __contains__(self, key: object) -> bool:
        return small_int(key) is not None and key in self._options()


def direction_filter() -> ListFilter:
    """Programmes by direction, in the admin list."""
    return ListFilter("Направление", ListOptions(admin_queries.direction_choices),
                      lambda v: Program.directions.any(Direction.id == int(v)))


def category_filter() -> ListFilter:
    return ListFilter("Категория", ListOptions(admin_monitoring.category_choices),
                      lambda v: Person.categories.any(PersonCategory.id == int(v)))
