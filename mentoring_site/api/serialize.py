"""The API's answers from what the public read model returns: models of ``contract``.

Each function builds one model of ``mentoring_site.contract`` (the one definition of the
API, which also gives the OpenAPI schemas and the registry's checks); the views dump them.
Only what a page shows goes out: people come as ``rules.PublicPerson`` (consented
fields), user text as the same sanitised HTML the pages render (``*_html``, links
relative to the site) or as plain text; never the raw Markdown, which may hold text a
page does not show (an unused link definition, say). Every URL is absolute, from
``urls.absolute_url``, never from the request's Host header.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import overload

from .. import contract, markup, queries
from ..models import Case, Document, Material, MediaFile, NewsItem
from ..public.meta import iso_local, iso_utc
from ..rules import PublicPerson
from ..templating import markdown_filter
from ..urls import absolute_url


def html(text: str | None) -> str | None:
    return str(markdown_filter(text)) if text else None


def _plain(text: str | None) -> str | None:
    return markup.to_plain(text) or None if text else None


@overload
def _day(value: date) -> str: ...
@overload
def _day(value: date | None) -> str | None: ...
def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


@overload
def utc(value: datetime) -> str: ...
@overload
def utc(value: datetime | None) -> str | None: ...
def utc(value: datetime | None) -> str | None:
    return iso_utc(value) if value else None


def _label(value) -> contract.Label:
    return contract.label(value)


def _external(url: str | None) -> str | None:
    """The pages link only http(s) addresses typed by the curator; so does the API."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _media_fields(m: MediaFile) -> dict:
    return {
        "url": absolute_url("mentoring.media", name=m.stored_name),
        "name": m.original_name,
        "content_type": m.content_type,
        "size": m.size,
        "alt": m.alt_text or None,
        "width": m.width,
        "height": m.height,
    }


def media(m: MediaFile | None) -> contract.Media | None:
    return contract.Media(**_media_fields(m)) if m is not None else None


def _person_ref_fields(p: PublicPerson) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "url": absolute_url("mentoring.person", slug=p.slug) if p.has_page else None,
    }


def person_ref(p: PublicPerson) -> contract.PersonRef:
    return contract.PersonRef(**_person_ref_fields(p))


def person(p: PublicPerson) -> contract.Person:
    """A person of a bank: exactly the fields of ``PublicPerson`` (null = not consented)."""
    return contract.Person(
        **_person_ref_fields(p),
        slug=p.slug if p.has_page else None,
        is_student=p.is_student,
        position=p.position,
        subjects=p.subjects,
        qualification=p.qualification,
        experience_years=p.experience_years,
        bio_html=html(p.bio),
        awards_html=html(p.awards),
        photo=media(p.photo),
    )


def level_counts(rows: list[queries.LevelCount]) -> list[contract.LevelCount]:
    return [contract.LevelCount(level=r.name, min_total=r.min_total, max_total=r.max_total,
                                count=r.count) for r in rows]


def effectiveness(e: queries.Effectiveness | None) -> contract.ProgramEffectiveness | None:
    """What the programme's page shows of its monitoring (None: nothing, see ``rules``)."""
    if e is None:
        return None
    return contract.ProgramEffectiveness(
        sheet=e.sheet,
        level=e.level,
        counts=level_counts(e.counts),
        mentees=[contract.MenteeLevel(person=person_ref(m.person), level=m.level)
                 for m in e.mentees],
    )


def program(card: queries.ProgramCard) -> contract.Program:
    p = card.program
    ended_early = card.early_end_public
    return contract.Program(
        id=p.id,
        slug=p.slug,
        title=p.title,
        url=absolute_url("mentoring.program", slug=p.slug),
        form=p.form.name,
        target_group=_label(p.form.target_group),
        type=_label(p.type),
        status=_label(p.status),
        # The directions are a list now; the published field stays one string.
        direction=p.direction_names or None,
        goal_html=html(p.goal),
        starts_on=_day(p.starts_on),
        initial_end_on=_day(p.initial_end_on),
        planned_end_on=_day(p.planned_end_on),
        ended_on=_day(p.ended_on),
        order_number=p.order_number or None,
        order_date=_day(p.order_date),
        early_end_reason=_label(p.early_end_reason)
        if ended_early and p.early_end_reason else None,
        early_end_note_html=html(p.early_end_note) if ended_early else None,
        results_html=html(p.results) if card.results_public else None,
        mentors=[person_ref(x) for x in card.mentors],
        mentees=[person_ref(x) for x in card.mentees],
        hidden_participants=card.hidden_people,
        percent_done=card.percent_done,
        effectiveness=effectiveness(card.effectiveness),
    )


def case(c: Case) -> contract.Case:
    return contract.Case(
        id=c.id,
        slug=c.slug,
        title=c.title,
        url=absolute_url("mentoring.case", slug=c.slug),
        published_at=utc(c.published_at),
        updated_at=utc(max(c.updated_at, c.published_at)),
        summary=_plain(c.summary),
        summary_html=html(c.summary),
        body_html=html(c.body),
        photos=[
            contract.CasePhoto(**_media_fields(ph.media), caption=ph.caption or None)
            for ph in c.photos
        ],
        program=contract.CaseProgram(
            slug=c.program.slug,
            title=c.program.title,
            url=absolute_url("mentoring.program", slug=c.program.slug),
        ),
    )


def honor(card: queries.HonorCard) -> contract.Honor:
    h = card.honor
    return contract.Honor(
        id=h.id,
        title=h.title,
        year=h.year,
        citation_html=html(h.citation),
        person=contract.HonorPerson(**_person_ref_fields(card.person),
                                    position=card.person.position,
                                    photo=media(card.person.photo)),
        partner=person_ref(card.partner) if card.partner else None,
    )


def news(n: NewsItem) -> contract.NewsItem:
    event = None
    if n.has_event_facts:
        event = contract.NewsEvent(
            starts_at=iso_local(n.event_starts_at) if n.event_starts_at else None,
            ends_at=iso_local(n.event_ends_at) if n.event_ends_at else None,
            place=n.event_place or None,
        )
    return contract.NewsItem(
        id=n.id,
        slug=n.slug,
        kind=_label(n.kind),
        title=n.title,
        url=absolute_url("mentoring.news_item", slug=n.slug),
        published_at=utc(n.published_at),
        summary=_plain(n.summary),
        summary_html=html(n.summary),
        body_html=html(n.body),
        image=media(n.image),
        event=event,
    )


def document(d: Document) -> contract.Document:
    return contract.Document(
        id=d.id,
        slug=d.slug,
        title=d.title,
        level=_label(d.level),
        kind=_label(d.kind),
        number=d.number or None,
        issued_on=_day(d.issued_on),
        issuer=d.issuer or None,
        in_force=d.in_force,
        repealed_on=_day(d.repealed_on) if not d.in_force else None,
        file=media(d.file),
        external_url=None if d.file else _external(d.url),
    )


def material(m: Material) -> contract.Material:
    return contract.Material(
        id=m.id,
        slug=m.slug,
        title=m.title,
        kind=_label(m.kind),
        description_html=html(m.description),
        file=media(m.file),
        external_url=_external(m.url),
    )
