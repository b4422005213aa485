"""What the curator publishes: cases, acts, materials, news, honors, free pages."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..clock import now_utc
from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .media import MediaFile
from .people import Person
from .programs import Program


class Status(LabeledEnum):
    DRAFT = "draft", "Черновик"
    PUBLISHED = "published", "Опубликовано"


class Publishable(Timestamped):
    """Draft or published, from ``published_at`` on and until ``unpublish_at`` (both UTC).

    Visibility is decided on read by ``rules.py``: a future date needs no scheduled job.
    """

    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.DRAFT)
    published_at: Mapped[datetime] = mapped_column(default=now_utc)
    unpublish_at: Mapped[datetime | None] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls):
        # What the public lists sort by, and the newest edit, publication and unpublication
        # of live items (``queries.base.latest``: the open data's Last-Modified, the home's
        # «обновлено») read as one index lookup each rather than a scan (issue 13).
        table = cls.__tablename__
        return (sa.Index(f"ix_{table}_pub", "status", "published_at"),
                sa.Index(f"ix_{table}_upd", "status", "updated_at"),
                sa.Index(f"ix_{table}_unpub", "status", "unpublish_at"))


class Case(Publishable, Base):
    """A best practice of a programme; public only once the programme is completed (п. 8.2)."""

    __tablename__ = "mentoring_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_program.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")

    program: Mapped[Program] = relationship()
    photos: Mapped[list[CasePhoto]] = relationship(
        cascade="all, delete-orphan", order_by="(CasePhoto.sort, CasePhoto.id)"
    )
    attachments: Mapped[list[CaseAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="CaseAttachment.id"
    )


class CasePhoto(Base):
    __tablename__ = "mentoring_case_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_case.id", ondelete="CASCADE"), index=True
    )
    media_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    sort: Mapped[int] = mapped_column(default=0)

    media: Mapped[MediaFile] = relationship()


class CaseAttachment(Base):
    __tablename__ = "mentoring_case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_case.id", ondelete="CASCADE"), index=True
    )
    media_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    title: Mapped[str] = mapped_column(sa.String(300))

    media: Mapped[MediaFile] = relationship()


class DocLevel(LabeledEnum):
    FEDERAL = "federal", "Федеральный уровень"
    REGIONAL = "regional", "Региональный уровень"
    MUNICIPAL = "municipal", "Муниципальный уровень"
    LOCAL = "local", "Локальные акты образовательной организации"


class DocKind(LabeledEnum):
    LAW = "law", "Федеральный закон"
    DECREE = "decree", "Указ"
    RESOLUTION = "resolution", "Постановление"
    DIRECTIVE = "directive", "Распоряжение"
    ORDER = "order", "Приказ"
    LETTER = "letter", "Письмо"
    REGULATION = "regulation", "Положение"
    ROADMAP = "roadmap", "Дорожная карта"
    PROGRAM = "program", "Программа"
    OTHER = "other", "Иной документ"


class Document(Publishable, Base):
    """An act of the regulatory base; a repealed one is kept and shown apart."""

    __tablename__ = "mentoring_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    level: Mapped[DocLevel] = mapped_column(enum_column(DocLevel), index=True)
    kind: Mapped[DocKind] = mapped_column(enum_column(DocKind))
    number: Mapped[str] = mapped_column(sa.String(60), default="")
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    issuer: Mapped[str] = mapped_column(sa.String(300), default="")
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    in_force: Mapped[bool] = mapped_column(default=True)
    repealed_on: Mapped[date | None] = mapped_column(sa.Date)
    sort: Mapped[int] = mapped_column(default=0)

    file: Mapped[MediaFile | None] = relationship()


class MaterialKind(LabeledEnum):
    RECOMMENDATION = "recommendation", "Методические рекомендации"
    TEMPLATE = "template", "Макеты документов"
    DIAGNOSTIC = "diagnostic", "Диагностические материалы"
    PRESENTATION = "presentation", "Презентации и видео"


class Material(Publishable, Base):
    __tablename__ = "mentoring_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    url: Mapped[str] = mapped_column(sa.String(500), default="")

    file: Mapped[MediaFile | None] = relationship()


class NewsKind(LabeledEnum):
    NEWS = "news", "Новость"
    ANNOUNCEMENT = "announcement", "Анонс"


class NewsItem(Publishable, Base):
    __tablename__ = "mentoring_news"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[NewsKind] = mapped_column(enum_column(NewsKind), default=NewsKind.NEWS)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    image_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    # Announcements: when and where the event takes place (school-local time).
    event_starts_at: Mapped[datetime | None] = mapped_column()
    event_ends_at: Mapped[datetime | None] = mapped_column()
    event_place: Mapped[str] = mapped_column(sa.String(300), default="")
    # Listed on «Школа наставничества» (MENTORING_MENTOR_SCHOOL): an office's announcement
    # is an event for mentors unless the office says it is not (a parents' meeting, say).
    in_mentor_school: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    image: Mapped[MediaFile | None] = relationship()

    @property
    def has_event_facts(self) -> bool:
        """An announcement with a time or a place: its «Когда» and «Где» are shown (the list,
        its page, the API)."""
        return self.kind == NewsKind.ANNOUNCEMENT and bool(self.event_starts_at
                                                           or self.event_place)


# The news list of one kind in its order; the announcements by their dates (the coming
# ones first in the list, the last one begun or ended for Last-Modified).
sa.Index("ix_mentoring_news_kind_pub", NewsItem.kind, NewsItem.status, NewsItem.published_at,
         NewsItem.id)
sa.Index("ix_mentoring_news_event_start", NewsItem.event_starts_at)
# What shows a file (``rules.media_shown_clause``), found by the file: Last-Modified reads
# the newest shown file, and each file served asks it.
sa.Index("ix_mentoring_news_image_id", NewsItem.image_id)
sa.Index("ix_mentoring_document_file_id", Document.file_id)
sa.Index("ix_mentoring_material_file_id", Material.file_id)
sa.Index("ix_mentoring_case_photo_media_id", CasePhoto.media_id)
sa.Index("ix_mentoring_case_attachment_media_id", CaseAttachment.media_id)
sa.Index("ix_mentoring_news_event_end", NewsItem.event_ends_at)


class Honor(Publishable, Base):
    """«Наши наставники»: «Лучший наставник», «Лучшая пара» (with the mentee), ..."""

    __tablename__ = "mentoring_honor"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_person.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_person.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int] = mapped_column(sa.Integer)
    citation: Mapped[str] = mapped_column(sa.Text, default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    partner: Mapped[Person | None] = relationship(foreign_keys=[partner_id])


# «Наши наставники» in its order (newest year first).
sa.Index("ix_mentoring_honor_year", Honor.year, Honor.id)


class Page(Publishable, Base):
    """A free page of the section: about the target model, the curator and contacts, ..."""

    __tablename__ = "mentoring_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    sort: Mapped[int] = mapped_column(default=0)


class SectionInfo(Timestamped, Base):
    """One row: the section's introduction and its curator, shown on the section home."""

    __tablename__ = "mentoring_section_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    curator_name: Mapped[str] = mapped_column(sa.String(200), default="")
    curator_position: Mapped[str] = mapped_column(sa.String(200), default="")
    curator_phone: Mapped[str] = mapped_column(sa.String(60), default="")
    curator_email: Mapped[str] = mapped_column(sa.String(200), default="")
    curator_hours: Mapped[str] = mapped_column(sa.String(200), default="")
    # «Показывать итоговый уровень эффективности на сайте»: off until the school decides
    # (rules.py reads it for levels and individual scores).
    show_effectiveness_level: Mapped[bool] = mapped_column(default=False)


class SlugHistory(Base):
    """Old slugs of published objects, so a link once shared keeps working (301)."""

    __tablename__ = "mentoring_slug_history"
    __table_args__ = (sa.UniqueConstraint("kind", "old_slug", name="kind_old_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    old_slug: Mapped[str] = mapped_column(sa.String(160))
    object_id: Mapped[int] = mapped_column(sa.Integer)
