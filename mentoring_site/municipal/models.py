"""The registry's own tables (``municipal_*``), on their own MetaData.

Why ``metadata.create_all`` and not an Alembic history like the section's: everything
here is a copy of what the schools' APIs serve, so the database is a cache that one
``flask mentoring aggregate`` rebuilds completely; nothing typed by a person lives in it.
A schema change is therefore handled by ``ensure_schema``: when the stored
``SCHEMA_VERSION`` differs, it drops the ``municipal_*`` tables and creates them anew
(with no stored ETags, the next aggregate reads every school in full). That costs one
full read, and spares the office (and the wheel) a second migration history.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..db import NAMING_CONVENTION

#: Bump when a table changes: ``ensure_schema`` then rebuilds the cache.
SCHEMA_VERSION = 1

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata


class Meta(Base):
    """Key-value facts about the cache itself (its schema version)."""

    __tablename__ = "municipal_meta"

    key: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))


class SchoolRow(Base):
    """A school as last read: figures from its summary and how the last read went."""

    __tablename__ = "municipal_school"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))  # as in the schools file
    url: Mapped[str] = mapped_column(sa.String(1000))  # the section, as in the schools file
    api_name: Mapped[str | None] = mapped_column(sa.String(500))  # as the school calls itself
    mentors: Mapped[int | None]
    mentees: Mapped[int | None]
    active_programs: Mapped[int | None]
    completed_programs: Mapped[int | None]
    # The section's own «last updated» (summary.last_updated), naive UTC.
    last_updated: Mapped[datetime | None]
    # The summary's Last-Modified header: any change, hidden ones too; a fallback.
    last_modified: Mapped[datetime | None]
    checked_at: Mapped[datetime | None]  # the last attempt, whatever came of it
    read_at: Mapped[datetime | None]  # the last complete, valid read (changed or not)
    changed_at: Mapped[datetime | None]  # the last read that brought new data
    status: Mapped[str | None] = mapped_column(sa.String(20))  # ok/unchanged/unreachable/…
    message: Mapped[str | None] = mapped_column(sa.Text)


class MentorRow(Base):
    """A mentor of a school's bank: only the fields its API gave (consented ones)."""

    __tablename__ = "municipal_mentor"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipal_school.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int]  # order in the school's API
    name: Mapped[str] = mapped_column(sa.String(500))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    is_student: Mapped[bool]
    position: Mapped[str | None] = mapped_column(sa.Text)
    subjects: Mapped[str | None] = mapped_column(sa.Text)
    qualification: Mapped[str | None] = mapped_column(sa.Text)
    experience_years: Mapped[int | None]


class CaseRow(Base):
    """A best case (published after its programme was completed), linking to the school."""

    __tablename__ = "municipal_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipal_school.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(1000))
    url: Mapped[str] = mapped_column(sa.String(2000))
    published_at: Mapped[datetime] = mapped_column(index=True)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    program_title: Mapped[str] = mapped_column(sa.String(1000))
    program_url: Mapped[str] = mapped_column(sa.String(2000))


class PageRow(Base):
    """One API answer as last read, with its validators, for conditional GETs.

    The body is kept because a 304 for one page of a list says nothing about the others:
    a school's rows are rebuilt from all its pages, fresh and cached alike.
    """

    __tablename__ = "municipal_page"
    __table_args__ = (sa.UniqueConstraint("school_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipal_school.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    etag: Mapped[str | None] = mapped_column(sa.String(500))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text)


def ensure_schema(engine: sa.Engine) -> None:
    """Create the tables, or rebuild them when they are of another schema version."""
    # A write transaction from the start (SQLite: BEGIN IMMEDIATE), so that two workers
    # starting at once do not both find the tables missing.
    with engine.connect() as conn, conn.execution_options(mentoring_write=True).begin():
        inspector = sa.inspect(conn)
        if inspector.has_table(Meta.__tablename__):
            stored = conn.scalar(sa.select(Meta.value).where(Meta.key == "schema_version"))
            if stored == str(SCHEMA_VERSION):
                return
            metadata.drop_all(conn)
        metadata.create_all(conn)
        conn.execute(sa.insert(Meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
