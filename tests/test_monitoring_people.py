"""Directions, categories and «молодые специалисты без наставника», without HTTP."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mentoring_site.models import Direction, PersonCategory, PersonKind, ProgramStatus, Role
from mentoring_site.monitoring import MonitoringError, catalogs
from mentoring_site.monitoring.people import young_specialists_without_mentor
from tests import factories as f


def _young_category(db) -> PersonCategory:
    return db.scalars(sa.select(PersonCategory).where(
        PersonCategory.young_specialist.is_(True))).one()


def test_young_specialists_without_a_mentor(db):
    novice = f.person(experience_years=0)
    third_year = f.person(experience_years=3)
    fourth_year = f.person(experience_years=4)
    unknown = f.person(experience_years=None)
    by_category = f.person(experience_years=None)
    student = f.person(kind=PersonKind.STUDENT, experience_years=1)
    mentored = f.person(experience_years=1)
    planned = f.person(experience_years=2)
    finished = f.person(experience_years=2)
    young_mentor = f.person(experience_years=2)
    db.add_all([novice, third_year, fourth_year, unknown, by_category, student, mentored,
                planned, finished, young_mentor])
    db.flush()
    catalogs.set_categories(db, by_category, [_young_category(db).id])
    db.add_all([
        f.program(db, mentors=[f.person()], mentees=[mentored]),
        f.program(db, status=ProgramStatus.PLANNED, mentors=[f.person()], mentees=[planned]),
        f.program(db, status=ProgramStatus.COMPLETED, mentors=[f.person()], mentees=[finished]),
        f.program(db, mentors=[young_mentor], mentees=[f.person(experience_years=20)]),
    ])
    db.flush()
    found = young_specialists_without_mentor(db)
    assert set(found) == {novice, third_year, by_category, finished, young_mentor}


def test_categories_are_data_with_a_role(db):
    mentee_names = [c.name for c in catalogs.categories(db, Role.MENTEE)]
    assert mentee_names[0] == "Молодой специалист (стаж 0–3 года)"
    assert "Эмоциональное выгорание, хроническая усталость" in mentee_names
    assert [c.name for c in catalogs.categories(db, Role.MENTOR)] == [
        "Мотивированный помогать молодым специалистам", "Заинтересованный в тиражировании опыта"]
    added = catalogs.add_category(db, " Педагог,  вернувшийся из декретного отпуска ",
                                  Role.MENTEE)
    db.flush()
    assert added.name == "Педагог, вернувшийся из декретного отпуска"
    with pytest.raises(MonitoringError, match="уже есть"):
        catalogs.add_category(db, "педагог, вернувшийся из декретного отпуска", Role.MENTEE)
    person = f.person()
    db.add(person)
    catalogs.set_categories(db, person, [added.id, _young_category(db).id])
    db.flush()
    assert [c.name for c in person.categories][0] == "Молодой специалист (стаж 0–3 года)"


def test_directions_many_per_programme(db):
    names = list(db.scalars(sa.select(Direction.name).order_by(Direction.sort)))
    assert len(names) == 10 and names[-1].startswith("Ранняя профилизация")
    program = f.program(db)
    db.add(program)
    extra = catalogs.add_direction(db, "Методика преподавания")
    db.flush()
    ids = db.scalars(sa.select(Direction.id).order_by(Direction.sort.desc()).limit(2)).all()
    catalogs.set_directions(db, program, [extra.id, ids[1]])
    db.flush()
    assert program.direction_names == (
        "Ранняя профилизация при организации ФГОС нового поколения; Методика преподавания")
    with pytest.raises(MonitoringError, match="обновите страницу"):
        catalogs.set_directions(db, program, [999_999])
    with pytest.raises(MonitoringError, match="уже есть"):
        catalogs.add_direction(db, "методика преподавания")
    with pytest.raises(MonitoringError, match="Введите название"):
        catalogs.add_work_form(db, "  ")
