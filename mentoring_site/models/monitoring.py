"""Monitoring as data the school edits: the effectiveness sheet and its scores, the lists
of directions, categories and forms of work, and plan templates.

Why data and not code: the regulations give a default (the gymnasium's sheet of 3
criteria and 9 indicators scored 2 / 1 / 0, the regional order's nine directions and its
typical plan), but each school adopts its own programme and may word, add or reweigh
them. The first monitoring migration (0003) seeds the defaults; the rules that compute
totals and levels live in ``monitoring/sheet.py``.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .people import Person
from .programs import PlanStage, Program, Role

# -- the effectiveness sheet ------------------------------------------------------------------


class Sheet(Timestamped, Base):
    """A sheet of criteria and indicators; new scores use the active one."""

    __tablename__ = "mentoring_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan",
        order_by="(Criterion.sort, Criterion.id)",
    )
    answers: Mapped[list[AnswerOption]] = relationship(
        cascade="all, delete-orphan", order_by="(AnswerOption.sort, AnswerOption.id)"
    )
    levels: Mapped[list[Level]] = relationship(
        cascade="all, delete-orphan", order_by="(Level.sort, Level.id)"
    )

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.criteria for i in c.indicators]


class Criterion(Base):
    __tablename__ = "mentoring_sheet_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_sheet.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    sort: Mapped[int] = mapped_column(default=0)

    sheet: Mapped[Sheet] = relationship(back_populates="criteria")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan",
        order_by="(Indicator.sort, Indicator.id)",
    )


class Indicator(Base):
    __tablename__ = "mentoring_sheet_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_sheet_criterion.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    sort: Mapped[int] = mapped_column(default=0)

    criterion: Mapped[Criterion] = relationship(back_populates="indicators")


class AnswerOption(Base):
    """One step of the answer scale: «Проявляется в полной мере» — 2 балла, ..."""

    __tablename__ = "mentoring_sheet_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_sheet.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(200))
    points: Mapped[int] = mapped_column(sa.Integer)
    sort: Mapped[int] = mapped_column(default=0)


class Level(Base):
    """A named band of totals, both ends included: «оптимальный», 15–18."""

    __tablename__ = "mentoring_sheet_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_sheet.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    min_total: Mapped[int] = mapped_column(sa.Integer)
    max_total: Mapped[int] = mapped_column(sa.Integer)
    sort: Mapped[int] = mapped_column(default=0)


# -- scores -----------------------------------------------------------------------------------


class AssessmentStage(LabeledEnum):
    ENTRY = "entry", "на входе"
    FINAL = "final", "по итогам"


class Assessment(Timestamped, Base):
    """One filled sheet: a mentee (or, without a person, the group) at one stage."""

    __tablename__ = "mentoring_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    # None: the group as a whole was scored.
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_person.id", ondelete="CASCADE"), index=True
    )
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_sheet.id"), index=True)
    stage: Mapped[AssessmentStage] = mapped_column(enum_column(AssessmentStage))
    scored_on: Mapped[date] = mapped_column(sa.Date)
    # Who scored: a name as written, or the curator's account (or both).
    assessor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    assessor_account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_account.id", ondelete="SET NULL")
    )

    program: Mapped[Program] = relationship()
    person: Mapped[Person | None] = relationship()
    sheet: Mapped[Sheet] = relationship()
    answers: Mapped[list[AssessmentAnswer]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentAnswer.id"
    )


class AssessmentAnswer(Base):
    __tablename__ = "mentoring_assessment_answer"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_id", name="assessment_indicator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_assessment.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_sheet_indicator.id"))
    points: Mapped[int] = mapped_column(sa.Integer)

    indicator: Mapped[Indicator] = relationship()


# -- editable lists ---------------------------------------------------------------------------

program_direction = sa.Table(
    "mentoring_program_direction",
    Base.metadata,
    sa.Column("program_id", sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("direction_id", sa.ForeignKey("mentoring_direction.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)

person_category_link = sa.Table(
    "mentoring_person_category_link",
    Base.metadata,
    sa.Column("person_id", sa.ForeignKey("mentoring_person.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("category_id", sa.ForeignKey("mentoring_person_category.id", ondelete="CASCADE"),
              primary_key=True, index=True),
)


class Direction(Base):
    """A direction of mentoring (regional order 2.5); a programme may have several."""

    __tablename__ = "mentoring_direction"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    sort: Mapped[int] = mapped_column(default=0)


class PersonCategory(Base):
    """A category of the bank of mentees or of mentors (gymnasium programme, part 4)."""

    __tablename__ = "mentoring_person_category"
    __table_args__ = (sa.UniqueConstraint("role", "name", name="role_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Counts a person as a young specialist whatever their recorded experience.
    young_specialist: Mapped[bool] = mapped_column(default=False)
    sort: Mapped[int] = mapped_column(default=0)


class WorkForm(Base):
    """A form of work for a plan item: консультация, супервизия, стажировка, ..."""

    __tablename__ = "mentoring_work_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    sort: Mapped[int] = mapped_column(default=0)


# -- plan templates ---------------------------------------------------------------------------


class PlanTemplate(Base):
    """A named plan the curator copies into a new programme (``monitoring.plan``)."""

    __tablename__ = "mentoring_plan_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    items: Mapped[list[PlanTemplateItem]] = relationship(
        cascade="all, delete-orphan", order_by="(PlanTemplateItem.sort, PlanTemplateItem.id)"
    )


class PlanTemplateItem(Base):
    __tablename__ = "mentoring_plan_template_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_plan_template.id", ondelete="CASCADE"), index=True
    )
    sort: Mapped[int] = mapped_column(default=0)
    stage: Mapped[PlanStage] = mapped_column(enum_column(PlanStage))
    work_form_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_work_form.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    responsible: Mapped[str] = mapped_column(sa.String(300), default="")
    # The item is due this many days after the programme starts.
    due_offset_days: Mapped[int] = mapped_column(sa.Integer, default=0)

    work_form: Mapped[WorkForm | None] = relationship()
