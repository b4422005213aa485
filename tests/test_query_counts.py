"""Every public page costs a fixed number of SQL statements, with 10 rows or 1,000."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import selectinload

from mentoring_site.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentStage,
    Direction,
    Program,
    Role,
    Sheet,
)
from mentoring_site.monitoring import assessments
from tests import factories as f
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"


@pytest.fixture(scope="module")
def migrated(_templates):
    """The migrated empty database, made once per session (conftest): each measure copies
    it rather than running the migrations again (six times in this module)."""
    return _templates("sqlite", False)


_made: list = []  # the apps a test made, their engines closed after it


@pytest.fixture(autouse=True)
def _close_engines():
    yield
    while _made:
        _made.pop().extensions["mentoring"].engine.dispose()


def fresh_app(migrated, folder, name: str, **config):
    """An app on a copy of the migrated empty database."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated.source, folder / f"{name}.sqlite")
    app = make_app(f"sqlite:///{folder / f'{name}.sqlite'}", folder / name, **config)
    _made.append(app)
    return app


URLS = [
    "/", "/normativnaya-baza/", "/normativnaya-baza/utratili-silu/",
    "/metodicheskie-materialy/", "/programmy/", "/programmy/?status=zaversheny",
    "/programmy/big/", "/programmy/prog1/", "/nastavniki/", "/nastavlyaemye/", "/lyudi/p1/",
    "/lyudi/p0/", "/luchshie-praktiki/", "/luchshie-praktiki/case1/", "/nashi-nastavniki/",
    "/novosti/", "/novosti/?vid=anonsy", "/novosti/n1/", "/page1/", "/programmy/?page=2",
    "/programmy/?napravlenie={direction}", "/programmy/?napravlenie={direction}&page=2",
    "/api/v1/programs?per_page=100", "/api/v1/summary", "/shkola-nastavnichestva/",
]

#: What a page must show for its count to mean something.
SHOWS = {
    "/programmy/big/": "Результаты мониторинга эффективности",
    "/programmy/prog1/": "Итоговый уровень наставляемых",
    "/programmy/?napravlenie={direction}&page=2": " selected>",
    "/api/v1/programs?per_page=100": '"effectiveness":{"sheet":',
    "/api/v1/summary": '"effectiveness":[{"level":',
    "/shkola-nastavnichestva/": "Мероприятие состоялось.",
}


def add_monitoring(sess) -> int:
    """Levels switched on, every mentee of every (completed) programme scored at the end,
    one direction on every programme: the pages show all of it. Returns the direction.

    The scores are written as two bulk INSERTs (ORM bulk mode: the models' defaults apply),
    not as objects: with 1,000 programmes that is a few thousand rows, and building them as
    objects was a third of the module's time."""
    sheet = sess.scalars(sa.select(Sheet).order_by(Sheet.id)).first()
    direction = sess.scalars(sa.select(Direction).order_by(Direction.id)).first()
    programs = sess.scalars(sa.select(Program).options(
        selectinload(Program.participations), selectinload(Program.directions))).all()
    scored = []
    for prog in programs:
        prog.directions.append(direction)
        scored += [dict(program_id=prog.id, person_id=part.person_id, sheet_id=sheet.id,
                        stage=AssessmentStage.FINAL, scored_on=date(2026, 1, 20),
                        assessor_name="Куратор")
                   for part in prog.participations if part.role is Role.MENTEE]
    ids = sess.scalars(sa.insert(Assessment).returning(
        Assessment.id, sort_by_parameter_order=True), scored).all()
    sess.execute(sa.insert(AssessmentAnswer), [
        dict(assessment_id=a, indicator_id=i.id, points=2)
        for a in ids for i in sheet.indicators])
    assessments.set_show_levels_on_site(sess, True)
    sess.commit()
    return direction.id


@contextmanager
def count_statements(engine):
    counter = {"n": 0}

    def _count(*_args):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def measure(migrated, tmp_path, n: int) -> dict[str, int]:
    app = fresh_app(migrated, tmp_path, f"q{n}", MENTORING_PER_PAGE=5,
                    MENTORING_MENTOR_SCHOOL=True)
    with app.app_context():
        f.populate(app.extensions["mentoring"].session(), n)
        direction = add_monitoring(app.extensions["mentoring"].session())
    client = app.test_client()
    counts = {}
    for url in URLS:
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.get(PREFIX + url.format(direction=direction))
        assert resp.status_code == 200, url
        assert SHOWS.get(url, "") in resp.get_data(as_text=True), url
        counts[url] = c["n"]
    return counts


@pytest.mark.slow
def test_statement_count_does_not_grow_with_data(migrated, tmp_path):
    small = measure(migrated, tmp_path, 10)
    large = measure(migrated, tmp_path, 1000)
    assert small == large
    assert max(small.values()) <= 12, sorted(small.items())


def measure_questionnaires(migrated, tmp_path, n: int) -> dict[str, int]:
    """The questionnaire list and form with ``n`` open questionnaires of ``n`` questions and
    ``n`` answers: answers are never read by these pages, the rest is one query per list."""
    from mentoring_site import clock, questionnaires
    from mentoring_site.models import Answer, Question, QuestionKind, Questionnaire

    app = fresh_app(migrated, tmp_path, f"qq{n}")
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for i in range(n):
            sess.add(Questionnaire(slug=f"q{i}", title=f"Анкета {i}", is_open=True, sort=i + 10,
                                   questions=[Question(kind=QuestionKind.SHORT, text=f"В{j}")
                                              for j in range(n)]))
            sess.add(Answer(questionnaire_id=1, answers={}, consent_text="т", consent_number=1))
        sess.commit()
    client = app.test_client()
    counts = {}
    for url in ("/ankety/", "/ankety/q0/", "/ankety/q0/spasibo/"):
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.get(PREFIX + url)
        assert resp.status_code == 200, url
        counts[url] = c["n"]
    with app.test_request_context():
        stamp = questionnaires.issue_stamp(5, 1, at=clock.epoch_seconds() - 60)  # q1: id 5
    for label, data in (("bad input", {"stamp": stamp}),
                        ("stored", {"stamp": stamp, "consent": "1"})):
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.post(PREFIX + "/ankety/q1/", data=data)
        assert resp.status_code == (200 if label == "bad input" else 303), label
        counts[label] = c["n"]
    return counts


@pytest.mark.slow
def test_questionnaire_pages_cost_a_fixed_number_of_statements(migrated, tmp_path):
    small = measure_questionnaires(migrated, tmp_path, 3)
    large = measure_questionnaires(migrated, tmp_path, 60)
    assert small == large
    assert max(small.values()) <= 20, small  # storing: the limits, the answer, the commit


def measure_registration(migrated, tmp_path, n: int) -> dict[str, int]:
    """An announcement's page with the registration form, with ``n`` registrations and
    ``n`` other announcements: registrations are only counted, never read."""
    from datetime import timedelta

    from mentoring_site import clock, events
    from mentoring_site.models import EventRegistration, NewsKind, Registration

    app = fresh_app(migrated, tmp_path, f"ev{n}")
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        starts = clock.now_local() + timedelta(days=5)
        for i in range(n):
            sess.add(f.news(slug=f"e{i}", kind=NewsKind.ANNOUNCEMENT, event_starts_at=starts))
        sess.flush()
        sess.add(EventRegistration(news_id=1, is_open=True, capacity=n * 2, day_details="x"))
        for i in range(n):
            sess.add(Registration(news_id=1, name=f"Участник {i}", organisation="Школа",
                                  email=f"p{i}@example.ru", consent_text="т", consent_number=1))
        sess.commit()
    client = app.test_client()
    counts = {}
    for url in ("/novosti/e0/", "/novosti/e1/", "/novosti/e0/registraciya/spasibo/"):
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.get(PREFIX + url)
        assert resp.status_code == 200, url
        counts[url] = c["n"]
    with app.test_request_context():
        consent = events.consent_in_force(app.extensions["mentoring"].session())
        stamp = events.issue_stamp(1, consent.number, at=clock.epoch_seconds() - 60)
    good = {"stamp": stamp, "name": "Тестова Анна", "organisation": "Школа",
            "email": "anna@example.ru", "consent": "1"}
    for label, data in (("bad input", {"stamp": stamp}), ("stored", good)):
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.post(PREFIX + "/novosti/e0/registraciya/", data=data)
        assert resp.status_code == (200 if label == "bad input" else 303), label
        counts[label] = c["n"]
    return counts


@pytest.mark.slow
def test_an_announcement_with_the_registration_form_costs_a_fixed_number_of_statements(
        migrated, tmp_path):
    small = measure_registration(migrated, tmp_path, 3)
    large = measure_registration(migrated, tmp_path, 200)
    assert small == large
    assert max(small.values()) <= 25, small  # storing: the limits, the row, the letter, commit


def measure_mentor_school(migrated, tmp_path, n: int) -> int:
    """«Школа наставничества» with ``n`` coming events taking registrations (each with ``n``
    registrations), ``n`` past ones and ``n`` materials for mentors: one statement per list,
    the registrations' settings and places counted for all the events at once."""
    from datetime import timedelta

    from mentoring_site import clock
    from mentoring_site.models import (
        EventRegistration,
        Material,
        MaterialKind,
        NewsKind,
        Registration,
        Status,
    )

    app = fresh_app(migrated, tmp_path, f"ms{n}", MENTORING_MENTOR_SCHOOL=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        now = clock.now_local()
        coming = [f.news(slug=f"c{i}", kind=NewsKind.ANNOUNCEMENT,
                         event_starts_at=now + timedelta(days=i + 1)) for i in range(n)]
        sess.add_all(coming)
        sess.add_all(f.news(slug=f"h{i}", kind=NewsKind.ANNOUNCEMENT,
                            event_starts_at=now - timedelta(days=i + 1)) for i in range(n))
        sess.add_all(Material(slug=f"m{i}", title=f"Материал {i}", status=Status.PUBLISHED,
                              kind=MaterialKind.PRESENTATION, url="https://e.example/")
                     for i in range(n))
        sess.flush()
        for item in coming:
            sess.add(EventRegistration(news_id=item.id, is_open=True, capacity=n * 2))
            sess.add_all(Registration(news_id=item.id, name=f"Участник {j}", organisation="Ш",
                                      email=f"p{j}@example.ru", consent_text="т",
                                      consent_number=1) for j in range(n))
        sess.commit()
    with count_statements(app.extensions["mentoring"].engine) as c:
        resp = app.test_client().get(PREFIX + "/shkola-nastavnichestva/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert f"Свободных мест: {n} из {n * 2}" in html and "Мероприятие состоялось." in html
    assert f"Материал {n - 1}" in html  # the newest first
    return c["n"]


def test_the_mentor_school_costs_a_fixed_number_of_statements(migrated, tmp_path):
    small = measure_mentor_school(migrated, tmp_path, 3)
    assert small == measure_mentor_school(migrated, tmp_path, 60)
    assert small <= 12, small
