"""The public read model: every query the public side makes, built on ``rules.py``.

Pages, feeds and the API all read through here, so none of them can show more than
another. Every list costs a fixed number of SQL statements whatever the data size:
one count, one page of rows, and one ``selectinload`` per related collection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from . import rules
from .models import (
    Case,
    CasePhoto,
    DocLevel,
    Document,
    Honor,
    Material,
    MaterialKind,
    MediaFile,
    NewsItem,
    NewsKind,
    Page,
    Participation,
    Person,
    Program,
    ProgramStatus,
    Role,
    SectionInfo,
    SlugHistory,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Clock:
    """The moment a request is answered: UTC for timestamps, the school's date for dates."""

    now: datetime
    today: date

    @classmethod
    def current(cls, tz_name: str) -> Clock:
        """The clock of this moment for a school in time zone ``tz_name``."""
        now = datetime.now(UTC)
        return cls(now=now.replace(tzinfo=None), today=now.astimezone(ZoneInfo(tz_name)).date())


def local_now(tz_name: str) -> datetime:
    """The school's wall-clock time, naive, as event times are stored."""
    return datetime.now(ZoneInfo(tz_name)).replace(tzinfo=None)


@dataclass
class Paged(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class NotFound(LookupError):
    """Missing, or hidden by the rules: both look the same to the public."""


def _paged(sess: Session, stmt: sa.Select, page: int, per_page: int) -> Paged:
    total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Paged(items, page, per_page, total or 0)


# -- people ----------------------------------------------------------------------------------

_PERSON_LOAD = (selectinload(Person.consents), joinedload(Person.photo))


def people_in_bank(
    sess: Session, clock: Clock, role: Role, page: int, per_page: int
) -> Paged[rules.PublicPerson]:
    flag = Person.in_mentor_bank if role is Role.MENTOR else Person.in_mentee_bank
    stmt = (
        sa.select(Person)
        .where(flag.is_(True), rules.person_clause(clock.today))
        .options(*_PERSON_LOAD)
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    result = _paged(sess, stmt, page, per_page)
    result.items = [p for p in (rules.public_person(x, clock.today) for x in result.items) if p]
    return result


@dataclass
class PersonView:
    person: rules.PublicPerson
    programs: list[tuple[Program, Role]]
    honors: list[Honor]


def person_page(sess: Session, clock: Clock, slug: str) -> PersonView:
    person = sess.scalar(
        sa.select(Person)
        .where(Person.slug == slug, rules.person_clause(clock.today))
        .options(*_PERSON_LOAD)
    )
    public = rules.public_person(person, clock.today) if person else None
    if public is None or not public.has_page:
        raise NotFound(slug)
    participations = sess.scalars(
        sa.select(Participation)
        .join(Participation.program)
        .where(Participation.person_id == person.id, rules.program_clause())
        .options(joinedload(Participation.program).joinedload(Program.form))
        .order_by(Program.starts_on.desc())
    ).all()
    honors = sess.scalars(
        sa.select(Honor)
        .where(
            sa.or_(Honor.person_id == person.id, Honor.partner_id == person.id),
            rules.published_clause(Honor, clock.now),
        )
        .order_by(Honor.year.desc())
    ).all()
    return PersonView(public, [(p.program, p.role) for p in participations], list(honors))


# -- programmes ------------------------------------------------------------------------------


@dataclass
class ProgramCard:
    program: Program
    mentors: list[rules.PublicPerson]
    mentees: list[rules.PublicPerson]
    hidden_people: int
    percent_done: int | None


def _program_card(program: Program, today: date) -> ProgramCard:
    mentors, mentees, hidden = [], [], 0
    for part in program.participations:
        shown = rules.public_person(part.person, today)
        if shown is None:
            hidden += 1
        else:
            (mentors if part.role is Role.MENTOR else mentees).append(shown)
    events = program.events
    percent = round(100 * sum(1 for e in events if e.done_on) / len(events)) if events else None
    return ProgramCard(program, mentors, mentees, hidden, percent)


def _program_load():
    # Participants, their consents and photos come in one statement per page of
    # programmes: a group of any size costs no extra round trips.
    person = selectinload(Program.participations).joinedload(Participation.person)
    return (
        joinedload(Program.form),
        person.joinedload(Person.consents),
        person.joinedload(Person.photo),
        selectinload(Program.events),
    )


PROGRAM_STATUS_ORDER = sa.case(
    (Program.status == ProgramStatus.ACTIVE, 0),
    (Program.status == ProgramStatus.PLANNED, 1),
    else_=2,
)


def programs(
    sess: Session, clock: Clock, page: int, per_page: int, status: ProgramStatus | None = None
) -> Paged[ProgramCard]:
    stmt = sa.select(Program).where(rules.program_clause()).options(*_program_load())
    if status is not None:
        stmt = stmt.where(Program.status == status)
    stmt = stmt.order_by(PROGRAM_STATUS_ORDER, Program.starts_on.desc(), Program.id.desc())
    result = _paged(sess, stmt, page, per_page)
    result.items = [_program_card(p, clock.today) for p in result.items]
    return result


@dataclass
class ProgramView:
    card: ProgramCard
    cases: list[Case]


def program_page(sess: Session, clock: Clock, slug: str) -> ProgramView:
    program = sess.scalar(
        sa.select(Program)
        .where(Program.slug == slug, rules.program_clause())
        .options(*_program_load(), selectinload(Program.extensions))
    )
    if program is None:
        raise NotFound(slug)
    cases = sess.scalars(
        sa.select(Case)
        .where(Case.program_id == program.id, rules.case_clause(clock.now))
        .order_by(Case.published_at.desc())
    ).all()
    return ProgramView(_program_card(program, clock.today), list(cases))


# -- cases -----------------------------------------------------------------------------------


def cases(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[Case]:
    stmt = (
        sa.select(Case)
        .where(rules.case_clause(clock.now))
        .options(
            joinedload(Case.program).joinedload(Program.form),
            selectinload(Case.photos).joinedload(CasePhoto.media),
        )
        .order_by(Case.published_at.desc(), Case.id.desc())
    )
    return _paged(sess, stmt, page, per_page)


@dataclass
class CaseView:
    case: Case
    program: ProgramCard


def case_page(sess: Session, clock: Clock, slug: str) -> CaseView:
    case = sess.scalar(
        sa.select(Case)
        .where(Case.slug == slug, rules.case_clause(clock.now))
        .options(
            joinedload(Case.program).options(*_program_load()),
            selectinload(Case.photos).joinedload(CasePhoto.media),
            selectinload(Case.attachments).joinedload(Case.attachments.property.mapper.class_.media),
        )
    )
    if case is None:
        raise NotFound(slug)
    return CaseView(case, _program_card(case.program, clock.today))


# -- documents, materials --------------------------------------------------------------------

LEVEL_ORDER = sa.case({lvl: i for i, lvl in enumerate(DocLevel)}, value=Document.level)


def documents(
    sess: Session, clock: Clock, page: int, per_page: int, *, in_force: bool = True
) -> Paged[Document]:
    stmt = (
        sa.select(Document)
        .where(rules.published_clause(Document, clock.now), Document.in_force.is_(in_force))
        .options(joinedload(Document.file))
        .order_by(
            LEVEL_ORDER, Document.sort, Document.issued_on.desc().nulls_last(), Document.id
        )
    )
    return _paged(sess, stmt, page, per_page)


MATERIAL_ORDER = sa.case({k: i for i, k in enumerate(MaterialKind)}, value=Material.kind)


def materials(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[Material]:
    stmt = (
        sa.select(Material)
        .where(rules.published_clause(Material, clock.now))
        .options(joinedload(Material.file))
        .order_by(MATERIAL_ORDER, Material.published_at.desc(), Material.id.desc())
    )
    return _paged(sess, stmt, page, per_page)


# -- news ------------------------------------------------------------------------------------


def _upcoming(now_local: datetime):
    return sa.and_(
        NewsItem.kind == NewsKind.ANNOUNCEMENT,
        sa.func.coalesce(NewsItem.event_ends_at, NewsItem.event_starts_at) >= now_local,
    )


def news(
    sess: Session,
    clock: Clock,
    page: int,
    per_page: int,
    *,
    now_local: datetime,
    kind: NewsKind | None = None,
) -> Paged[NewsItem]:
    """Upcoming announcements first (soonest first), then everything newest first."""
    upcoming = _upcoming(now_local)
    stmt = (
        sa.select(NewsItem)
        .where(rules.published_clause(NewsItem, clock.now))
        .options(joinedload(NewsItem.image))
        .order_by(
            sa.case((upcoming, 0), else_=1),
            sa.case((upcoming, NewsItem.event_starts_at), else_=None),
            NewsItem.published_at.desc(),
            NewsItem.id.desc(),
        )
    )
    if kind is not None:
        stmt = stmt.where(NewsItem.kind == kind)
    return _paged(sess, stmt, page, per_page)


def news_item(sess: Session, clock: Clock, slug: str) -> NewsItem:
    item = sess.scalar(
        sa.select(NewsItem)
        .where(NewsItem.slug == slug, rules.published_clause(NewsItem, clock.now))
        .options(joinedload(NewsItem.image))
    )
    if item is None:
        raise NotFound(slug)
    return item


# -- honors, pages ---------------------------------------------------------------------------


@dataclass
class HonorCard:
    honor: Honor
    person: rules.PublicPerson
    partner: rules.PublicPerson | None


def honors(sess: Session, clock: Clock, page: int, per_page: int) -> Paged[HonorCard]:
    stmt = (
        sa.select(Honor)
        .where(
            rules.published_clause(Honor, clock.now),
            Honor.person.has(rules.person_clause(clock.today)),
        )
        .options(
            joinedload(Honor.person).selectinload(Person.consents),
            joinedload(Honor.person).joinedload(Person.photo),
            joinedload(Honor.partner).selectinload(Person.consents),
            joinedload(Honor.partner).joinedload(Person.photo),
        )
        .order_by(Honor.year.desc(), Honor.id.desc())
    )
    result = _paged(sess, stmt, page, per_page)
    cards = []
    for honor in result.items:
        shown = rules.public_person(honor.person, clock.today)
        if shown is not None:
            partner = rules.public_person(honor.partner, clock.today) if honor.partner else None
            cards.append(HonorCard(honor, shown, partner))
    result.items = cards
    return result


def page(sess: Session, clock: Clock, slug: str) -> Page:
    item = sess.scalar(
        sa.select(Page).where(Page.slug == slug, rules.published_clause(Page, clock.now))
    )
    if item is None:
        raise NotFound(slug)
    return item


def menu_pages(sess: Session, clock: Clock) -> list[Page]:
    return list(
        sess.scalars(
            sa.select(Page)
            .where(rules.published_clause(Page, clock.now))
            .order_by(Page.sort, Page.title)
        )
    )


# -- the section home ------------------------------------------------------------------------


@dataclass
class Figures:
    mentors: int
    mentees: int
    active_programs: int
    completed_programs: int
    last_updated: datetime | None


def figures(sess: Session, clock: Clock) -> Figures:
    """Counts are aggregate, not personal data: everyone counts, consent or not."""
    public_tables = [
        (m, rules.published_clause(m, clock.now))
        for m in (Case, Document, Material, NewsItem, Honor, Page)
    ]
    stamps = [
        sa.select(sa.func.max(sa.func.coalesce(m.updated_at, m.published_at))).where(clause)
        for m, clause in public_tables
    ]
    stamps += [
        sa.select(sa.func.max(m.published_at)).where(clause) for m, clause in public_tables
    ]
    stamps.append(sa.select(sa.func.max(Program.updated_at)).where(rules.program_clause()))
    # the banks of mentors and mentees are kept up to date too: a shown person's edit counts
    stamps.append(sa.select(sa.func.max(Person.updated_at))
                  .where(rules.person_page_clause(clock.today)))
    stamps.append(sa.select(sa.func.max(SectionInfo.updated_at)))
    last = sa.union_all(*stamps).subquery()
    program_counts = (
        sa.select(sa.func.count())
        .where(rules.program_clause(), Program.status == status)
        .scalar_subquery()
        for status in (ProgramStatus.ACTIVE, ProgramStatus.COMPLETED)
    )
    active, completed = program_counts
    row = sess.execute(
        sa.select(
            sa.select(sa.func.count()).where(Person.in_mentor_bank.is_(True)).scalar_subquery(),
            sa.select(sa.func.count()).where(Person.in_mentee_bank.is_(True)).scalar_subquery(),
            active,
            completed,
            sa.select(sa.func.max(last.c[0])).scalar_subquery(),
        )
    ).one()
    return Figures(*row)


def section_info(sess: Session) -> SectionInfo | None:
    return sess.scalar(sa.select(SectionInfo).order_by(SectionInfo.id).limit(1))


def upcoming_announcements(
    sess: Session, clock: Clock, now_local: datetime, limit: int = 3
) -> list[NewsItem]:
    return list(
        sess.scalars(
            sa.select(NewsItem)
            .where(rules.published_clause(NewsItem, clock.now), _upcoming(now_local))
            .order_by(NewsItem.event_starts_at)
            .limit(limit)
        )
    )


def latest_news(sess: Session, clock: Clock, limit: int = 3) -> list[NewsItem]:
    return list(
        sess.scalars(
            sa.select(NewsItem)
            .where(rules.published_clause(NewsItem, clock.now), NewsItem.kind == NewsKind.NEWS)
            .options(joinedload(NewsItem.image))
            .order_by(NewsItem.published_at.desc())
            .limit(limit)
        )
    )


# -- media -----------------------------------------------------------------------------------


def public_media(sess: Session, clock: Clock, stored_name: str) -> MediaFile:
    """A file is served only while something public shows it (a photo of a person who
    withdrew consent stops being served at once, even to someone who kept its URL)."""
    media = sess.scalar(
        sa.select(MediaFile).where(
            sa.or_(MediaFile.stored_name == stored_name, MediaFile.thumb_name == stored_name),
            MediaFile.is_private.is_(False),
        )
    )
    if media is None:
        raise NotFound(stored_name)
    mid = media.id
    # A person's photo: decided by rules.public_person itself (the newest consent in force
    # decides the fields), so the file is served exactly when the pages show it.
    owners = sess.scalars(
        sa.select(Person).where(Person.photo_id == mid).options(selectinload(Person.consents))
    ).all()
    for owner in owners:
        shown = rules.public_person(owner, clock.today)
        if shown is not None and shown.photo is not None:
            return media
    users = sa.union_all(
        sa.select(CasePhoto.id).join(Case).where(
            CasePhoto.media_id == mid, rules.case_clause(clock.now)
        ),
        sa.select(Case.id).where(
            Case.attachments.any(media_id=mid), rules.case_clause(clock.now)
        ),
        sa.select(Document.id).where(
            Document.file_id == mid, rules.published_clause(Document, clock.now)
        ),
        sa.select(Material.id).where(
            Material.file_id == mid, rules.published_clause(Material, clock.now)
        ),
        sa.select(NewsItem.id).where(
            NewsItem.image_id == mid, rules.published_clause(NewsItem, clock.now)
        ),
    ).subquery()
    if not sess.scalar(sa.select(sa.exists(sa.select(users.c[0])))):
        raise NotFound(stored_name)
    return media


# -- permalinks ------------------------------------------------------------------------------


def _slug_targets(clock: Clock) -> dict[str, tuple[type, ColumnElement[bool]]]:
    """Per kind of ``permalinks.KINDS``: the model and the rule its detail page applies."""
    return {
        "case": (Case, rules.case_clause(clock.now)),
        "news": (NewsItem, rules.published_clause(NewsItem, clock.now)),
        "program": (Program, rules.program_clause()),
        "person": (
            Person,
            rules.person_page_clause(clock.today),
        ),
        "page": (Page, rules.published_clause(Page, clock.now)),
    }


def is_public(sess: Session, clock: Clock, kind: str, obj_id: int) -> bool:
    """Whether the object's page is open to the public now (so its address may be shared)."""
    target = _slug_targets(clock).get(kind)
    if target is None:
        return False
    model, clause = target
    return sess.scalar(sa.select(model.id).where(model.id == obj_id, clause)) is not None


def moved_slug(sess: Session, clock: Clock, kind: str, old_slug: str) -> str | None:
    """The current slug of the object once reachable at ``old_slug``, if it is public now.

    A hidden object gives None, as if the slug had never existed: a redirect would tell
    the public the new slug of a draft.
    """
    target = _slug_targets(clock).get(kind)
    if target is None:
        return None
    model, clause = target
    return sess.scalar(
        sa.select(model.slug)
        .join(SlugHistory, sa.and_(SlugHistory.object_id == model.id, SlugHistory.kind == kind))
        .where(SlugHistory.old_slug == old_slug, model.slug != old_slug, clause)
    )
