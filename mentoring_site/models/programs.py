"""Personalised mentoring programmes: who, which form and type, when, how it went."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .people import Person


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
    direction: Mapped[str] = mapped_column(sa.String(300), default="")
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
    is_public: Mapped[bool] = mapped_column(default=True)

    form: Mapped[ProgramForm] = relationship()
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

    program: Mapped[Program] = relationship(back_populates="participations")
    person: Mapped[Person] = relationship()


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


class PlanEvent(Base):
    """One row of a programme's plan of events; percent done is derived from these."""

    __tablename__ = "mentoring_plan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_on: Mapped[date | None] = mapped_column(sa.Date)

    program: Mapped[Program] = relationship(back_populates="events")
