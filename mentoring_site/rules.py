"""Publication rules: what the public may see. The one module to read to learn that.

Each rule exists, where both are needed, as a SQL clause for queries and as a Python
predicate for objects already loaded; tests/test_rules.py checks that the two agree, and
tests/test_rules_single_place.py that no template or other module decides visibility by
comparing statuses itself. Nothing here touches the request: "now" is passed in, in UTC
for timestamps and as the school's local date for dates, so every rule is testable with
any clock.

The rules, in order of this file:

=====================  ===================================================================
rule                   what the public may see, and why
=====================  ===================================================================
publication state      ``publication_state`` / ``publication_state_clause``: draft,
                       scheduled, live, taken down (``PublicationState``, Russian labels
                       for the admin). Only *live* is public (``published_clause`` /
                       ``is_published``): status «Опубликовано», publish time reached,
                       unpublish time not yet. Dates act by themselves, no scheduled job.
                       ``to_be_published``: the curator chose to publish, so the checks
                       below must pass before saving.
programmes             ``program_clause`` / ``is_program_public``: the curator's «Показывать
                       на сайте».
completion             ``program_completed_clause`` / ``is_program_completed``: only
                       «Завершена»; an early end is not a completion.
results                ``results_clause`` / ``results_public``: a programme's results only
                       after its completion (Положение, п. 8.2).
early end              ``early_end_clause`` / ``early_end_public``: the ground and the note
                       of an early end, only for a programme ended early (Положение, п. 7.1).
cases                  ``case_clause`` / ``is_case_public``: live, and its programme public
                       and completed (Положение, п. 8.2).
people                 ``person_clause`` / ``public_person``: only with a consent to
                       dissemination in force (152-ФЗ, ст. 10.1), only the consented fields
                       of the newest such consent; students as «Имя Ф.», no page, no photo,
                       no biography (``person_page_clause`` / ``PublicPerson.has_page``),
                       no surname in the address either (``slug_text``).
honours                ``honor_clause`` / ``is_honor_public``: live, and the person honoured
                       shown (consent, above); a partner without consent is left out.
banks                  ``bank_clause`` / ``in_bank``: membership of the bank of mentors or
                       mentees (the bank pages add the consent rule).
media                  ``servable_media_clause`` / ``is_servable_media``: never a private
                       file (consent scans). ``media_shown_clause`` / ``shows_photo``: a file
                       is served only while something public shows it (a live document,
                       material or news image, a public case's photo or attachment, the
                       photo a consent in force allows), so a withdrawn consent stops the
                       photo at once, even for someone who kept its address.
validators             ``is_public_record``: a change to a record the public saw moves the
                       open data's Last-Modified; one to a draft or a hidden person does not;
                       ``taken_down_clause``: the live items whose unpublish time passed.
aggregate counts       ``counted_in_bank_clause`` / ``counted_program_clause``: the home
                       figures count everyone in a bank, consent or not, and the public
                       programmes by state: a count names nobody, it is not personal data.
effectiveness          ``level_count_clause`` / ``counts_in_level_figures``: counts per level
                       of completed public programmes (names nobody), published
                       (``level_figures_public``) only if the school switched levels on
                       (SectionInfo.show_effectiveness_level); a programme's final
                       level (``is_final_level_public``) and a score (``is_score_public``)
                       only after completion and with the switch on, a mentee's only
                       with consent, a pupil's own level never.
questionnaires         ``questionnaire_open_clause`` / ``is_questionnaire_open``: open, and
                       its deadline (the school's local date, inclusive) not passed; only
                       then is its page listed, shown and accepting answers. Answers
                       themselves are never public: no rule here lets one out.
event registration     ``event_past`` / ``event_past_clause`` (the page reads «состоялось») and
                       ``registration_open``:
                       the announcement takes registrations, the deadline (school-local)
                       not passed and the event not yet begun. Registrations and e-mail
                       addresses are never public: the page shows only places left.
moments of change      ``next_change_moments``: when a rule above turns by itself with no
                       write (a scheduled publication or unpublication, an announcement
                       beginning or ending, a registration deadline); dates turn at the
                       school's midnight. The response cache keys its pages by them.
curator messages       ``case_publication_problem``, ``person_publication_problem``: why
                       something may not be published yet, in Russian, for the admin.
=====================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from .models import (
    Assessment,
    Case,
    CasePhoto,
    Consent,
    Document,
    EventRegistration,
    Honor,
    Material,
    MediaFile,
    NewsItem,
    Page,
    Person,
    PersonKind,
    Program,
    ProgramStatus,
    Questionnaire,
    Role,
    Status,
)
from .models._types import LabeledEnum
from .models.content import Publishable

# -- publication state: drafts and dates ---------------------------------------------------


class PublicationState(LabeledEnum):
    """Where a publishable item stands now; only ``LIVE`` is public. The labels are what
    the admin lists show (a scheduled item adds its date: «Выйдет 01.09.2026 09:00»)."""

    DRAFT = "draft", "Черновик"
    SCHEDULED = "scheduled", "Выйдет"
    LIVE = "live", "На сайте"
    TAKEN_DOWN = "taken_down", "Снято с сайта"


def publication_state(item: Publishable, now: datetime) -> PublicationState:
    if item.status is not Status.PUBLISHED:
        return PublicationState.DRAFT
    if item.published_at > now:
        return PublicationState.SCHEDULED
    if item.unpublish_at is not None and item.unpublish_at <= now:
        return PublicationState.TAKEN_DOWN
    return PublicationState.LIVE


def publication_state_clause(model: type[Publishable], now: datetime) -> ColumnElement[str]:
    """``publication_state`` in SQL: the state's value, for sorting or counting."""
    return sa.case(
        (model.status != Status.PUBLISHED, PublicationState.DRAFT.value),
        (model.published_at > now, PublicationState.SCHEDULED.value),
        (sa.and_(model.unpublish_at.is_not(None), model.unpublish_at <= now),
         PublicationState.TAKEN_DOWN.value),
        else_=PublicationState.LIVE.value,
    )


def published_clause(
    model: type[Publishable], now: datetime | ColumnElement[datetime],
) -> ColumnElement[bool]:
    """Live: published, its publish time reached, its unpublish time (if any) not yet.
    ``now`` may be a bound parameter, for a statement built once (queries/news.py)."""
    return sa.and_(
        model.status == Status.PUBLISHED,
        model.published_at <= now,
        sa.or_(model.unpublish_at.is_(None), model.unpublish_at > now),
    )


def taken_down_clause(model: type[Publishable], now: datetime) -> ColumnElement[bool]:
    """Was live and its unpublish time has passed: the public saw it go (at ``unpublish_at``)."""
    return sa.and_(model.status == Status.PUBLISHED, model.unpublish_at <= now,
                   model.published_at < model.unpublish_at)


def is_published(item: Publishable, now: datetime) -> bool:
    return publication_state(item, now) is PublicationState.LIVE


def to_be_published(item: Publishable) -> bool:
    """The curator chose «Опубликовано» (now or at a later date): what publishing needs
    (a completed programme, consents in force) is checked before the item is saved."""
    return item.status is Status.PUBLISHED


# -- programmes: shown, completed, results, early end (Положение 7.1, 8.2) ---------------


def program_clause() -> ColumnElement[bool]:
    return Program.is_public.is_(True)


def is_program_public(program: Program) -> bool:
    return bool(program.is_public)


def program_completed_clause() -> ColumnElement[bool]:
    """Completed as planned; an early end is not a completion."""
    return Program.status == ProgramStatus.COMPLETED


def is_program_completed(program: Program) -> bool:
    return program.status is ProgramStatus.COMPLETED


def results_clause() -> ColumnElement[bool]:
    """The programmes whose results the public may read (Положение, п. 8.2)."""
    return sa.and_(program_clause(), program_completed_clause())


def results_public(program: Program) -> bool:
    """A programme's results are published only after its completion (Положение, п. 8.2):
    a running or early-ended programme's page does not show them."""
    return is_program_public(program) and is_program_completed(program)


def early_end_clause() -> ColumnElement[bool]:
    """The programmes whose early end (ground and note, Положение, п. 7.1) is shown."""
    return sa.and_(program_clause(), Program.status == ProgramStatus.ENDED_EARLY)


def early_end_public(program: Program) -> bool:
    """The ground (п. 7.1) and the curator's note are shown only for a programme ended
    early; a note on any other programme stays with the curator."""
    return is_program_public(program) and program.status is ProgramStatus.ENDED_EARLY


# -- cases (Положение 8.2) ----------------------------------------------------------------


def case_clause(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """A case is public once published AND its programme is completed.

    A programme ended early does not count: its results are not the results of a
    completed programme.
    """
    return sa.and_(published_clause(Case, now), Case.program.has(results_clause()))


def is_case_public(case: Case, now: datetime) -> bool:
    return is_published(case, now) and results_public(case.program)


# -- questionnaires ---------------------------------------------------------------------------


def questionnaire_open_clause(today: date) -> ColumnElement[bool]:
    """Open, and the deadline (inclusive, the school's local date) not yet passed."""
    return sa.and_(Questionnaire.is_open.is_(True),
                   sa.or_(Questionnaire.deadline.is_(None), Questionnaire.deadline >= today))


def is_questionnaire_open(questionnaire: Questionnaire, today: date) -> bool:
    return questionnaire.is_open and (
        questionnaire.deadline is None or questionnaire.deadline >= today)


# -- event registration ----------------------------------------------------------------------


def event_past(item: NewsItem, now_local: datetime) -> bool:
    """An announced event is over once its end (or its start, without an end) has passed;
    the same moment ``queries.news.upcoming_clause`` stops listing it first."""
    end = item.event_ends_at or item.event_starts_at
    return end is not None and end < now_local


def event_past_clause(now_local: datetime) -> ColumnElement[bool]:
    """``event_past`` in SQL: an event without a date is never over («Школа наставничества»
    lists it with the coming ones)."""
    end = sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at)
    return sa.and_(end.is_not(None), end < now_local)


def registration_open(settings: EventRegistration | None, item: NewsItem,
                      now_local: datetime) -> bool:
    """The form is offered: registration switched on, the deadline not passed and the
    event not begun (nobody registers for what is already under way)."""
    if settings is None or not settings.is_open:
        return False
    if settings.deadline is not None and settings.deadline < now_local:
        return False
    return item.event_starts_at is None or item.event_starts_at > now_local


# -- people and consent (152-ФЗ ст. 10.1) -------------------------------------------------


def consent_clause(today: date | ColumnElement[date]) -> ColumnElement[bool]:
    """A consent in force today that allows at least the name to be shown."""
    return sa.and_(
        Consent.allow_name.is_(True),
        Consent.signed_on <= today,
        sa.or_(Consent.valid_until.is_(None), Consent.valid_until >= today),
        sa.or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > today),
    )


class ConsentFacts(Protocol):
    """What the rules read of a consent: a ``Consent``, or a row of its columns."""

    @property
    def id(self) -> int: ...
    @property
    def signed_on(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def withdrawn_on(self) -> date | None: ...
    @property
    def allow_name(self) -> bool: ...
    @property
    def allow_position(self) -> bool: ...
    @property
    def allow_photo(self) -> bool: ...
    @property
    def allow_bio(self) -> bool: ...
    @property
    def allow_experience(self) -> bool: ...
    @property
    def allow_awards(self) -> bool: ...


class PersonFacts(Protocol):
    """What the rules read of a person: a ``Person`` with its consents and photo, or the
    plain record a page reads for a card (``queries.graph.PersonRow``)."""

    @property
    def id(self) -> int: ...
    @property
    def slug(self) -> str: ...
    @property
    def kind(self) -> PersonKind: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def subjects(self) -> str: ...
    @property
    def qualification(self) -> str: ...
    @property
    def experience_years(self) -> int | None: ...
    @property
    def bio(self) -> str: ...
    @property
    def awards(self) -> str: ...
    @property
    def photo(self) -> MediaFile | None: ...
    @property
    def consents(self) -> Sequence[ConsentFacts]: ...


def is_consent_in_force(consent: ConsentFacts, today: date) -> bool:
    return (
        consent.allow_name
        and consent.signed_on <= today
        and (consent.valid_until is None or consent.valid_until >= today)
        and (consent.withdrawn_on is None or consent.withdrawn_on > today)
    )


def person_clause(today: date | ColumnElement[date]) -> ColumnElement[bool]:
    return Person.consents.any(consent_clause(today))


def person_page_clause(today: date) -> ColumnElement[bool]:
    """A person with a page of their own: shown, and not a student (see PublicPerson.has_page)."""
    return sa.and_(person_clause(today), Person.kind != PersonKind.STUDENT)


def consent_in_force(person: PersonFacts, today: date) -> ConsentFacts | None:
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


def display_name(person: PersonFacts) -> str:
    """Students appear at most as first name and initial («Мария К.»)."""
    if person.kind is PersonKind.STUDENT:
        initial = f" {person.last_name[:1]}." if person.last_name else ""
        return f"{person.first_name}{initial}"
    return person.full_name


def slug_text(person: Person) -> str:
    """What a person's address is made from: a student's carries no surname, as the
    pages show none («maria-obuchayushchiysya»)."""
    if person.kind is PersonKind.STUDENT:
        return f"{person.first_name} obuchayushchiysya"
    return person.full_name


def public_person(person: PersonFacts, today: date) -> PublicPerson | None:
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


# -- honours («Наши наставники») ----------------------------------------------------------


def honor_clause(now: datetime | ColumnElement[datetime],
                 today: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Live, and the person honoured is shown (a partner without consent is left out
    of the card, the honour itself stays)."""
    return sa.and_(published_clause(Honor, now), Honor.person.has(person_clause(today)))


def is_honor_public(honor: Honor, now: datetime, today: date) -> bool:
    return is_published(honor, now) and public_person(honor.person, today) is not None


# -- banks of mentors and mentees ---------------------------------------------------------


def bank_clause(role: Role) -> ColumnElement[bool]:
    """In the bank of mentors (``Role.MENTOR``) or of mentees; the bank pages add consent."""
    flag = Person.in_mentor_bank if role is Role.MENTOR else Person.in_mentee_bank
    return flag.is_(True)


def in_bank(person: Person, role: Role) -> bool:
    return bool(person.in_mentor_bank if role is Role.MENTOR else person.in_mentee_bank)


# -- uploaded files ----------------------------------------------------------------------


def servable_media_clause() -> ColumnElement[bool]:
    """Never a private file (a consent scan), whatever links to it."""
    return MediaFile.is_private.is_(False)


def is_servable_media(media: MediaFile) -> bool:
    return not media.is_private


def media_shown_clause(media_id: int | ColumnElement[int], now: datetime) -> ColumnElement[bool]:
    """EXISTS: a live document, material or news item, or a public case (photo or
    attachment) shows the file. A person's photo is decided by ``shows_photo``."""
    users = sa.union_all(
        sa.select(CasePhoto.id).join(Case).where(
            CasePhoto.media_id == media_id, case_clause(now)
        ),
        sa.select(Case.id).where(Case.attachments.any(media_id=media_id), case_clause(now)),
        sa.select(Document.id).where(
            Document.file_id == media_id, published_clause(Document, now)
        ),
        sa.select(Material.id).where(
            Material.file_id == media_id, published_clause(Material, now)
        ),
        sa.select(NewsItem.id).where(
            NewsItem.image_id == media_id, published_clause(NewsItem, now)
        ),
    ).subquery()
    return sa.exists(sa.select(users.c[0]))


def shows_photo(person: Person, today: date) -> bool:
    """The pages show this person's photo today: exactly when ``public_person`` keeps it
    (the newest consent in force decides), so the file is served exactly then."""
    shown = public_person(person, today)
    return shown is not None and shown.photo is not None


# -- what a change touches (the public validators) ---------------------------------------


#: Every kind with a publication state (status, publish and unpublish times).
PUBLISHABLE_KINDS: tuple[type[Publishable], ...] = (Case, Document, Honor, Material, NewsItem,
                                                    Page)


def next_change_moments(now: datetime, now_local: datetime) -> tuple[list, list]:
    """The next moments at which a rule above changes its answer with no write, as scalar
    subqueries: (UTC ones, school-local ones). A rule that turns *at* a moment (``<=``:
    published, taken down, registration open until the start) takes moments after now; one
    that turns just *after* it (``<``: an event past, a deadline passed) takes now too, so
    the moment itself still counts as before. Dates (consents, questionnaire deadlines, the
    banks' «today») turn at the school's midnight, which the caller adds."""
    utc: list = []
    for model in PUBLISHABLE_KINDS:
        published = model.status == Status.PUBLISHED
        utc.append(sa.select(sa.func.min(model.published_at))
                   .where(published, model.published_at > now).scalar_subquery())
        utc.append(sa.select(sa.func.min(model.unpublish_at))
                   .where(published, model.unpublish_at > now).scalar_subquery())
    end = sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at)
    local: list = [
        sa.select(sa.func.min(NewsItem.event_starts_at))
        .where(NewsItem.event_starts_at > now_local).scalar_subquery(),
        sa.select(sa.func.min(end)).where(end >= now_local).scalar_subquery(),
        sa.select(sa.func.min(EventRegistration.deadline))
        .where(EventRegistration.deadline >= now_local).scalar_subquery(),
    ]
    return utc, local


def is_public_record(obj, now: datetime, today: date) -> bool:
    """Whether the public sees this record now (a live item, a public case or programme, a
    person shown, a consent in force). A change to a record that was public must move the
    open data's Last-Modified even when it hides the record; a change to one that never
    was must not (``queries.open_data.last_change``)."""
    if isinstance(obj, Case):
        return is_case_public(obj, now)
    if isinstance(obj, Honor):
        return is_honor_public(obj, now, today)
    if isinstance(obj, Publishable):
        return is_published(obj, now)
    if isinstance(obj, Program):
        return is_program_public(obj)
    if isinstance(obj, Person):
        return public_person(obj, today) is not None
    if isinstance(obj, Consent):
        return is_consent_in_force(obj, today)
    return False


# -- aggregate counts (the home figures, the API summary, the municipal registry) ---------


def counted_in_bank_clause(role: Role) -> ColumnElement[bool]:
    """Who the figures count in a bank: everyone in it, consent or not. A count names
    nobody, so it is not personal data and needs no consent (152-ФЗ, ст. 3)."""
    return bank_clause(role)


def is_counted_in_bank(person: Person, role: Role) -> bool:
    return in_bank(person, role)


def counted_program_clause(status: ProgramStatus) -> ColumnElement[bool]:
    """The programmes counted in a state: the public ones only (a hidden programme is not
    counted, its existence is the curator's to reveal)."""
    return sa.and_(program_clause(), Program.status == status)


def is_program_counted(program: Program, status: ProgramStatus) -> bool:
    return is_program_public(program) and program.status is status


# -- effectiveness levels (issue 10; Положение 8.2: results after completion) --------------
#
# The school's switch «показывать итоговый уровень эффективности на сайте»
# (SectionInfo.show_effectiveness_level) is passed in as ``show_levels``.


def level_count_clause() -> ColumnElement[bool]:
    """The programmes whose final levels may be counted in public figures (counts per level
    only, never who): completed and shown. Which programmes, not whether: the switch
    decides that (``level_figures_public``)."""
    return sa.and_(program_completed_clause(), program_clause())


def counts_in_level_figures(program: Program) -> bool:
    return is_program_completed(program) and is_program_public(program)


def level_figures_public(show_levels: bool) -> bool:
    """The counts per level in the open data (the API summary): only if the school switched
    levels on. A count names nobody, but while a school has one completed pair it is that
    mentee's level; whether levels go out at all is the school's choice."""
    return show_levels


def is_final_level_public(program: Program, show_levels: bool) -> bool:
    """A programme's final level on its page: once completed, and only if the school
    switched levels on."""
    return show_levels and counts_in_level_figures(program)


def is_score_public(assessment: Assessment, show_levels: bool, today: date,
                    person: PersonFacts | None = None) -> bool:
    """One mentee's (or group's) score: never, unless the switch is on; then as the final
    level (a completed programme), and a mentee's only while the mentee may be shown. A
    pupil's own level never: a consent to show a child's name is not one to publish how the
    child was assessed (the group's and the programme's counts still include it).
    ``person``: the mentee scored, where the caller has read them already (a card's
    participant); else the assessment's own."""
    if not is_final_level_public(assessment.program, show_levels):
        return False
    if person is None or person.id != assessment.person_id:
        person = assessment.person
    if person is None:  # the group's
        return True
    return person.kind is not PersonKind.STUDENT and public_person(person, today) is not None


# -- what the curator is told before publishing ------------------------------------------


def case_publication_problem(program: Program | None) -> str | None:
    """Why a case may not be published yet (Положение, п. 8.2), or None."""
    if program is None:
        return "Выберите программу, к которой относится кейс."
    if not is_program_completed(program):
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
            "персональных данных (152-ФЗ, ст. 10.1): публиковать сведения об этом человеке "
            "нельзя. Добавьте согласие в карточке человека."
        )
    return None
