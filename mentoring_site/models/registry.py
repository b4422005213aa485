"""The municipal registry: the schools an office reads, and every read kept as a snapshot.

The office keeps its list of schools here (added in its admin or imported from a TOML
file); what a school's API answered is kept as dated snapshots, so the registry «на
01.06.2027» shows the same tables later. A read that finds nothing new only moves the last
snapshot's ``confirmed_at``; a read that brings changes adds a snapshot with its own
mentors and cases. Nothing here is ever public on a school's site: these tables are
filled on the office's site only.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..db import Base


class RegistrySchool(Base):
    """A school's section on the office's list, and how the last attempt to read it went."""

    __tablename__ = "mentoring_registry_school"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(1000), unique=True)  # ends with «/»
    position: Mapped[int] = mapped_column(default=0)
    added_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Taken off the list: gone from today's tables, still in the history before this moment.
    removed_at: Mapped[datetime | None]
    checked_at: Mapped[datetime | None]  # the last attempt, whatever came of it
    status: Mapped[str | None] = mapped_column(sa.String(20))  # see municipal.aggregate
    message: Mapped[str | None] = mapped_column(sa.Text)


class RegistrySnapshot(Base):
    """What one school's API said, from ``read_at`` until a read found something new."""

    __tablename__ = "mentoring_registry_snapshot"
    __table_args__ = (sa.Index("ix_mentoring_registry_snapshot_school_read",
                               "school_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_registry_school.id", ondelete="CASCADE"))
    read_at: Mapped[datetime]
    confirmed_at: Mapped[datetime]  # the last read that found this unchanged
    api_name: Mapped[str] = mapped_column(sa.String(500))  # as the school calls itself
    # Nothing published at all: the registry says «раздел не заполнен», not a date.
    empty: Mapped[bool] = mapped_column(default=False)
    section_updated: Mapped[datetime | None]  # the section's own «last updated», UTC
    mentors: Mapped[int]
    mentees: Mapped[int]
    active_programs: Mapped[int]
    completed_programs: Mapped[int]
    # Null: the school runs a version that does not publish the count (docs/API.md).
    planned_programs: Mapped[int | None]
    ended_early_programs: Mapped[int | None]
    pairs: Mapped[int | None]
    groups: Mapped[int | None]
    mentees_teachers: Mapped[int | None]
    mentees_pupils: Mapped[int | None]
    young_specialists: Mapped[int | None]
    young_specialists_with_mentor: Mapped[int | None]
    cases: Mapped[int | None]
    honors: Mapped[int | None]
    curator_name: Mapped[str | None] = mapped_column(sa.String(300))
    curator_position: Mapped[str | None] = mapped_column(sa.String(500))
    curator_phone: Mapped[str | None] = mapped_column(sa.String(100))
    curator_email: Mapped[str | None] = mapped_column(sa.String(300))

    school: Mapped[RegistrySchool] = relationship(lazy="raise")


class RegistryMentor(Base):
    """A mentor of a school's bank as one snapshot gave it: consented fields only."""

    __tablename__ = "mentoring_registry_mentor"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_registry_snapshot.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]  # order in the school's API
    name: Mapped[str] = mapped_column(sa.String(500))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    is_student: Mapped[bool]
    position: Mapped[str | None] = mapped_column(sa.Text)
    subjects: Mapped[str | None] = mapped_column(sa.Text)
    qualification: Mapped[str | None] = mapped_column(sa.Text)
    experience_years: Mapped[int | None]


class RegistryCase(Base):
    """A best case as one snapshot gave it (published after its programme was completed)."""

    __tablename__ = "mentoring_registry_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_registry_snapshot.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(1000))
    url: Mapped[str] = mapped_column(sa.String(2000))
    published_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(sa.Text)
    program_title: Mapped[str] = mapped_column(sa.String(1000))
    program_url: Mapped[str] = mapped_column(sa.String(2000))


class RegistryPage(Base):
    """One API answer as last read, with its validators, for conditional GETs.

    The body is kept because a 304 for one page of a list says nothing about the others:
    a snapshot is rebuilt from all its pages, fresh and cached alike.
    """

    __tablename__ = "mentoring_registry_page"
    __table_args__ = (sa.UniqueConstraint("school_id", "url", name="school_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_registry_school.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(2000))
    etag: Mapped[str | None] = mapped_column(sa.String(500))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text)


class RegistryRun(Base):
    """One reading of every school on the list (cron or «Обновить все»), for its progress.

    Progress is counted from the schools' ``checked_at`` since ``started_at``, so any web
    worker can show it, whichever process does the reading.
    """

    __tablename__ = "mentoring_registry_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]
    started_by: Mapped[str] = mapped_column(sa.String(200), default="")
    total: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int | None]  # schools that could not be read, once finished
