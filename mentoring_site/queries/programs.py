"""Programmes: the running and finished ones the section shows, with their progress and,
where the school publishes them, the results of the monitoring of effectiveness."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from .. import rules
from ..models import (
    Assessment,
    AssessmentStage,
    Case,
    Direction,
    Participation,
    Person,
    Program,
    ProgramStatus,
    Role,
    Sheet,
)
from ..models.monitoring import program_direction
from ..monitoring import assessments, sheet
from . import graph
from .base import Clock, Memo, NotFound, Paged, built, counted


@dataclass(frozen=True)
class LevelCount:
    """A level of the school's sheet (its band of totals) and how many reached it."""

    name: str
    min_total: int
    max_total: int
    count: int


@dataclass(frozen=True)
class MenteeLevel:
    """A mentee shown on the page (consent) and the level of their final score."""

    person: rules.PublicPerson
    level: str


@dataclass(frozen=True)
class Effectiveness:
    """What the public may see of a completed programme's monitoring (the school's switch
    on, ``rules.is_final_level_public``): its final level, how many mentees (or groups)
    ended at each level of the sheet, and the levels of the mentees who may be shown."""

    sheet: str
    level: str | None
    counts: list[LevelCount]
    mentees: list[MenteeLevel] = field(default_factory=list)


@dataclass
class ProgramCard:
    """A programme as the pages and the API show it. What of it is public beyond the
    programme itself comes as flags from ``rules``: templates and the API read them and
    never compare statuses."""

    program: Program
    mentors: list[rules.PublicPerson]
    mentees: list[rules.PublicPerson]
    hidden_people: int
    percent_done: int | None
    results_public: bool = False
    early_end_public: bool = False
    effectiveness: Effectiveness | None = None


def program_card(program: Program, parts: graph.CardParts, today: date) -> ProgramCard:
    """A programme's card from what ``graph.card_parts`` read for it."""
    mentors: list[rules.PublicPerson] = []
    mentees: list[rules.PublicPerson] = []
    hidden = 0
    for role, person in parts.people:
        shown = rules.public_person(person, today)
        if shown is None:
            hidden += 1
        else:
            (mentors if role is Role.MENTOR else mentees).append(shown)
    return _card(program, mentors, mentees, hidden, parts.plan)


def _card(program: Program, mentors: list[rules.PublicPerson],
          mentees: list[rules.PublicPerson], hidden: int, plan: tuple[int, int]) -> ProgramCard:
    events, done = plan
    percent = round(100 * done / events) if events else None
    return ProgramCard(program, mentors, mentees, hidden, percent,
                       results_public=rules.results_public(program),
                       early_end_public=rules.early_end_public(program))


#: The list's order: running, then planned, then the rest; newest start first within each.
PROGRAM_LIST_GROUPS = ((ProgramStatus.ACTIVE,), (ProgramStatus.PLANNED,),
                       (ProgramStatus.COMPLETED, ProgramStatus.ENDED_EARLY))


@built
def _public_program_ids(by_status: bool, by_direction: bool) -> sa.Select:
    """The ids of a page in the list's order, from ``ix_mentoring_program_public_order``
    alone and without sorting every programme: per state, the first ``reach`` (the page's
    offset plus its size) in that index's order, then those few put in the list's order.
    The rows with their texts are not read here (sorting them read every programme)."""
    branches = []
    for rank, group in enumerate(PROGRAM_LIST_GROUPS):
        for status in group:
            branch = sa.select(Program.id, Program.starts_on, sa.literal(rank).label("rank"))
            branch = branch.where(rules.program_clause(), Program.status == status)
            if by_status:
                branch = branch.where(Program.status == sa.bindparam("status"))
            if by_direction:
                branch = branch.where(
                    Program.directions.any(Direction.id == sa.bindparam("direction")))
            branch = branch.order_by(Program.starts_on.desc(), Program.id.desc())
            sub = branch.limit(sa.bindparam("reach")).subquery()
            branches.append(sa.select(sub.c.id, sub.c.starts_on, sub.c.rank))
    merged = sa.union_all(*branches).subquery()
    return (sa.select(merged.c.id)
            .order_by(merged.c.rank, merged.c.starts_on.desc(), merged.c.id.desc())
            .limit(sa.bindparam("page_limit")).offset(sa.bindparam("page_offset")))


@built
def _public_program_count(by_status: bool, by_direction: bool) -> sa.Select:
    stmt = sa.select(sa.func.count()).select_from(Program).where(rules.program_clause())
    if by_status:
        stmt = stmt.where(Program.status == sa.bindparam("status"))
    if by_direction:
        stmt = stmt.where(Program.directions.any(Direction.id == sa.bindparam("direction")))
    return stmt


def programs(
    sess: Session, clock: Clock, page: int, per_page: int, status: ProgramStatus | None = None,
    *, direction: int | None = None, levels: bool = False, memo: Memo | None = None,
) -> Paged[ProgramCard]:
    """One page of the public programmes, by state and (``direction``, an id from
    ``program_directions``) by direction; ``levels`` adds the monitoring's results."""
    shape = (status is not None, direction is not None)
    params = {"status": status, "direction": direction}
    total = counted(memo, f"programs:{status}:{direction}",
                    lambda: sess.scalar(_public_program_count(*shape), params) or 0)
    offset = (page - 1) * per_page
    ids = list(sess.scalars(_public_program_ids(*shape), {
        **params, "reach": offset + per_page, "page_limit": per_page, "page_offset": offset}))
    found = graph.programs_by_id(sess, ids)
    cards = [program_card(*found[i], clock.today) for i in ids if i in found]
    if levels:
        people = {p.id: p for _, parts in found.values() for _, p in parts.people}
        add_effectiveness(sess, clock.today, cards, people)
    return Paged(cards, page, per_page, total)


@dataclass(frozen=True)
class DirectionChoice:
    """A direction the public list offers: plain data, kept per data version."""

    id: int
    name: str


def program_directions(sess: Session) -> list[DirectionChoice]:
    """The directions the public list may be filtered by: those of public programmes only
    (a direction of a hidden programme would tell it exists), in the school's order."""
    shown = sa.select(Program.id).where(rules.program_clause())
    return [DirectionChoice(i, name) for i, name in sess.execute(
        sa.select(Direction.id, Direction.name)
        .where(Direction.id.in_(
            sa.select(program_direction.c.direction_id)
            .where(program_direction.c.program_id.in_(shown))
        ))
        .order_by(Direction.sort, Direction.id)
    )]


# -- the monitoring of effectiveness (issue 10) ------------------------------------------


def _final_scores(sess: Session, programs: ColumnElement[bool]) -> dict[int, list[Assessment]]:
    """The final scores of the programmes ``programs`` selects (a clause on
    ``Assessment.program_id``), in the order ``assessments.final_level_of`` expects.

    Two statements whatever the numbers: the scores with their answers joined (a group
    of any size costs no extra round trip), then the levels of the few sheets used. The
    people scored are read with the cards (``add_effectiveness``'s ``people``)."""
    scored = sess.scalars(
        sa.select(Assessment)
        .where(programs, Assessment.stage == AssessmentStage.FINAL)
        .order_by(Assessment.scored_on, Assessment.id)
        .options(joinedload(Assessment.answers),
                 joinedload(Assessment.sheet).selectinload(Sheet.levels))
    ).unique()
    found: dict[int, list[Assessment]] = {}
    for a in scored:
        found.setdefault(a.program_id, []).append(a)
    return found


def _level_counts(sheets: Iterable[Sheet], names: Iterable[str]) -> list[LevelCount]:
    """Every level of the sheets used (in the sheet's order, a name once), with its count."""
    counts = Counter(names)
    out: dict[str, LevelCount] = {}
    for used in sheets:
        for lv in used.levels:
            if lv.name not in out:
                out[lv.name] = LevelCount(lv.name, lv.min_total, lv.max_total, counts[lv.name])
    return list(out.values())


def _sheets(scores: Iterable[Assessment]) -> list[Sheet]:
    seen: list[Sheet] = []
    for a in scores:
        if a.sheet not in seen:
            seen.append(a.sheet)
    return seen


def effectiveness(finals: Sequence[Assessment], card: ProgramCard, show_levels: bool,
                  today: date, people: Mapping[int, rules.PersonFacts] | None = None,
                  ) -> Effectiveness | None:
    """A programme's results of monitoring as the public may see them, or None;
    ``people``: the card's participants as read for it, by id."""
    if not finals or not rules.is_final_level_public(card.program, show_levels):
        return None
    levels = [sheet.assessment_level(a) for a in finals]
    shown = {p.id: p for p in card.mentees}
    mentees = [
        MenteeLevel(shown[a.person_id], lv.name)
        for a, lv in zip(finals, levels, strict=True)
        if a.person_id in shown and lv is not None
        and rules.is_score_public(a, show_levels, today, (people or {}).get(a.person_id))
    ]
    sheets = _sheets(finals)
    return Effectiveness(
        sheet=sheets[0].name,
        level=assessments.final_level_of(finals),
        counts=_level_counts(sheets, (lv.name for lv in levels if lv is not None)),
        mentees=mentees,
    )


def add_effectiveness(sess: Session, today: date, cards: list[ProgramCard],
                      people: Mapping[int, rules.PersonFacts] | None = None) -> None:
    """Give each card of a page its results of monitoring (a fixed number of statements:
    the school's switch, then, if it is on, the final scores of the page). ``people``: the
    participants the cards were made from, by id (a person scored is read from them)."""
    show = assessments.show_levels_on_site(sess)
    ids = [c.program.id for c in cards if rules.is_final_level_public(c.program, show)]
    finals = _final_scores(sess, Assessment.program_id.in_(ids)) if ids else {}
    for card in cards:
        card.effectiveness = effectiveness(finals.get(card.program.id, []), card, show, today,
                                           people)


def level_figures(sess: Session) -> list[LevelCount] | None:
    """How many completed public programmes ended at each level (the open data's summary),
    or None while the school does not publish levels (``rules.level_figures_public``)."""
    if not rules.level_figures_public(assessments.show_levels_on_site(sess)):
        return None
    counted = sa.select(Program.id).where(rules.level_count_clause())
    finals = _final_scores(sess, Assessment.program_id.in_(counted))
    names = [assessments.final_level_of(scores) for scores in finals.values()]
    return _level_counts(_sheets(a for scores in finals.values() for a in scores),
                         (n for n in names if n is not None))


#: Participants on a programme's page at a time (a group of 10,000 was 8.3 s and 6.7 MB).
PARTICIPANTS_PER_PAGE = 60


@dataclass
class ProgramView:
    card: ProgramCard
    cases: list[Case]
    #: The page of participants shown (mentors first); its total counts the shown only.
    participants: Paged[Participation]


@built
def _program_page_statements() -> tuple[sa.Select, sa.Select, sa.Select]:
    """The programme with both counts of its participants (``slug``, ``today``); one page of
    those shown, mentors first (``program_id``, ``page_limit``, ``page_offset``); its public
    cases (``program_id``, ``now``)."""
    shown = Participation.person.has(rules.person_clause(sa.bindparam("today")))
    everyone = (sa.select(sa.func.count()).select_from(Participation)
                .where(Participation.program_id == Program.id))
    programme = (
        sa.select(Program, everyone.scalar_subquery(), everyone.where(shown).scalar_subquery())
        .where(Program.slug == sa.bindparam("slug"), rules.program_clause())
        .options(joinedload(Program.form), selectinload(Program.events),
                 selectinload(Program.directions), selectinload(Program.extensions)))
    program_id: sa.BindParameter[int] = sa.bindparam("program_id")
    person = joinedload(Participation.person)
    participants = (
        sa.select(Participation).where(Participation.program_id == program_id, shown)
        .options(person.joinedload(Person.consents), person.joinedload(Person.photo))
        .order_by(sa.case((Participation.role == Role.MENTOR, 0), else_=1), Participation.id)
        .limit(sa.bindparam("page_limit")).offset(sa.bindparam("page_offset")))
    cases = (sa.select(Case)
             .where(Case.program_id == program_id, rules.case_clause(sa.bindparam("now")))
             .order_by(Case.published_at.desc()))
    return programme, participants, cases


def program_page(sess: Session, clock: Clock, slug: str, page: int = 1,
                 per_page: int = PARTICIPANTS_PER_PAGE) -> ProgramView:
    """A programme with one page of the participants who may be shown (mentors first);
    those who may not are only counted (``card.hidden_people``), on every page alike."""
    programme, participants, cases_of = _program_page_statements()
    found = sess.execute(programme, {"slug": slug, "today": clock.today}).unique().one_or_none()
    if found is None:
        raise NotFound(slug)
    program, total, shown_total = found
    parts = sess.scalars(participants, {
        "program_id": program.id, "today": clock.today,
        "page_limit": per_page, "page_offset": (page - 1) * per_page}).unique().all()
    mentors: list[rules.PublicPerson] = []
    mentees: list[rules.PublicPerson] = []
    for part in parts:
        public = rules.public_person(part.person, clock.today)
        if public is not None:  # the clause's rule: always, unless a consent ends mid-request
            (mentors if part.role is Role.MENTOR else mentees).append(public)
    events = program.events  # the page lists them: loaded with the programme
    plan = (len(events), sum(1 for e in events if e.done_on))
    card = _card(program, mentors, mentees, (total or 0) - (shown_total or 0), plan)
    add_effectiveness(sess, clock.today, [card])
    cases = sess.scalars(cases_of, {"program_id": program.id, "now": clock.now}).all()
    return ProgramView(card, list(cases), Paged(list(parts), page, per_page, shown_total or 0))
