"""Satisfaction roll-up: the scale questions (1–5) of the feedback questionnaires tied to a
programme, per programme and per school year — how many answered, the mean, how many gave
each mark. The admin shows it; the yearly report prints it (``reports.figures``).

Which answers count: those of a questionnaire whose purpose is feedback and which is tied
to a programme *now* (a questionnaire moved to another programme takes its answers along:
the curator ties one survey to one programme). A question is known by its text as the
person saw it, so a reworded question is a new row and the marks are never mixed. The
school year (1 September – 31 August) is the one of the day the answer came, school's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import clock
from ..models import Answer, Program, Questionnaire, QuestionnairePurpose

MARKS = (1, 2, 3, 4, 5)


@dataclass
class ScaleFigure:
    """One scale question: how many gave each mark (``counts[0]`` is the number of 1s)."""

    question: str
    counts: list[int] = field(default_factory=lambda: [0] * len(MARKS))

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        n = self.answered
        total = sum(m * c for m, c in zip(MARKS, self.counts, strict=True))
        return round(total / n, 2) if n else None


@dataclass
class Rollup:
    """One programme in one school year."""

    program_id: int
    program_title: str
    year: int  # the calendar year the school year starts in
    answers: int = 0
    figures: list[ScaleFigure] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return f"{self.year}/{self.year + 1}"

    def figure(self, question: str) -> ScaleFigure:
        for f in self.figures:
            if f.question == question:
                return f
        self.figures.append(ScaleFigure(question))
        return self.figures[-1]


def school_year_of(answer: Answer) -> int:
    day = clock.to_local(answer.submitted_at).date()
    return day.year if day.month >= 9 else day.year - 1


def rollup(sess: Session, *, program_id: int | None = None, year: int | None = None
           ) -> list[Rollup]:
    """Per programme (by title) and school year (newest first), the scale questions in the
    order asked. One read."""
    stmt = (sa.select(Answer, Program.id, Program.title)
            .join(Questionnaire, Answer.questionnaire_id == Questionnaire.id)
            .join(Program, Questionnaire.program_id == Program.id)
            .where(Questionnaire.purpose == QuestionnairePurpose.FEEDBACK)
            .order_by(Answer.submitted_at, Answer.id))
    if program_id is not None:
        stmt = stmt.where(Program.id == program_id)
    found: dict[tuple[int, int], Rollup] = {}
    for answer, pid, title in sess.execute(stmt):
        y = school_year_of(answer)
        if year is not None and y != year:
            continue
        group = found.setdefault((pid, y), Rollup(pid, title, y))
        group.answers += 1
        for item in (answer.answers or {}).values():
            if isinstance(item, dict) and item.get("kind") == "scale" \
                    and type(item.get("value")) is int and item["value"] in MARKS:
                group.figure(str(item.get("question", ""))).counts[item["value"] - 1] += 1
    return sorted(found.values(), key=lambda r: (-r.year, r.program_title, r.program_id))
