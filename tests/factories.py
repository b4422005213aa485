"""Small builders of model rows for tests: plain values in, unsaved objects out."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from mentoring_site.clock import now_utc
from mentoring_site.models import (
    Case,
    CasePhoto,
    Consent,
    DocKind,
    DocLevel,
    Document,
    Honor,
    Material,
    MaterialKind,
    MediaFile,
    MediaKind,
    NewsItem,
    NewsKind,
    Page,
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
        # looked up only when not given: the lookup flushes everything pending first
        form=fields["form"] if "form" in fields else form(sess),
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
        published_at=published_at or now_utc() - timedelta(days=1),
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
        published_at=now_utc() - timedelta(hours=1),
    )
    values.update(fields)
    return NewsItem(**values)


def honor(who: Person, **fields) -> Honor:
    values = dict(
        person=who, title="Лучший наставник", year=2026, citation="За работу",
        status=Status.PUBLISHED, published_at=now_utc() - timedelta(days=1),
    )
    values.update(fields)
    return Honor(**values)


def populate(sess, n: int) -> None:
    """``n`` of everything, all public: for statement counts and the benchmark.

    The form is looked up once, before anything is added: a lookup per programme
    autoflushed the pending rows each time (a thousand small flushes, most of
    test_query_counts' time); now everything is written by the one flush of the commit.
    """
    past = now_utc() - timedelta(days=1)
    the_form = form(sess)
    media = [
        MediaFile(stored_name=f"img{i}.jpg", original_name=f"фото {i}.jpg",
                  content_type="image/jpeg", size=10, kind=MediaKind.IMAGE,
                  alt_text=f"Фото {i}", thumb_name=f"img{i}-t.jpg")
        for i in range(n)
    ]
    people = [person(slug=f"p{i}", in_mentee_bank=True, photo=media[i]) for i in range(n)]
    sess.add_all(people)
    big = program(sess, slug="big", status=ProgramStatus.COMPLETED, form=the_form,
                    mentors=people[:1], mentees=people[1:])
    sess.add(big)
    for i in range(n):
        prog = program(sess, slug=f"prog{i}", status=ProgramStatus.COMPLETED, form=the_form,
                         mentors=[people[i]], mentees=[people[(i + 1) % n]])
        story = case(prog, slug=f"case{i}")
        story.photos.append(CasePhoto(media=media[i], caption="Фото"))
        sess.add_all([prog, story])
        sess.add(news(slug=f"n{i}", kind=NewsKind.ANNOUNCEMENT if i % 2 else NewsKind.NEWS,
                        event_starts_at=past + timedelta(days=i)))
        sess.add(honor(people[i], partner=people[(i + 1) % n]))
        sess.add(Document(slug=f"d{i}", title=f"Акт {i}", level=list(DocLevel)[i % 4],
                          kind=DocKind.ORDER, number=str(i), status=Status.PUBLISHED,
                          published_at=past, in_force=bool(i % 3)))
        sess.add(Material(slug=f"m{i}", title=f"Материал {i}", kind=MaterialKind.TEMPLATE,
                          status=Status.PUBLISHED, published_at=past, url="https://e.example/"))
    for i in range(3):
        sess.add(Page(slug=f"page{i}", title=f"Страница {i}", body="Текст",
                      status=Status.PUBLISHED, published_at=past))
    sess.commit()
