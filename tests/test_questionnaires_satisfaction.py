"""Satisfaction roll-up: the feedback questionnaires' marks per programme and school year
(no HTTP), the same numbers on the admin screen and in the yearly report (XLSX sheet and
DOCX table «Удовлетворённость»)."""

from __future__ import annotations

import io
from datetime import datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from mentoring_site.clock import Clock
from mentoring_site.models import Answer, Questionnaire
from mentoring_site.questionnaires import satisfaction
from mentoring_site.reports.figures import SATISFACTION_HEADER, SchoolYear
from mentoring_site.reports.files import year_report
from tests import factories as f
from tests.admin_support import ADMIN, signed_in
from tests.test_reports import tables

FEEDBACK = "udovletvorennost-uchastiem"
OVERALL = "Насколько вы удовлетворены участием в программе в целом"
MEETINGS = "Насколько полезными были встречи и мероприятия программы"


def _feedback(db, marks: dict[str, int | None], when: datetime, slug=FEEDBACK) -> Answer:
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == slug)).one()
    a = Answer(questionnaire=q, consent_text="Согласие", consent_number=1, submitted_at=when,
               answers={str(x.id): {"question": x.text, "kind": x.kind.value,
                                    "value": marks.get(x.text)} for x in q.questions})
    db.add(a)
    return a


def _setup(db):
    """Programme «Альфа» with three answers in 2025/2026 and one in 2026/2027."""
    program = f.program(db, title="Альфа")
    q = db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == FEEDBACK)).one()
    q.program = program
    _feedback(db, {OVERALL: 5, MEETINGS: 4}, datetime(2025, 10, 1, 9))
    _feedback(db, {OVERALL: 4, MEETINGS: 4}, datetime(2026, 3, 1, 9))
    _feedback(db, {OVERALL: 2}, datetime(2026, 8, 30, 9))
    _feedback(db, {OVERALL: 1, MEETINGS: 1}, datetime(2026, 9, 2, 9))
    # a mentee questionnaire's scale question is not satisfaction
    _feedback(db, {"Насколько уверенно вы чувствуете себя в профессии сейчас": 1},
              datetime(2026, 1, 1, 9), slug="anketa-nastavlyaemogo")
    db.commit()
    return program


def test_marks_roll_up_per_programme_and_school_year(db):
    program = _setup(db)
    groups = satisfaction.rollup(db)
    assert [(g.program_title, g.year_label, g.answers) for g in groups] == [
        ("Альфа", "2026/2027", 1), ("Альфа", "2025/2026", 3)]
    year = groups[1]
    overall, meetings = year.figures[:2]
    assert (overall.question, overall.counts, overall.answered, overall.mean) == (
        OVERALL, [0, 1, 0, 1, 1], 3, 3.67)
    assert (meetings.counts, meetings.mean) == ([0, 0, 0, 2, 0], 4.0)
    assert [g.year for g in satisfaction.rollup(db, year=2026)] == [2026]
    assert satisfaction.rollup(db, program_id=program.id + 1) == []
    # unlinked from the programme: no roll-up at all
    db.scalars(sa.select(Questionnaire).where(Questionnaire.slug == FEEDBACK)).one()\
        .program = None
    db.commit()
    assert satisfaction.rollup(db) == []


def test_the_yearly_report_prints_the_same_numbers(app, db):
    _setup(db)
    clock = Clock.current(app.config["MENTORING_TIMEZONE"])
    year = SchoolYear(2025)
    report = year_report(db, year.label, "xlsx", school="Школа", folder=None, clock=clock)
    sheet = load_workbook(io.BytesIO(report.data))["Удовлетворённость"]
    assert [c.value for c in sheet[2]] == SATISFACTION_HEADER
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    expected = [["Альфа", g.question, g.answered, g.mean, *g.counts]
                for g in satisfaction.rollup(db, year=2025)[0].figures]
    assert rows == expected
    assert rows[0] == ["Альфа", OVERALL, 3, 3.67, 0, 1, 0, 1, 1]
    docx = year_report(db, year.label, "docx", school="Школа", folder=None, clock=clock)
    found = tables(docx.data)["|".join(SATISFACTION_HEADER)]
    assert found[0] == ["Альфа", OVERALL, "3", "3.67", "0", "1", "0", "1", "1"]


def test_the_admin_screen_shows_the_roll_up(app, db):
    _setup(db)
    client = signed_in(app)
    html = client.get(f"{ADMIN}/udovletvorennost/").get_data(as_text=True)
    assert "Альфа, 2025/2026 учебный год: анкет 3" in html
    assert f"<th scope=\"row\">{OVERALL}</th><td>3</td>\n    <td>3.67</td>" in html
    assert "Удовлетворённость участием в программах" in client.get(
        f"{ADMIN}/otvety/").get_data(as_text=True)


def test_the_programme_page_shows_its_own_roll_up(app, db):
    program = _setup(db)
    other = f.program(db, title="Бета")
    db.add(other)
    db.commit()
    client = signed_in(app)
    html = client.get(f"{ADMIN}/programmy/{program.id}/").get_data(as_text=True)
    assert "Удовлетворённость участников" in html
    assert "2025/2026 учебный год: анкет 3" in html and "2026/2027 учебный год: анкет 1" in html
    assert f"<th scope=\"row\">{OVERALL}</th><td>3</td>\n    <td>3.67</td>" in html
    empty = client.get(f"{ADMIN}/programmy/{other.id}/").get_data(as_text=True)
    assert "Ответов на анкету удовлетворённости этой программы пока нет" in empty
