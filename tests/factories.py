"""Small builders of model rows for tests: plain values in, unsaved objects out."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from mentoring_site.db import utcnow
from mentoring_site.models import (
    Case,
    Consent,
    Honor,
    NewsItem,
    NewsKind,
    Participation,
    Person,
    PersonKind,
    PlanEvent,
    Program,
    ProgramForm,
    ProgramStatus,
    ProgramType,
    Role,
    Status,
)

_seq = itertools.count(1)

TODAY = date(2026, 11, 23)


def consent(**fields) -> Consent:
    values = dict(
        signed_on=TODAY - timedelta(days=30),
        allow_name=True,
        allow_position=True,
        allow_photo=True,
        allow_bio=True,
        allow_experience=True,
        allow_awards=True,
        site_url="https://school.example/nastavnichestvo",
    )
    values.update(fields)
    return Consent(**values)


def person(*, consented: bool = True, kind: PersonKind = PersonKind.TEACHER, **fields) -> Person:
    n = next(_seq)
    values = dict(
        slug=f"person-{n}",
        last_name=f"Тестова{n}",
        first_name="Анна",
        middle_name="Сергеевна",
        kind=kind,
        position="Учитель математики",
        subjects="Математика",
        qualification="высшая",
        experience_years=12,
        bio=f"Биография {n}",
        awards="Почётная грамота",
        in_mentor_bank=True,
    )
    values.update(fields)
    p = Person(**values)
    if consented:
        p.consents.append(consent())
    return p


def form(sess) -> ProgramForm:
    return sess.scalar(sa.select(ProgramForm).order_by(ProgramForm.id).limit(1))


def program(sess, *, status=ProgramStatus.ACTIVE, mentors=(), mentees=(), **fields) -> Program:
    n = next(_seq)
    values = dict(
        slug=f"program-{n}",
        title=f"Программа {n}",
        form=form(sess),
        type=ProgramType.TRADITIONAL,
        starts_on=TODAY - timedelta(days=120),
        initial_end_on=TODAY + timedelta(days=120),
        planned_end_on=TODAY + timedelta(days=120),
        status=status,
    )
    values.update(fields)
    p = Program(**values)
    for m in mentors:
        p.participations.append(Participation(person=m, role=Role.MENTOR))
    for m in mentees:
        p.participations.append(Participation(person=m, role=Role.MENTEE))
    p.events.append(PlanEvent(title="Встреча", due_on=TODAY, done_on=TODAY))
    return p


def case(prog: Program, *, status=Status.PUBLISHED, published_at: datetime | None = None,
         **fields) -> Case:
    n = next(_seq)
    values = dict(
        slug=f"case-{n}",
        title=f"Кейс {n}",
        summary="Кратко",
        body="Текст кейса",
        program=prog,
        status=status,
        published_at=published_at or utcnow() - timedelta(days=1),
    )
    values.update(fields)
    return Case(**values)


def news(*, kind=NewsKind.NEWS, status=Status.PUBLISHED, **fields) -> NewsItem:
    n = next(_seq)
    values = dict(
        slug=f"news-{n}",
        title=f"Новость {n}",
        summary="Кратко",
        body="Текст",
        kind=kind,
        status=status,
        published_at=utcnow() - timedelta(hours=1),
    )
    values.update(fields)
    return NewsItem(**values)


def honor(who: Person, **fields) -> Honor:
    values = dict(
        person=who, title="Лучший наставник", year=2026, citation="За работу",
        status=Status.PUBLISHED, published_at=utcnow() - timedelta(days=1),
    )
    values.update(fields)
    return Honor(**values)
