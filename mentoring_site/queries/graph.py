"""What a page's objects are shown with (a programme's people, their consents and photos,
its directions and plan; a case's files), read by statements built once for the whole page.

SQLAlchemy's loader options (``selectinload`` and the ``joinedload`` chained under it) build
their statement anew at every use: on a case page they took three quarters of the page's
time (6.6 ms, where the same rows by prebuilt statements take about 0.2 ms a statement).
Here each relation is one statement from ``base.built`` for all the objects of a page (a
file or a form joined to what it belongs to). What templates, the API's serializer and
``rules`` read as attributes (a person's consents and photo, a programme's form and
directions, a case's photos) is set on the objects with ``set_committed_value``, as a
loader would; what only a card needs (its participants, its plan's share done) comes back
as plain data (``CardParts``). Every person a public page shows (the cards, the banks, a
person's page, the honours) is read as columns into ``PersonRow`` (``rules.PersonFacts``),
never as a ``Person`` object. Each statement's order is the one its relationship declares in
``models/`` (ties broken by id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..models import (
    Case,
    CaseAttachment,
    CasePhoto,
    Consent,
    Direction,
    MediaFile,
    Participation,
    Person,
    PersonKind,
    PlanEvent,
    Program,
    ProgramForm,
    Role,
)
from ..models.monitoring import program_direction
from ..models.people import full_name
from .base import built

T = TypeVar("T")


def _ids() -> sa.BindParameter[Any]:
    return sa.bindparam("ids", expanding=True)


@built
def _programs() -> sa.Select:
    return (sa.select(Program, ProgramForm).join(ProgramForm, Program.form_id == ProgramForm.id)
            .where(Program.id.in_(_ids())))


@built
def _directions() -> sa.Select:
    link = program_direction.c
    return (sa.select(link.program_id, Direction)
            .join(program_direction, link.direction_id == Direction.id)
            .where(link.program_id.in_(_ids()))
            .order_by(Direction.sort, Direction.id))


@built
def _plans() -> sa.Select:
    """Per programme, its plan's events and how many are done: a card shows the share."""
    return (sa.select(PlanEvent.program_id, sa.func.count(PlanEvent.id),
                      sa.func.count(PlanEvent.done_on))
            .where(PlanEvent.program_id.in_(_ids()))
            .group_by(PlanEvent.program_id))


#: A person's columns ``rules.public_person`` reads, in ``PersonRow``'s order.
_PERSON_FACTS = (Person.id, Person.slug, Person.kind, Person.last_name, Person.first_name,
                 Person.middle_name, Person.position, Person.subjects, Person.qualification,
                 Person.experience_years, Person.bio, Person.awards)
#: A consent's columns the rules read (``rules.ConsentFacts``).
_CONSENT_FACTS = (Consent.id, Consent.signed_on, Consent.valid_until, Consent.withdrawn_on,
                  Consent.allow_name, Consent.allow_position, Consent.allow_photo,
                  Consent.allow_bio, Consent.allow_experience, Consent.allow_awards)


@built
def _participants() -> sa.Select:
    """A row per participant and consent (a person has one or two): one statement. The
    person and the consents come as columns, not objects: a list's cards hold some sixty
    people, and an ORM object each cost more than the rest of the card did."""
    return (sa.select(Participation.id, Participation.program_id, Participation.role,
                      *_PERSON_FACTS, MediaFile, *_CONSENT_FACTS)
            .join(Person, Participation.person_id == Person.id)
            .outerjoin(MediaFile, Person.photo_id == MediaFile.id)
            .outerjoin(Consent, Consent.person_id == Person.id)
            .where(Participation.program_id.in_(_ids()))
            .order_by(Participation.id, Consent.signed_on, Consent.id))


@built
def _people_rows() -> sa.Select:
    """A row per person and consent, as ``_participants`` reads them: one statement."""
    return (sa.select(*_PERSON_FACTS, MediaFile, *_CONSENT_FACTS)
            .outerjoin(MediaFile, Person.photo_id == MediaFile.id)
            .outerjoin(Consent, Consent.person_id == Person.id)
            .where(Person.id.in_(_ids()))
            .order_by(Person.id, Consent.signed_on, Consent.id))


@built
def _case_files() -> tuple[sa.Select, sa.Select]:
    photos = (sa.select(CasePhoto, MediaFile).join(MediaFile, CasePhoto.media_id == MediaFile.id)
              .where(CasePhoto.case_id.in_(_ids()))
              .order_by(CasePhoto.case_id, CasePhoto.sort, CasePhoto.id))
    attachments = (sa.select(CaseAttachment, MediaFile)
                   .join(MediaFile, CaseAttachment.media_id == MediaFile.id)
                   .where(CaseAttachment.case_id.in_(_ids()))
                   .order_by(CaseAttachment.case_id, CaseAttachment.id))
    return photos, attachments


def _grouped(items: Iterable[T], key: Callable[[T], int]) -> dict[int, list[T]]:
    out: dict[int, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def _attach(parents: Iterable[Any], name: str, groups: dict[int, list[Any]]) -> None:
    for parent in parents:
        set_committed_value(parent, name, groups.get(parent.id, []))


def _files_of(sess: Session, cases: Sequence[Case], name: str, stmt: sa.Select) -> None:
    """Set ``name`` (photos, attachments) of each case, each item with its ``media``."""
    groups: dict[int, list[Any]] = {}
    for item, media in sess.execute(stmt, {"ids": [c.id for c in cases]}):
        set_committed_value(item, "media", media)
        groups.setdefault(item.case_id, []).append(item)
    _attach(cases, name, groups)


def load_case_photos(sess: Session, cases: Sequence[Case]) -> None:
    """The photos of a list's cases, with their files: one statement."""
    if cases:
        _files_of(sess, cases, "photos", _case_files()[0])


class ConsentRow(NamedTuple):
    """A consent as the rules read it (``rules.ConsentFacts``), from ``_CONSENT_FACTS``."""

    id: int
    signed_on: date
    valid_until: date | None
    withdrawn_on: date | None
    allow_name: bool
    allow_position: bool
    allow_photo: bool
    allow_bio: bool
    allow_experience: bool
    allow_awards: bool


@dataclass(slots=True)
class PersonRow:
    """A person (a card's participant, a bank's member) as the rules read them
    (``rules.PersonFacts``): the columns of ``_PERSON_FACTS``, the photo and the consents.
    Never shown as it is: a page shows what ``rules.public_person`` makes of it."""

    id: int
    slug: str
    kind: PersonKind
    last_name: str
    first_name: str
    middle_name: str
    position: str
    subjects: str
    qualification: str
    experience_years: int | None
    bio: str
    awards: str
    photo: MediaFile | None = None
    consents: list[ConsentRow] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name)


def _person_of(row: Sequence[Any], at: int) -> PersonRow:
    """The person whose ``_PERSON_FACTS`` begin at ``row[at]``, the photo after them."""
    person = PersonRow(*row[at:at + len(_PERSON_FACTS)])
    person.photo = row[at + len(_PERSON_FACTS)]
    return person


def _add_consent(consents: list[ConsentRow], row: Sequence[Any], at: int) -> None:
    """The consent after the person and photo that begin at ``row[at]``, if there is one."""
    start = at + len(_PERSON_FACTS) + 1
    if row[start] is not None:
        consents.append(ConsentRow(*row[start:]))


@dataclass
class CardParts:
    """What a programme's card shows besides the programme: its participants (role and
    ``PersonRow``, in the programme's order) and its plan (events, done).
    Plain data: a card reads no ``participations`` or ``events`` objects."""

    people: list[tuple[Role, PersonRow]] = field(default_factory=list)
    plan: tuple[int, int] = (0, 0)


def programs_by_id(sess: Session, ids: Sequence[int]) -> dict[int, tuple[Program, CardParts]]:
    """The programmes ``ids`` with what their cards show (form and directions set on each);
    four statements whatever the number."""
    if not ids:
        return {}
    found = {}
    for program, form in sess.execute(_programs(), {"ids": list(ids)}):
        set_committed_value(program, "form", form)
        found[program.id] = program
    parts = card_parts(sess, list(found.values()))
    return {i: (p, parts[i]) for i, p in found.items()}


def card_parts(sess: Session, programs: Sequence[Program]) -> dict[int, CardParts]:
    """Directions set on ``programs`` (their forms set already), and per programme its
    card's people and plan."""
    ids = [p.id for p in programs]
    _attach(programs, "directions", {k: [d for _, d in v] for k, v in _grouped(
        sess.execute(_directions(), {"ids": ids}), lambda r: r[0]).items()})
    out = {i: CardParts() for i in ids}
    for program_id, events, done in sess.execute(_plans(), {"ids": ids}):
        out[program_id].plan = (events, done)
    people: dict[int, PersonRow] = {}
    last = None
    for row in sess.execute(_participants(), {"ids": ids}):
        part_id, program_id, role = row[:3]
        if part_id != last:  # a participant's first row
            last = part_id
            person = people.get(row[3])
            if person is None:  # the same person in two programmes is one record
                person = people[row[3]] = _person_of(row, 3)
                seen = person.consents
            else:
                seen = []  # their consents are read already
            out[program_id].people.append((role, person))
        _add_consent(seen, row, 3)
    return out


def people_rows(sess: Session, ids: Sequence[int]) -> list[PersonRow]:
    """The people ``ids``, in that order, as the rules read them (``PersonRow``): one
    statement, no ORM object but their photos."""
    found: dict[int, PersonRow] = {}
    for row in sess.execute(_people_rows(), {"ids": list(ids)}) if ids else ():
        person = found.get(row[0])
        if person is None:
            person = found[row[0]] = _person_of(row, 0)
        _add_consent(person.consents, row, 0)
    return [found[i] for i in ids if i in found]


def load_case(sess: Session, case: Case, program: Program, form: ProgramForm) -> CardParts:
    """A case's page (the case read with its programme and form): the case's photos and
    attachments with their files, and what its programme's card shows."""
    set_committed_value(program, "form", form)
    set_committed_value(case, "program", program)
    parts = card_parts(sess, [program])[program.id]
    photos, attachments = _case_files()
    _files_of(sess, [case], "photos", photos)
    _files_of(sess, [case], "attachments", attachments)
    return parts
