"""Management mentoring («управленческое наставничество», «менторство»): the office's own data.

The regional order (seeds 000, 001): an experienced management team of one organisation
supports a developing team of another for 3–12 months along one or more of nine
directions, under a programme the municipal curator approves, closed with a report
(% of events done, events not done with reasons, conclusions) within 30 days.

The office keeps the registry of teams by direction and the programmes with their plan.
Members' contacts are never public: only the office's admin shows them. The rules
(term, states, % done, the report's due date) are in ``municipal.management``.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..db import Base
from ._types import LabeledEnum, enum_column


class TeamKind(LabeledEnum):
    EXPERIENCED = "experienced", "опытная"
    DEVELOPING = "developing", "развивающаяся"


class MgmtState(LabeledEnum):
    """A programme's way: submitted, approved by the municipal curator, run, completed."""

    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на утверждении"
    APPROVED = "approved", "утверждена"
    RUNNING = "running", "реализуется"
    COMPLETED = "completed", "завершена"


class MgmtStage(LabeledEnum):
    """The typical programme's three stages (Приложение 2, II)."""

    ORGANISATIONAL = "organisational", "Организационный этап"
    PRACTICAL = "practical", "Практический этап"
    FINAL = "final", "Заключительный этап"


team_direction = sa.Table(
    "mentoring_mgmt_team_direction", Base.metadata,
    sa.Column("team_id", sa.ForeignKey("mentoring_mgmt_team.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("direction_id", sa.ForeignKey("mentoring_mgmt_direction.id", ondelete="CASCADE"),
              primary_key=True),
)

program_direction = sa.Table(
    "mentoring_mgmt_program_direction", Base.metadata,
    sa.Column("program_id", sa.ForeignKey("mentoring_mgmt_program.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("direction_id", sa.ForeignKey("mentoring_mgmt_direction.id", ondelete="CASCADE"),
              primary_key=True),
)

#: Experienced and developing teams alike: a team's kind says which side it is on.
program_team = sa.Table(
    "mentoring_mgmt_program_team", Base.metadata,
    sa.Column("program_id", sa.ForeignKey("mentoring_mgmt_program.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("team_id", sa.ForeignKey("mentoring_mgmt_team.id", ondelete="CASCADE"),
              primary_key=True),
)


class MgmtDirection(Base):
    """One of the directions of mentoring (the nine of the order are seeded; editable)."""

    __tablename__ = "mentoring_mgmt_direction"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class MgmtTeam(Base):
    """A management team of an organisation: a school on the office's list, or free text."""

    __tablename__ = "mentoring_mgmt_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_registry_school.id", ondelete="SET NULL"), index=True)
    organisation: Mapped[str] = mapped_column(sa.String(500))  # the school's name if on the list
    kind: Mapped[TeamKind] = mapped_column(enum_column(TeamKind))
    added_at: Mapped[datetime] = mapped_column(default=now_utc)

    directions: Mapped[list[MgmtDirection]] = relationship(
        secondary=team_direction, lazy="selectin", order_by=MgmtDirection.position)
    # Contacts inside: loaded only when asked for (the office's admin), never by accident.
    members: Mapped[list[MgmtMember]] = relationship(
        back_populates="team", lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
        order_by="MgmtMember.id")


class MgmtMember(Base):
    """A member of a team; phone and e-mail are for the office only, never public."""

    __tablename__ = "mentoring_mgmt_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_mgmt_team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[str] = mapped_column(sa.String(500))
    phone: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(300))
    is_leader: Mapped[bool] = mapped_column(default=False)  # «руководитель группы»
    is_contact: Mapped[bool] = mapped_column(default=False)  # «контактное лицо»

    team: Mapped[MgmtTeam] = relationship(back_populates="members", lazy="raise")


class MgmtProgram(Base):
    """A management-mentoring programme: teams, directions, term, plan, states, report."""

    __tablename__ = "mentoring_mgmt_program"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    coordinator: Mapped[str | None] = mapped_column(sa.String(300))  # names only
    curator: Mapped[str | None] = mapped_column(sa.String(300))  # the municipal curator
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    state: Mapped[MgmtState] = mapped_column(enum_column(MgmtState), default=MgmtState.DRAFT)
    submitted_at: Mapped[datetime | None]
    approved_on: Mapped[date | None]
    approved_by: Mapped[str | None] = mapped_column(sa.String(300))
    completed_on: Mapped[date | None]  # the day it ended (early or on time)
    conclusions: Mapped[str | None] = mapped_column(sa.Text)  # the report's «общие выводы»
    reported_on: Mapped[date | None]  # the report handed in
    added_at: Mapped[datetime] = mapped_column(default=now_utc)

    teams: Mapped[list[MgmtTeam]] = relationship(
        secondary=program_team, lazy="selectin", order_by=MgmtTeam.organisation)
    directions: Mapped[list[MgmtDirection]] = relationship(
        secondary=program_direction, lazy="selectin", order_by=MgmtDirection.position)
    items: Mapped[list[MgmtPlanItem]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="MgmtPlanItem.id")


class MgmtPlanItem(Base):
    """An event of the plan: its stage, who is responsible, by when, and whether it was done."""

    __tablename__ = "mentoring_mgmt_plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_mgmt_program.id", ondelete="CASCADE"), index=True)
    stage: Mapped[MgmtStage] = mapped_column(enum_column(MgmtStage))
    title: Mapped[str] = mapped_column(sa.Text)
    responsible: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date]
    done: Mapped[bool | None]  # None: not marked yet
    reason: Mapped[str | None] = mapped_column(sa.Text)  # why not done
