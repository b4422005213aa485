"""The admin read model (``queries/admin.py``): the start page and the choice lists.

The curator sees everything; what is public or not it learns from ``rules``."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event

from mentoring_site.clock import now_utc, to_local
from mentoring_site.models import NewsKind, ProgramStatus, Status
from mentoring_site.queries import Clock
from mentoring_site.queries import admin as aq
from tests import factories as f
from tests.factories import TODAY


def test_the_state_of_an_item_in_an_admin_list(app):
    now = now_utc()
    with app.app_context():
        later = f.news(published_at=now + timedelta(days=2))
        assert aq.publication_state_text(later, now) == (
            f"Выйдет {to_local(later.published_at):%d.%m.%Y %H:%M}")
        assert aq.publication_state_text(f.news(status=Status.DRAFT), now) == "Черновик"
        assert aq.publication_state_text(f.news(), now) == "На сайте"
        gone = f.news(unpublish_at=now - timedelta(seconds=1))
        assert aq.publication_state_text(gone, now) == "Снято с сайта"


def test_the_start_page_says_why_each_case_is_not_on_the_site(app, db):
    now = now_utc()
    done = f.program(db, status=ProgramStatus.COMPLETED, title="Готовая")
    running = f.program(db, status=ProgramStatus.ACTIVE, title="Идущая")
    db.add_all([
        f.case(done, title="черновик", status=Status.DRAFT),
        f.case(done, title="позже", published_at=now + timedelta(days=1)),
        f.case(done, title="снят", unpublish_at=now - timedelta(hours=1)),
        f.case(done, title="на сайте"),
        f.case(running, title="рано"),
    ])
    db.commit()
    board = aq.dashboard(db, Clock(now=now, today=TODAY), to_local(now))
    why = {case.title: reason for case, reason in board.waiting}
    assert set(why) == {"черновик", "позже", "снят", "рано"}
    assert why["черновик"].startswith("Черновик:")
    assert why["позже"].startswith("Выйдет ") and why["позже"].endswith(".")
    assert why["снят"] == "Снят с сайта."
    assert "только после завершения программы «Идущая»" in why["рано"]
    assert [p.title for p in board.ending] == []
    assert board.without_case == []


def test_the_start_page_costs_a_fixed_number_of_statements(app, db):
    hidden = f.person(consented=False)
    prog = f.program(db, status=ProgramStatus.ACTIVE, planned_end_on=TODAY + timedelta(days=3),
                     mentors=[hidden])
    done = f.program(db, status=ProgramStatus.COMPLETED)
    db.add_all([prog, done, f.news(kind=NewsKind.ANNOUNCEMENT, status=Status.DRAFT,
                                   event_starts_at=to_local(now_utc()) + timedelta(days=1))])
    db.commit()
    now = now_utc()
    count = {"n": 0}

    def one(_conn, _cursor, statement, *_args):
        count["n"] += statement.lstrip().upper().startswith("SELECT")

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", one)
    try:
        board = aq.dashboard(db, Clock(now=now, today=TODAY), to_local(now))
    finally:
        event.remove(engine, "before_cursor_execute", one)
    # the five lists and the consents of the people listed; the seven monitoring blocks
    assert count["n"] == 13
    assert [p.id for p in board.ending] == [prog.id]
    assert [p.id for p in board.without_case] == [done.id]
    assert [p.id for p in board.unconsented] == [hidden.id]
    assert len(board.week) == 1


def test_choice_lists(app, db):
    db.add_all([f.person(last_name="Яковлева"), f.person(last_name="Антонова", middle_name=None),
                f.program(db, title="Программа «Старт»", status=ProgramStatus.PLANNED)])
    db.commit()
    def labels(options):  # SelectChoice on WTForms 3.3+, (value, label) before: both unpack
        return [label for _value, label, *_ in options]

    assert labels(aq.people_choices(db)) == ["Антонова Анна", "Яковлева Анна Сергеевна"]
    assert labels(aq.program_choices(db)) == ["Программа «Старт» (планируется)"]
    assert aq.program_form_choices(db)
    assert db.scalar(sa.select(sa.func.count()).select_from(sa.text("mentoring_person"))) == 2
