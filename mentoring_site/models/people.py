"""People of the section, their consents to dissemination (152-ФЗ ст. 10.1) and to
processing for the banks (ст. 9)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .media import MediaFile

if TYPE_CHECKING:
    from .monitoring import PersonCategory


class PersonKind(LabeledEnum):
    TEACHER = "teacher", "Педагог"
    LEADER = "leader", "Руководитель"
    STUDENT = "student", "Обучающийся"
    PARTNER = "partner", "Внешний партнёр"


def full_name(last_name: str, first_name: str, middle_name: str) -> str:
    """«Фамилия Имя Отчество», the parts there are: a ``Person``'s and a row's alike."""
    return " ".join(p for p in (last_name, first_name, middle_name) if p)


class Person(Timestamped, Base):
    __tablename__ = "mentoring_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    last_name: Mapped[str] = mapped_column(sa.String(100))
    first_name: Mapped[str] = mapped_column(sa.String(100))
    middle_name: Mapped[str] = mapped_column(sa.String(100), default="")
    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind), default=PersonKind.TEACHER)
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    subjects: Mapped[str] = mapped_column(sa.String(300), default="")
    qualification: Mapped[str] = mapped_column(sa.String(100), default="")
    experience_years: Mapped[int | None] = mapped_column(sa.Integer)
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    awards: Mapped[str] = mapped_column(sa.Text, default="")
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    # Banks of mentors and mentees (Положение 3.4): a person may stand in a bank
    # before or between programmes.
    in_mentor_bank: Mapped[bool] = mapped_column(default=False)
    in_mentee_bank: Mapped[bool] = mapped_column(default=False)

    photo: Mapped[MediaFile | None] = relationship()
    categories: Mapped[list[PersonCategory]] = relationship(
        secondary="mentoring_person_category_link",
        order_by="(PersonCategory.sort, PersonCategory.id)",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Consent.signed_on"
    )
    processing_agreements: Mapped[list[ProcessingAgreement]] = relationship(
        back_populates="person", cascade="all, delete-orphan",
        order_by="ProcessingAgreement.signed_on",
    )

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)


# The banks' pages in their order, and the newest edit of a person (Last-Modified).
sa.Index("ix_mentoring_person_mentor_bank", Person.in_mentor_bank, Person.last_name,
         Person.first_name, Person.id)
sa.Index("ix_mentoring_person_mentee_bank", Person.in_mentee_bank, Person.last_name,
         Person.first_name, Person.id)
sa.Index("ix_mentoring_person_updated", Person.updated_at)
sa.Index("ix_mentoring_person_photo_id", Person.photo_id)


class Consent(Timestamped, Base):
    """A consent to dissemination: a separate signed document (since 1 September 2025).

    Holds what Роскомнадзор's order № 18 lists: which data may be published, where,
    on what conditions, from when until when, and whether it was withdrawn.
    """

    __tablename__ = "mentoring_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_person.id", ondelete="CASCADE"), index=True
    )
    signed_on: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    withdrawn_on: Mapped[date | None] = mapped_column(sa.Date)
    allow_name: Mapped[bool] = mapped_column(default=True)
    allow_position: Mapped[bool] = mapped_column(default=False)
    allow_photo: Mapped[bool] = mapped_column(default=False)
    allow_bio: Mapped[bool] = mapped_column(default=False)
    allow_experience: Mapped[bool] = mapped_column(default=False)
    allow_awards: Mapped[bool] = mapped_column(default=False)
    # The site address the consent covers, as written in it.
    site_url: Mapped[str] = mapped_column(sa.String(300), default="")
    # Conditions and prohibitions the person set (ст. 10.1 ч. 9).
    conditions: Mapped[str] = mapped_column(sa.Text, default="")
    # Where the signed paper is: number, date, file.
    document_ref: Mapped[str] = mapped_column(sa.String(200), default="")
    scan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    # A pupil's consent is signed by a parent or legal representative (152-ФЗ ст. 9 ч. 6):
    # who signed, and the document that proves it (паспорт, свидетельство о рождении...).
    representative_name: Mapped[str] = mapped_column(sa.String(300), default="")
    representative_document: Mapped[str] = mapped_column(sa.String(300), default="")

    person: Mapped[Person] = relationship(back_populates="consents")
    scan: Mapped[MediaFile | None] = relationship()


# The moments a consent's dates crossed, and its newest edit (Last-Modified).
sa.Index("ix_mentoring_consent_updated", Consent.updated_at)
sa.Index("ix_mentoring_consent_signed_on", Consent.signed_on)
sa.Index("ix_mentoring_consent_withdrawn_on", Consent.withdrawn_on)
sa.Index("ix_mentoring_consent_valid_until", Consent.valid_until)


class ProcessingAgreement(Timestamped, Base):
    """A person's consent to the processing of personal data for the banks of mentors and
    mentees (152-ФЗ ст. 9): signed on paper, or given online with a questionnaire answer.

    It does NOT decide what the public sees — only ``Consent`` (dissemination, ст. 10.1)
    does, in ``rules.py``. Its withdrawal removes the person's questionnaire answers
    (``questionnaires/retention.py``).
    """

    __tablename__ = "mentoring_processing_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_person.id", ondelete="CASCADE"), index=True
    )
    signed_on: Mapped[date] = mapped_column(sa.Date)
    withdrawn_on: Mapped[date | None] = mapped_column(sa.Date)
    # Where the signed paper is (number, date), or «анкета на сайте, редакция согласия № N».
    document_ref: Mapped[str] = mapped_column(sa.String(200), default="")
    scan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_media.id"))
    # A pupil's consent is signed by a parent or legal representative (ст. 9 ч. 6).
    representative_name: Mapped[str] = mapped_column(sa.String(300), default="")
    representative_document: Mapped[str] = mapped_column(sa.String(300), default="")

    person: Mapped[Person] = relationship(back_populates="processing_agreements")
    scan: Mapped[MediaFile | None] = relationship()
