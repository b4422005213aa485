"""Scoring a programme twice, the school's switch and the rules for showing levels and
scores, on a real database (SQLite and PostgreSQL), without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.models import Assessment, AssessmentStage, ProgramStatus, Sheet
from mentoring_site.monitoring import MonitoringError
from mentoring_site.monitoring import assessments as scoring
from tests import factories as f
from tests import monitoring_support as ms

ENTRY, FINAL = AssessmentStage.ENTRY, AssessmentStage.FINAL
NINE = (1,) * 9
FIFTEEN = (2, 2, 1, 2, 2, 1, 2, 2, 1)


@pytest.fixture
def pair(db):
    mentor, mentee = f.person(), f.person(experience_years=1)
    program = f.program(db, mentors=[mentor], mentees=[mentee])
    db.add(program)
    db.flush()
    return program, mentor, mentee


def _score(db, program, stage, points, person=None, on=date(2026, 1, 20), **kw):
    sheet = scoring.active_sheet(db)
    return scoring.record_assessment(
        db, program, stage=stage, scored_on=on, answers=ms.answers(sheet, points),
        assessor_name=kw.pop("assessor_name", "Куратор программы"), person=person, **kw)


def test_a_mentee_scored_on_entry_and_at_the_end(db, pair):
    program, _, mentee = pair
    _score(db, program, ENTRY, NINE, mentee)
    _score(db, program, FINAL, FIFTEEN, mentee, on=date(2026, 6, 1))
    db.flush()
    [row] = scoring.program_scores(db, program)
    assert row.person is mentee
    assert (row.change.before, row.change.after, row.change.delta) == (9, 15, 6)
    assert (row.change.level_before, row.change.level_after) == ("допустимый", "оптимальный")
    assert scoring.final_level(db, program) == "оптимальный"


def test_scores_are_checked(db, pair):
    program, mentor, mentee = pair
    sheet = scoring.active_sheet(db)
    with pytest.raises(MonitoringError, match="Не оценены показатели"):
        scoring.record_assessment(db, program, stage=ENTRY, scored_on=date(2026, 1, 20),
                                  answers=ms.answers(sheet, NINE)[:5], assessor_name="Куратор",
                                  person=mentee)
    with pytest.raises(MonitoringError, match="кто заполнил"):
        _score(db, program, ENTRY, NINE, mentee, assessor_name=" ")
    with pytest.raises(MonitoringError, match="оценивают только наставляемых"):
        _score(db, program, ENTRY, NINE, mentor)
    with pytest.raises(MonitoringError, match="Сначала внесите оценку"):
        _score(db, program, FINAL, FIFTEEN, mentee)
    _score(db, program, ENTRY, NINE, mentee)
    db.flush()
    with pytest.raises(MonitoringError, match="уже есть"):
        _score(db, program, ENTRY, NINE, mentee)
    with pytest.raises(MonitoringError, match="раньше оценки на входе"):
        _score(db, program, FINAL, FIFTEEN, mentee, on=date(2026, 1, 1))
    other = Sheet(name="Другой лист", active=False)
    db.add(other)
    db.flush()
    with pytest.raises(MonitoringError, match="по тому же листу"):
        _score(db, program, FINAL, FIFTEEN, mentee, on=date(2026, 6, 1), sheet=other)


def test_a_group_scored_as_a_whole_and_a_mean_of_mentees(db):
    a, b = f.person(), f.person()
    group = f.program(db, mentors=[f.person()], mentees=[a, b])
    db.add(group)
    db.flush()
    _score(db, group, ENTRY, NINE, a)
    _score(db, group, ENTRY, NINE, b)
    _score(db, group, FINAL, FIFTEEN, a, on=date(2026, 6, 1))
    _score(db, group, FINAL, (1, 1, 1, 1, 1, 1, 1, 1, 0), b, on=date(2026, 6, 1))
    db.flush()
    assert scoring.final_level(db, group) == "допустимый"  # mean of 15 and 8: 11.5 -> 12
    _score(db, group, ENTRY, NINE)
    _score(db, group, FINAL, (2,) * 9, on=date(2026, 6, 1))
    db.flush()
    assert scoring.final_level(db, group) == "оптимальный"  # the group's own sheet wins
    assert [r.person for r in scoring.program_scores(db, group)] == [a, b, None]


def test_rescore_replaces_all_answers(db, pair):
    program, _, mentee = pair
    entry = _score(db, program, ENTRY, NINE, mentee)
    db.flush()
    scoring.rescore(entry, ms.answers(entry.sheet, FIFTEEN))
    db.flush()
    db.expire(entry)
    assert sum(a.points for a in entry.answers) == 15


def test_an_edited_threshold_in_the_database_changes_the_level(db, pair):
    program, _, mentee = pair
    _score(db, program, ENTRY, NINE, mentee)
    _score(db, program, FINAL, FIFTEEN, mentee, on=date(2026, 6, 1))
    sheet = ms.default_sheet(db)
    optimal, acceptable, _ = sheet.levels
    optimal.min_total, acceptable.max_total = 16, 15
    db.flush()
    assert scoring.final_level(db, program) == "допустимый"


def test_the_switch_is_off_by_default(db):
    assert scoring.show_levels_on_site(db) is False
    scoring.set_show_levels_on_site(db, True)
    db.flush()
    assert scoring.show_levels_on_site(db) is True


def test_level_counts_count_only_completed_shown_programmes(db):
    programs = []
    for status, public, points in [
        (ProgramStatus.COMPLETED, True, FIFTEEN), (ProgramStatus.COMPLETED, True, NINE),
        (ProgramStatus.COMPLETED, False, FIFTEEN), (ProgramStatus.ACTIVE, True, FIFTEEN),
        (ProgramStatus.ENDED_EARLY, True, FIFTEEN),
    ]:
        mentee = f.person()
        p = f.program(db, status=status, is_public=public, mentees=[mentee])
        db.add(p)
        db.flush()
        _score(db, p, ENTRY, NINE, mentee)
        _score(db, p, FINAL, points, mentee, on=date(2026, 6, 1))
        programs.append(p)
    db.flush()
    from mentoring_site.models import Program

    counted = db.scalars(sa.select(Program).where(rules.level_count_clause())).all()
    assert set(counted) == {programs[0], programs[1]}
    assert [rules.counts_in_level_figures(p) for p in programs] == [
        True, True, False, False, False]
    assert dict(scoring.level_counts(db, counted)) == {"оптимальный": 1, "допустимый": 1}


def test_final_level_and_scores_are_public_only_when_completed_and_switched_on(db, pair):
    program, _, mentee = pair
    entry = _score(db, program, ENTRY, NINE, mentee)
    group = _score(db, program, ENTRY, NINE)
    db.flush()
    today = f.TODAY
    for show in (False, True):  # a running programme: nothing, switch or not
        assert not rules.is_final_level_public(program, show)
        assert not rules.is_score_public(entry, show, today)
    program.status = ProgramStatus.COMPLETED
    assert not rules.is_final_level_public(program, False)
    assert not rules.is_score_public(entry, False, today)
    assert not rules.is_score_public(group, False, today)
    assert rules.is_final_level_public(program, True)
    assert rules.is_score_public(entry, True, today) and rules.is_score_public(group, True, today)
    mentee.consents[0].withdrawn_on = today  # a mentee who may not be shown
    assert not rules.is_score_public(entry, True, today)
    assert rules.is_score_public(group, True, today)
    program.is_public = False
    assert not rules.is_final_level_public(program, True)
    assert not rules.is_score_public(group, True, today)


def test_no_active_sheet_is_a_clear_error(db, pair):
    program, _, mentee = pair
    for s in db.scalars(sa.select(Sheet)):
        s.active = False
    db.flush()
    with pytest.raises(MonitoringError, match="Нет действующего листа"):
        scoring.active_sheet(db)
    assert db.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0
