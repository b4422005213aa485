"""Personalised mentoring programmes: who, which form and type, when, how it went."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .media import MediaFile
from .people import Person

if TYPE_CHECKING:
    from .monitoring import Direction, WorkForm


class TargetGroup(LabeledEnum):
    # Teachers: the model of письмо Минпросвещения АЗ-1128/08; students: Р-145.
    TEACHERS = "teachers", "Педагогические работники"
    STUDENTS = "students", "Обучающиеся"


class ProgramType(LabeledEnum):
    TRADITIONAL = "traditional", "Традиционное"
    GROUP = "group", "Групповое"
    REVERSE = "reverse", "Реверсивное"
    VIRTUAL = "virtual", "Виртуальное"
    SITUATIONAL = "situational", "Ситуационное"
    SPEED = "speed", "Скоростное"
    SHORT_TERM = "short_term", "Краткосрочное"


class ProgramStatus(LabeledEnum):
    PLANNED = "planned", "Планируется"
    ACTIVE = "active", "Реализуется"
    COMPLETED = "completed", "Завершена"
    ENDED_EARLY = "ended_early", "Завершена досрочно"


class EarlyEndReason(LabeledEnum):
    """Положение, п. 7.1: the grounds to end a programme before its plan is done."""

    PARTICIPANTS = (
        "participants",
        "По инициативе наставника или наставляемого и (или) обоюдному решению "
        "(по уважительным обстоятельствам)",
    )
    CURATOR = (
        "curator",
        "По инициативе куратора (недолжное исполнение программы, форс-мажор)",
    )


class PlanStage(LabeledEnum):
    """The three stages of the regional order's typical plan. An enum, not a list the
    school edits: reports group the plan by stage in this order, and the gymnasium's
    pair stages (знакомство, планирование, работа, итоги) fall within these three."""

    ORGANIZATIONAL = "organizational", "Организационный этап"
    PRACTICAL = "practical", "Практический этап"
    FINAL = "final", "Заключительный этап"


class Role(LabeledEnum):
    MENTOR = "mentor", "Наставник"
    MENTEE = "mentee", "Наставляемый"


class ProgramForm(Base):
    """A catalog of forms («учитель – учитель», ...), seeded by the first migration."""

    __tablename__ = "mentoring_program_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    target_group: Mapped[TargetGroup] = mapped_column(enum_column(TargetGroup))
    sort: Mapped[int] = mapped_column(default=0)


class Program(Timestamped, Base):
    __tablename__ = "mentoring_program"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_program_form.id"))
    type: Mapped[ProgramType] = mapped_column(enum_column(ProgramType))
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date] = mapped_column(sa.Date)
    # The end as first planned (3 to 12 months after the start); extensions move planned_end_on.
    initial_end_on: Mapped[date] = mapped_column(sa.Date)
    planned_end_on: Mapped[date] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ProgramStatus] = mapped_column(
        enum_column(ProgramStatus), default=ProgramStatus.PLANNED, index=True
    )
    early_end_reason: Mapped[EarlyEndReason | None] = mapped_column(enum_column(EarlyEndReason))
    early_end_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The director's order that fixed the pair or group (Положение 6.2).
    order_number: Mapped[str] = mapped_column(sa.String(50), default="")
    order_date: Mapped[date | None] = mapped_column(sa.Date)
    results: Mapped[str] = mapped_column(sa.Text, default="")
    # «Общие выводы» of the справка-отчёт: the curator's, for the report, not the site.
    conclusions: Mapped[str] = mapped_column(sa.Text, default="", server_default=sa.text("''"))
    is_public: Mapped[bool] = mapped_column(default=True)

    form: Mapped[ProgramForm] = relationship()
    directions: Mapped[list[Direction]] = relationship(
        secondary="mentoring_program_direction", order_by="(Direction.sort, Direction.id)"
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="Participation.id"
    )
    extensions: Mapped[list[ProgramExtension]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="ProgramExtension.id"
    )
    events: Mapped[list[PlanEvent]] = relationship(
        back_populates="program",
        cascade="all, delete-orphan",
        order_by="(PlanEvent.due_on, PlanEvent.id)",
    )

    @property
    def direction_names(self) -> str:
        """The directions as one line, as the free-text field used to read."""
        return "; ".join(d.name for d in self.directions)

    @property
    def is_group(self) -> bool:
        return sum(1 for p in self.participations if p.role is Role.MENTEE) > 1


class Participation(Base):
    """A person's role in a programme: mentor or mentee; a pair or a group."""

    __tablename__ = "mentoring_participation"
    __table_args__ = (sa.UniqueConstraint("program_id", "person_id", name="program_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_person.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # The written consent to take part (to be a mentor: Положение 3.2; the order fixing
    # pairs cites it, 3.3): when it was signed, and its scan, a private file.
    written_consent_on: Mapped[date | None] = mapped_column(sa.Date)
    written_consent_scan_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_media.id"))

    program: Mapped[Program] = relationship(back_populates="participations")
    person: Mapped[Person] = relationship()
    written_consent_scan: Mapped[MediaFile | None] = relationship()


# A programme's participants a page at a time, mentors first (its public page); the newest
# edit of a programme (Last-Modified).
sa.Index("ix_mentoring_participation_program_role", Participation.program_id,
         Participation.role, Participation.id)
sa.Index("ix_mentoring_program_updated", Program.updated_at)
# The public list's order, read from the index alone (queries.programs.programs).
sa.Index("ix_mentoring_program_public_order", Program.is_public, Program.status,
         Program.starts_on, Program.id)


class ProgramExtension(Base):
    """Положение 7.2: a programme's term extended by mutual agreement; history is kept."""

    __tablename__ = "mentoring_program_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    decided_on: Mapped[date] = mapped_column(sa.Date)
    previous_end_on: Mapped[date] = mapped_column(sa.Date)
    new_end_on: Mapped[date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    program: Mapped[Program] = relationship(back_populates="extensions")


class PlanOutcome(LabeledEnum):
    OPEN = "open", "Не отмечено"
    DONE = "done", "Выполнено"
    NOT_DONE = "not_done", "Не выполнено"


class PlanEvent(Base):
    """One row of a programme's plan of events; percent done is derived from these.

    The outcome is read from two columns, not stored: ``done_on`` set means «выполнено»
    (with ``result``), a ``not_done_reason`` means «не выполнено»; never both (a CHECK).
    Code that only knows ``done_on`` keeps working.
    """

    __tablename__ = "mentoring_plan_event"
    __table_args__ = (
        sa.CheckConstraint("done_on IS NULL OR not_done_reason = ''", name="one_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[PlanStage | None] = mapped_column(enum_column(PlanStage))
    work_form_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_work_form.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    responsible: Mapped[str] = mapped_column(sa.String(300), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_on: Mapped[date | None] = mapped_column(sa.Date)
    result: Mapped[str] = mapped_column(sa.Text, default="")
    not_done_reason: Mapped[str] = mapped_column(sa.Text, default="")

    program: Mapped[Program] = relationship(back_populates="events")
    work_form: Mapped[WorkForm | None] = relationship()

    @property
    def outcome(self) -> PlanOutcome:
        if self.done_on is not None:
            return PlanOutcome.DONE
        if self.not_done_reason:
            return PlanOutcome.NOT_DONE
        return PlanOutcome.OPEN
