"""Scoring a programme: the sheet filled twice per mentee (or per group), «на входе» and
«по итогам», and what a programme's scores add up to.

Why a module apart from ``sheet``: this is where the session comes in (which sheet is
active, which scores a programme already has); the arithmetic stays pure in ``sheet``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session, selectinload

from .. import clock
from ..models import (
    Assessment,
    AssessmentAnswer,
    AssessmentStage,
    Person,
    Program,
    Role,
    SectionInfo,
    Sheet,
)
from . import sheet as rules
from .errors import MonitoringError


def active_sheet(sess: Session) -> Sheet:
    """The sheet new scores use: the active one (the oldest, should several be active)."""
    found = sess.scalars(
        sa.select(Sheet).where(Sheet.active.is_(True)).order_by(Sheet.id).limit(1)
    ).first()
    if found is None:
        raise MonitoringError("Нет действующего листа оценки эффективности: включите один из "
                              "листов в разделе «Мониторинг».")
    return found


def _scores(sess: Session, program: Program) -> list[Assessment]:
    return list(sess.scalars(
        sa.select(Assessment).where(Assessment.program_id == program.id)
        .order_by(Assessment.scored_on, Assessment.id)
    ))


def _find(scores: Iterable[Assessment], person: Person | None,
          stage: AssessmentStage) -> Assessment | None:
    person_id = person.id if person is not None else None
    return next((a for a in scores if a.person_id == person_id and a.stage is stage), None)


def record_assessment(
    sess: Session,
    program: Program,
    *,
    stage: AssessmentStage,
    scored_on: date,
    answers: Iterable[tuple[int, int | str]],
    assessor_name: str = "",
    assessor_account_id: int | None = None,
    person: Person | None = None,
    sheet: Sheet | None = None,
) -> Assessment:
    """Score one mentee (or, with ``person=None``, the group) of a programme at one stage.

    The result is scored on the same sheet as the baseline, so the two can be compared.
    """
    assessor_name = assessor_name.strip()
    if not assessor_name and assessor_account_id is None:
        raise MonitoringError("Укажите, кто заполнил лист оценки.")
    if person is not None and not any(
        p.person_id == person.id and p.role is Role.MENTEE for p in program.participations
    ):
        raise MonitoringError(f"{person.full_name} не наставляемый программы "
                              f"«{program.title}»: оценивают только наставляемых.")
    scores = _scores(sess, program)
    who = f"«{person.full_name}»" if person is not None else "группы в целом"
    if _find(scores, person, stage) is not None:
        raise MonitoringError(f"Оценка {who} «{stage.label}» уже есть: исправьте её, "
                              "а не добавляйте вторую.")
    entry = _find(scores, person, AssessmentStage.ENTRY)
    if stage is AssessmentStage.FINAL:
        if entry is None:
            raise MonitoringError(f"Сначала внесите оценку {who} «на входе»: без неё "
                                  "не с чем сравнить итог.")
        if scored_on < entry.scored_on:
            raise MonitoringError("Оценка по итогам не может быть раньше оценки на входе "
                                  f"({entry.scored_on:%d.%m.%Y}).")
        if sheet is not None and sheet.id != entry.sheet_id:
            raise MonitoringError("Итоговую оценку ставят по тому же листу, что и оценку на "
                                  "входе, иначе их нельзя сравнить.")
        sheet = entry.sheet
    sheet = sheet or active_sheet(sess)
    checked = rules.check_answers(sheet, answers)
    assessment = Assessment(
        program=program, person=person, sheet=sheet, stage=stage, scored_on=scored_on,
        assessor_name=assessor_name, assessor_account_id=assessor_account_id,
        answers=[AssessmentAnswer(indicator_id=i, points=p) for i, p in checked.items()],
    )
    sess.add(assessment)
    return assessment


def rescore(assessment: Assessment, answers: Iterable[tuple[int, int | str]], *,
            scored_on: date | None = None, assessor_name: str | None = None) -> None:
    """Correct a filled sheet: all answers again, checked like the first time (on the
    sheet it was filled on), and, if given, its date and who scored. The row itself is
    touched, so its version moves and a correction begun from an older one is stale."""
    checked = rules.check_answers(assessment.sheet, answers)
    if assessor_name is not None:
        if not assessor_name.strip() and assessment.assessor_account_id is None:
            raise MonitoringError("Укажите, кто заполнил лист оценки.")
        assessment.assessor_name = assessor_name.strip()
    if scored_on is not None:
        sess = object_session(assessment)
        scores = _scores(sess, assessment.program) if sess is not None else []
        entry = _find(scores, assessment.person, AssessmentStage.ENTRY)
        final = _find(scores, assessment.person, AssessmentStage.FINAL)
        if assessment is final and entry is not None and scored_on < entry.scored_on:
            raise MonitoringError("Оценка по итогам не может быть раньше оценки на входе "
                                  f"({entry.scored_on:%d.%m.%Y}).")
        if assessment is entry and final is not None and scored_on > final.scored_on:
            raise MonitoringError("Оценка на входе не может быть позже оценки по итогам "
                                  f"({final.scored_on:%d.%m.%Y}).")
        assessment.scored_on = scored_on
    # Changed in place: a flush inserts before it deletes, and (assessment, indicator) is unique.
    kept = {a.indicator_id: a for a in assessment.answers if a.indicator_id in checked}
    for indicator_id, points in checked.items():
        if indicator_id in kept:
            kept[indicator_id].points = points
    assessment.answers = [kept.get(i) or AssessmentAnswer(indicator_id=i, points=p)
                          for i, p in checked.items()]
    assessment.updated_at = clock.now_utc()


def scored_answers(assessment: Assessment) -> dict[int, int]:
    """The saved answers by indicator id: what a correction form starts from."""
    return {a.indicator_id: a.points for a in assessment.answers}


@dataclass(frozen=True)
class Row:
    """One mentee (``person`` None: the group) with both stages and the change."""

    person: Person | None
    entry: Assessment | None
    final: Assessment | None
    change: rules.Change


def scores_of_programs(sess: Session, programs: Iterable[Program]
                       ) -> dict[int, list[Assessment]]:
    """The scores of many programmes in one statement (with their answers, sheets and
    people), for ``program_scores(..., scores=...)``: a year's figures then cost the same
    whatever the number of programmes."""
    found: dict[int, list[Assessment]] = {p.id: [] for p in programs}
    if found:
        for a in sess.scalars(
            sa.select(Assessment).where(Assessment.program_id.in_(list(found)))
            .options(selectinload(Assessment.answers), selectinload(Assessment.person),
                     selectinload(Assessment.sheet).selectinload(Sheet.levels))
            .order_by(Assessment.scored_on, Assessment.id)
        ):
            found[a.program_id].append(a)
    return found


def program_scores(sess: Session, program: Program,
                   scores: list[Assessment] | None = None) -> list[Row]:
    """Every scored mentee or group of the programme, in the order first scored
    (``scores``: the programme's, read already by ``scores_of_programs``)."""
    scores = _scores(sess, program) if scores is None else scores
    seen: list[Person | None] = []
    for a in scores:
        if a.person not in seen:
            seen.append(a.person)
    rows = []
    for person in seen:
        entry = _find(scores, person, AssessmentStage.ENTRY)
        final = _find(scores, person, AssessmentStage.FINAL)
        rows.append(Row(person, entry, final, rules.change(entry, final)))
    return rows


def final_level(sess: Session, program: Program) -> str | None:
    """The programme's level «по итогам»: the group's score if it was scored as a group,
    otherwise the level of the mentees' mean final total (rounded half up)."""
    return final_level_of([a for a in _scores(sess, program)
                           if a.stage is AssessmentStage.FINAL])


def final_level_of(finals: Sequence[Assessment]) -> str | None:
    """``final_level`` from a programme's final scores already loaded (in the order scored:
    date, then id), so a page of programmes is banded in one query, by the same rule."""
    if not finals:
        return None
    group = next((a for a in finals if a.person_id is None), None)
    if group is not None:
        lv = rules.assessment_level(group)
    else:
        totals = [rules.assessment_total(a) for a in finals]
        mean = (2 * sum(totals) + len(totals)) // (2 * len(totals))
        lv = rules.level(finals[0].sheet, mean)
    return lv.name if lv else None


def level_counts(sess: Session, programs: Iterable[Program]) -> Counter[str]:
    """How many of the given programmes ended at each level (for the aggregate figures;
    which programmes may be counted publicly is ``rules.level_count_clause``)."""
    counts: Counter[str] = Counter()
    for program in programs:
        name = final_level(sess, program)
        if name is not None:
            counts[name] += 1
    return counts


# -- the school's switch ------------------------------------------------------------------


def show_levels_on_site(sess: Session) -> bool:
    """«Показывать итоговый уровень эффективности на сайте» (off until switched on)."""
    return bool(sess.scalar(sa.select(SectionInfo.show_effectiveness_level)
                            .order_by(SectionInfo.id).limit(1)))


def set_show_levels_on_site(sess: Session, on: bool) -> SectionInfo:
    info = sess.scalars(sa.select(SectionInfo).order_by(SectionInfo.id).limit(1)).first()
    if info is None:
        info = SectionInfo()
        sess.add(info)
    info.show_effectiveness_level = on
    return info
