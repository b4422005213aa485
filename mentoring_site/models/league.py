"""The League of mentor schools (district order 7.4, roadmap 8.1–8.2): the office's tables.

Schools propose directions in which they would mentor other schools' management teams; an
order of the office names the member schools and their directions. The office keeps an
editable list of directions, each school's application (entered in the office's admin or
sent by the school from its own section with a per-school key) and, once an order includes
it, the order's number, date and file. Nothing here is a school's content: the tables are
filled on the office's site only.

A member is a school of the registry's list when it is one (``school_id``: links to its
section and its cases), or an organisation named in free text when it is not (a college,
a centre of extra education): the League is wider than the registry. ``organisation``
is always filled, so the name stays when a school leaves the list.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..db import Base
from ._types import LabeledEnum, enum_column
from .media import MediaFile
from .registry import RegistrySchool


class LeagueState(LabeledEnum):
    APPLICATION = "application", "заявка"
    INCLUDED = "included", "включена приказом"
    REJECTED = "rejected", "отклонена"


class LeagueSource(LabeledEnum):
    OFFICE = "office", "внесена управлением"
    SCHOOL = "school", "прислана из раздела школы"


class LeagueDirection(Base):
    """A direction of mentoring a member may offer; hidden ones stay on old members.

    Migration 0011 starts the list with the nine directions of the regional regulation."""

    __tablename__ = "mentoring_league_direction"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(default=False)


member_directions = sa.Table(
    "mentoring_league_member_direction", Base.metadata,
    sa.Column("member_id", sa.ForeignKey("mentoring_league_member.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("direction_id", sa.ForeignKey("mentoring_league_direction.id",
                                            ondelete="CASCADE"), primary_key=True),
)


class LeagueMember(Base):
    """An organisation's application to the League, and the order that included it."""

    __tablename__ = "mentoring_league_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_registry_school.id", ondelete="SET NULL"), index=True)
    organisation: Mapped[str] = mapped_column(sa.String(300))
    state: Mapped[LeagueState] = mapped_column(enum_column(LeagueState),
                                               default=LeagueState.APPLICATION)
    source: Mapped[LeagueSource] = mapped_column(enum_column(LeagueSource),
                                                 default=LeagueSource.OFFICE)
    note: Mapped[str | None] = mapped_column(sa.Text)  # the school's words, for the office
    # The organisation's contact for the League (not a private person's card).
    contact_name: Mapped[str | None] = mapped_column(sa.String(300))
    contact_position: Mapped[str | None] = mapped_column(sa.String(300))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(100))
    contact_email: Mapped[str | None] = mapped_column(sa.String(300))
    # The office decides to publish the contact on the League's page (off until it does).
    contacts_public: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    order_number: Mapped[str | None] = mapped_column(sa.String(100))
    order_date: Mapped[date | None]
    order_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_media.id", ondelete="SET NULL"))
    reject_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]

    school: Mapped[RegistrySchool | None] = relationship(lazy="raise")
    order_file: Mapped[MediaFile | None] = relationship(lazy="raise")
    directions: Mapped[list[LeagueDirection]] = relationship(
        secondary=member_directions, lazy="raise", order_by=LeagueDirection.position)


class LeagueKey(Base):
    """A registry school's key for the League's API: only its SHA-256 is kept."""

    __tablename__ = "mentoring_league_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_registry_school.id", ondelete="CASCADE"), unique=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    used_at: Mapped[datetime | None]

    school: Mapped[RegistrySchool] = relationship(lazy="raise")
