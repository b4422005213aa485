"""Publication rules: what the public may see. The one module to read to learn that.

Each rule exists twice, as a SQL clause for queries and as a Python predicate for
objects already loaded; tests check that the two agree. Nothing here touches the
request: "now" is passed in, in UTC for timestamps and as the school's local date
for dates, so every rule is testable with any clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from .models import (
    Assessment,
    Case,
    Consent,
    MediaFile,
    Person,
    PersonKind,
    Program,
    ProgramStatus,
    Status,
)
from .models.content import Publishable

# -- drafts and dates ---------------------------------------------------------------------


def published_clause(model: type[Publishable], now: datetime) -> ColumnElement[bool]:
    """Published, its publish time reached, its unpublish time (if any) not yet."""
    return sa.and_(
        model.status == Status.PUBLISHED,
        model.published_at <= now,
        sa.or_(model.unpublish_at.is_(None), model.unpublish_at > now),
    )


def is_published(item: Publishable, now: datetime) -> bool:
    return (
        item.status is Status.PUBLISHED
        and item.published_at <= now
        and (item.unpublish_at is None or item.unpublish_at > now)
    )


# -- programmes and cases (Положение 8.2 / 8.3) -------------------------------------------


def program_clause() -> ColumnElement[bool]:
    return Program.is_public.is_(True)


def is_program_public(program: Program) -> bool:
    return bool(program.is_public)


def case_clause(now: datetime) -> ColumnElement[bool]:
    """A case is public once published AND its programme is completed.

    A programme ended early does not count: its results are not the results of a
    completed programme.
    """
    return sa.and_(
        published_clause(Case, now),
        Case.program.has(sa.and_(Program.status == ProgramStatus.COMPLETED, program_clause())),
    )


def is_case_public(case: Case, now: datetime) -> bool:
    return (
        is_published(case, now)
        and case.program.status is ProgramStatus.COMPLETED
        and is_program_public(case.program)
    )


# -- people and consent (152-ФЗ ст. 10.1) -------------------------------------------------


def consent_clause(today: date) -> ColumnElement[bool]:
    """A consent in force today that allows at least the name to be shown."""
    return sa.and_(
        Consent.allow_name.is_(True),
        Consent.signed_on <= today,
        sa.or_(Consent.valid_until.is_(None), Consent.valid_until >= today),
        sa.or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > today),
    )


def is_consent_in_force(consent: Consent, today: date) -> bool:
    return (
        consent.allow_name
        and consent.signed_on <= today
        and (consent.valid_until is None or consent.valid_until >= today)
        and (consent.withdrawn_on is None or consent.withdrawn_on > today)
    )


def person_clause(today: date) -> ColumnElement[bool]:
    return Person.consents.any(consent_clause(today))


def person_page_clause(today: date) -> ColumnElement[bool]:
    """A person with a page of their own: shown, and not a student (see PublicPerson.has_page)."""
    return sa.and_(person_clause(today), Person.kind != PersonKind.STUDENT)


def consent_in_force(person: Person, today: date) -> Consent | None:
    """The newest consent in force, the one whose field list applies."""
    in_force = [c for c in person.consents if is_consent_in_force(c, today)]
    return max(in_force, key=lambda c: (c.signed_on, c.id)) if in_force else None


@dataclass(frozen=True)
class PublicPerson:
    """Only what a person consented to show. Templates and the API get this, never Person."""

    id: int
    slug: str
    name: str
    is_student: bool
    position: str | None = None
    subjects: str | None = None
    qualification: str | None = None
    experience_years: int | None = None
    bio: str | None = None
    awards: str | None = None
    photo: MediaFile | None = None

    @property
    def has_page(self) -> bool:
        """Students are named where they take part, but get no page of their own
        (``person_page_clause`` is the same rule in SQL)."""
        return not self.is_student


def display_name(person: Person) -> str:
    """Students appear at most as first name and initial («Мария К.»)."""
    if person.kind is PersonKind.STUDENT:
        initial = f" {person.last_name[:1]}." if person.last_name else ""
        return f"{person.first_name}{initial}"
    return person.full_name


def public_person(person: Person, today: date) -> PublicPerson | None:
    """The person as the public may see them today, or None when they may not be shown."""
    consent = consent_in_force(person, today)
    if consent is None:
        return None
    student = person.kind is PersonKind.STUDENT
    photo = person.photo if consent.allow_photo and not student else None
    if photo is not None and photo.is_private:
        photo = None
    return PublicPerson(
        id=person.id,
        slug=person.slug,
        name=display_name(person),
        is_student=student,
        position=(person.position or None) if consent.allow_position else None,
        subjects=(person.subjects or None) if consent.allow_position and not student else None,
        qualification=(person.qualification or None)
        if consent.allow_position and not student
        else None,
        experience_years=person.experience_years
        if consent.allow_experience and not student
        else None,
        bio=(person.bio or None) if consent.allow_bio and not student else None,
        awards=(person.awards or None) if consent.allow_awards and not student else None,
        photo=photo,
    )


# -- effectiveness levels (issue 10; Положение 8.2: results after completion) --------------
#
# The school's switch «показывать итоговый уровень эффективности на сайте»
# (SectionInfo.show_effectiveness_level) is passed in as ``show_levels``.


def level_count_clause() -> ColumnElement[bool]:
    """The programmes whose final levels may be counted in public figures (counts per level
    only, never who): completed and shown, whatever the switch says."""
    return sa.and_(Program.status == ProgramStatus.COMPLETED, program_clause())


def counts_in_level_figures(program: Program) -> bool:
    return program.status is ProgramStatus.COMPLETED and is_program_public(program)


def is_final_level_public(program: Program, show_levels: bool) -> bool:
    """A programme's final level on its page: once completed, and only if the school
    switched levels on."""
    return show_levels and counts_in_level_figures(program)


def is_score_public(assessment: Assessment, show_levels: bool, today: date) -> bool:
    """One mentee's (or group's) score: never, unless the switch is on; then as the final
    level (a completed programme), and a mentee's only while the mentee may be shown."""
    if not is_final_level_public(assessment.program, show_levels):
        return False
    return assessment.person is None or public_person(assessment.person, today) is not None


# -- what the curator is told before publishing ------------------------------------------


def case_publication_problem(program: Program | None) -> str | None:
    """Why a case may not be published yet (Положение 8.2), or None."""
    if program is None:
        return "Выберите программу, к которой относится кейс."
    if program.status is not ProgramStatus.COMPLETED:
        return (
            f"Кейс можно опубликовать только после завершения программы «{program.title}»: "
            f"сейчас её статус — «{program.status.label.lower()}». Результаты программ "
            "публикуются после их завершения (Положение, п. 8.2)."
        )
    if not is_program_public(program):
        return f"Программа «{program.title}» скрыта с сайта: сначала откройте её."
    return None


def person_publication_problem(person: Person | None, today: date) -> str | None:
    """Why something that shows this person may not be published, or None."""
    if person is None:
        return None
    if public_person(person, today) is None:
        return (
            f"У человека «{person.full_name}» нет действующего согласия на распространение "
            "персональных данных (152-ФЗ, ст. 10.1): публиковать сведения о нём нельзя. "
            "Добавьте согласие в его карточке."
        )
    return None
