"""Demo content: an invented school's section, filled so that every rule shows.

``seed_demo`` fills an empty database with the texts of ``seed_content.py``: people
with and without consent (withdrawn, expired), programmes in every status, cases that
must stay hidden, a repealed act, a scheduled news item, drafts. Pictures and PDF files
are drawn with Pillow and stored through ``storage``, as an upload would be. Dates are
counted from ``today`` so the demo always looks current.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.orm import Session

from .. import models as m
from ..db import Base
from ..lifecycle import add_months
from ..media.storage import store_document, store_image
from . import content as C
from .monitoring import seed_monitoring
from .pictures import illustration, pdf_document, portrait
from .questionnaires import seed_questionnaires

# -- dates ---------------------------------------------------------------------------------


def academic_year(today: date, *, ended: bool) -> tuple[int, int]:
    """The current school year, or (``ended``) the last one already finished."""
    start = today.year if today.month >= 9 else today.year - 1
    if ended:
        start = today.year - 1 if today.month >= 6 else today.year - 2
    return start, start + 1


class _Seeder:
    def __init__(self, session: Session, upload_folder: Path, today: date, site_url: str):
        self.s, self.folder, self.today, self.site_url = session, upload_folder, today, site_url
        self.slugs: dict[str, set[str]] = {}
        self.people: dict[str, m.Person] = {}
        self.programs: dict[str, m.Program] = {}

    def day(self, days: int) -> date:
        return self.today + timedelta(days=days)

    def at(self, days: int, hour: int = 7) -> datetime:
        """A naive-UTC moment ``days`` from today (07:00 UTC is 10:00 in Moscow)."""
        return datetime.combine(self.day(days), time(hour, 0))

    def slug(self, kind: str, text: str, max_length: int = 80) -> str:
        used = self.slugs.setdefault(kind, set())
        base = slugify(text, max_length=max_length, word_boundary=True, save_order=True)
        base = base or kind
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        return slug

    def image(self, data: bytes, name: str, alt: str):
        return store_image(self.s, self.folder, data, original_name=name, alt_text=alt)

    def pdf(self, title: str, paragraphs: list[str], *, private: bool = False):
        name = slugify(title, max_length=60, word_boundary=True, save_order=True) + ".pdf"
        return store_document(self.s, self.folder, pdf_document(title, paragraphs),
                              original_name=name, content_type="application/pdf",
                              private=private)

    def published(self, draft: bool) -> m.Status:
        return m.Status.DRAFT if draft else m.Status.PUBLISHED

    # -- rows ------------------------------------------------------------------------------

    def section(self) -> None:
        # The effectiveness levels switched on, so the demo's completed programmes show
        # «Результаты мониторинга эффективности» (a fresh install starts with them off).
        self.s.add(m.SectionInfo(intro=C.SECTION_INTRO, show_effectiveness_level=True,
                                 **C.CURATOR))

    def person(self, row: tuple) -> None:
        (key, last, first, middle, kind, position, subjects, qualification, years, banks,
         consent, colour, bio, awards) = row
        kind = m.PersonKind(kind)
        student = kind is m.PersonKind.STUDENT
        person = m.Person(
            slug=self.slug("person", f"{first} {last[:1]}" if student else f"{last} {first}"),
            last_name=last, first_name=first, middle_name=middle, kind=kind, position=position,
            subjects=subjects, qualification=qualification, experience_years=years, bio=bio,
            awards=awards, in_mentor_bank=banks[0], in_mentee_bank=banks[1],
        )
        if colour:
            person.photo = self.image(portrait(first[0] + last[0], colour), f"{person.slug}.jpg",
                                      f"Фотография: {person.full_name}")
        if (banks[0] or banks[1]) and not student:  # the banks' consent to processing (ст. 9)
            person.processing_agreements.append(m.ProcessingAgreement(
                signed_on=self.day(-(consent[0] if consent else 200)),
                document_ref=f"журнал согласий на обработку, № {len(self.people) + 1}"))
        if consent:
            signed_ago, valid, withdrawn_ago, fields = consent
            signed = self.day(-signed_ago)
            person.consents.append(m.Consent(
                signed_on=signed,
                valid_until=self.day(valid) if valid is not None else None,
                withdrawn_on=self.day(-withdrawn_ago) if withdrawn_ago else None,
                allow_name=True,
                **{f"allow_{f}": f in fields for f in
                   ("position", "photo", "bio", "experience", "awards")},
                site_url=self.site_url,
                conditions=C.STUDENT_CONSENT_NOTE if student else
                "Условия и запреты не установлены.",
                document_ref=f"Согласие № {len(self.people) + 1} от {signed:%d.%m.%Y}",
                scan=self.pdf(f"Согласие на распространение персональных данных № "
                              f"{len(self.people) + 1}", ["Скан подписанного согласия "
                              "(демонстрационный файл)."], private=True)
                if key == "director" else None,
            ))
        self.s.add(person)
        self.people[key] = person

    def program(self, row: tuple, forms: dict[str, m.ProgramForm]) -> None:
        (key, title, form, ptype, status, directions, goal, start_in, months, extension, early,
         order_no, order_before, results, members, events) = row
        start = self.day(start_in)
        initial_end = add_months(start, months)
        status = m.ProgramStatus(status)
        program = m.Program(
            slug=self.slug("program", title), title=title, form=forms[form],
            type=m.ProgramType(ptype), goal=goal, starts_on=start,
            initial_end_on=initial_end, planned_end_on=initial_end, status=status,
            order_number=order_no, order_date=start - timedelta(days=order_before),
            results=results,
        )
        program.directions = [self.direction(name) for name in directions]
        if extension:
            decided_ago, more, reason = extension
            program.planned_end_on = add_months(initial_end, more)
            program.extensions.append(m.ProgramExtension(
                decided_on=self.day(-decided_ago), previous_end_on=initial_end,
                new_end_on=program.planned_end_on, reason=reason))
        if status is m.ProgramStatus.COMPLETED:
            program.ended_on = program.planned_end_on
        elif early:
            program.ended_on = self.day(-early[0])
            program.early_end_reason = m.EarlyEndReason.PARTICIPANTS
            program.early_end_note = early[1]
        done_until = program.ended_on or self.today
        for i, (event, offset) in enumerate(events):
            due = start + timedelta(days=offset)
            done = None
            if status is not m.ProgramStatus.PLANNED and due < done_until:
                done = min(due + timedelta(days=i % 3), done_until)
            program.events.append(m.PlanEvent(title=event, due_on=due, done_on=done))
        for person, role in members:
            program.participations.append(
                m.Participation(person=self.people[person], role=m.Role(role)))
        self.s.add(program)
        self.programs[key] = program

    def direction(self, name: str) -> m.Direction:
        """An entry of the list of directions, added when the migration did not seed it."""
        found = self.s.scalar(sa.select(m.Direction).where(m.Direction.name == name))
        if found is None:
            sort = (self.s.scalar(sa.select(sa.func.max(m.Direction.sort))) or 0) + 1
            found = m.Direction(name=name, sort=sort)
            self.s.add(found)
            self.s.flush()
        return found

    def case(self, row: tuple) -> None:
        program, title, status, ago, summary, body, photos, attachment = row
        case = m.Case(slug=self.slug("case", title), program=self.programs[program], title=title,
                    summary=summary, body=body, status=m.Status(status))
        if case.status is m.Status.PUBLISHED:
            case.published_at = self.at(-ago)
        for i, (caption, colour, text) in enumerate(photos):
            media = self.image(illustration(text, colour), f"foto-{i + 1}.jpg",
                               f"Иллюстрация: {caption}")
            case.photos.append(m.CasePhoto(media=media, caption=caption, sort=i))
        if attachment:
            media = self.pdf(attachment, [case.program.title, case.summary, case.program.results])
            case.attachments.append(m.CaseAttachment(title=attachment, media=media))
        self.s.add(case)

    def document(self, i: int, row: tuple, year: str) -> None:
        level, kind, title, number, issued, issuer, url, repealed, has_file, draft = row
        title = title.format(year=year)
        issued_on = date.fromisoformat(issued) if isinstance(issued, str) else self.day(-issued)
        kind = m.DocKind(kind)
        doc = m.Document(
            slug=self.slug("document", title if title.startswith(kind.label) or not number
                           else f"{kind.label} {number} {title}"),
            title=title, level=m.DocLevel(level), kind=kind, number=number,
            issued_on=issued_on, issuer=issuer, url=url, sort=i, status=self.published(draft),
            published_at=self.at(-max(1, min(400, (self.today - issued_on).days))),
        )
        if repealed:
            doc.in_force, doc.repealed_on = False, date.fromisoformat(repealed)
        if has_file:
            approved = f"Утверждено приказом от {issued_on:%d.%m.%Y} № {number}" if number else ""
            doc.file = self.pdf(title, [C.SCHOOL, approved, *C.LOCAL_ACT_TEXT])
        self.s.add(doc)

    def material(self, i: int, row: tuple) -> None:
        kind, title, description, url, has_file, draft = row
        material = m.Material(slug=self.slug("material", title), title=title,
                            kind=m.MaterialKind(kind), description=description, url=url,
                            status=self.published(draft), published_at=self.at(-90 + i * 7))
        if has_file:
            material.file = self.pdf(title, [C.SCHOOL, description, *C.MATERIAL_TEXT])
        self.s.add(material)

    def news(self, row: tuple) -> None:
        kind, title, summary, body, days, picture, event, draft = row
        item = m.NewsItem(slug=self.slug("news", title), kind=m.NewsKind(kind), title=title,
                        summary=summary, body=body, status=self.published(draft),
                        published_at=self.at(days))
        if picture:
            item.image = self.image(illustration(picture[1], picture[0]), "novost.jpg",
                                    f"Иллюстрация к новости: {title}")
        if event:
            in_days, hhmm, hours, place = event
            starts = datetime.combine(self.day(in_days), time.fromisoformat(hhmm))
            item.event_starts_at, item.event_place = starts, place
            item.event_ends_at = starts + timedelta(hours=hours)
        self.s.add(item)

    def honor(self, row: tuple) -> None:
        person, partner, title, offset, citation = row
        first, last = academic_year(self.today, ended=True)
        first, last = first + offset, last + offset
        self.s.add(m.Honor(
            person=self.people[person], partner=self.people[partner] if partner else None,
            title=title.format(year=f"{first}/{last}"), year=last, citation=citation,
            status=m.Status.PUBLISHED, published_at=self.at(-20 + offset * 365),
        ))

    def page(self, row: tuple) -> None:
        title, body, sort, draft = row
        self.s.add(m.Page(slug=self.slug("page", title), title=title, body=body, sort=sort,
                        status=self.published(draft), published_at=self.at(-400)))



def seed_demo(
    session: Session, *, upload_folder: Path, today: date, site_url: str = "http://127.0.0.1:5000"
) -> bool:
    """Fill an empty database with the demo school's section; False if people exist already.

    Needs the catalog of programme forms (seeded by the first migration). Adds and flushes;
    the caller commits.
    """
    if session.scalar(sa.select(m.Person.id).limit(1)) is not None:
        return False
    forms = {f.name: f for f in session.scalars(sa.select(m.ProgramForm))}
    missing = {row[2] for row in C.PROGRAMS} - forms.keys()
    if missing:
        raise RuntimeError(
            "В базе нет справочника форм наставничества ("
            + ", ".join(sorted(missing))
            + "): сначала выполните миграции (flask mentoring upgrade)."
        )
    seeder = _Seeder(session, Path(upload_folder), today, site_url)
    seeder.section()
    for person in C.PEOPLE:
        seeder.person(person)
    for program in C.PROGRAMS:
        seeder.program(program, forms)
    seed_monitoring(session, seeder.people, seeder.programs, today)
    for case in C.CASES:
        seeder.case(case)
    first, last = academic_year(today, ended=False)
    for i, document in enumerate(C.DOCUMENTS):
        seeder.document(i, document, f"{first}/{last}")
    for i, material in enumerate(C.MATERIALS):
        seeder.material(i, material)
    for news in C.NEWS:
        seeder.news(news)
    for honor in C.HONORS:
        seeder.honor(honor)
    for page in C.PAGES:
        seeder.page(page)
    seed_questionnaires(session, seeder.programs, today)
    _open_registration(session, today)
    _unwrap_markdown(session)
    session.flush()
    return True


def _open_registration(session: Session, today: date) -> None:
    """The nearest published announcement takes registrations, so the demo (and the leak walk,
    axe and the Nu checker that crawl it) shows the form on a real page."""
    session.flush()
    upcoming = session.scalars(
        sa.select(m.NewsItem).where(
            m.NewsItem.kind == m.NewsKind.ANNOUNCEMENT, m.NewsItem.status == m.Status.PUBLISHED,
            m.NewsItem.event_starts_at > datetime.combine(today + timedelta(days=1), time()))
        .order_by(m.NewsItem.event_starts_at).limit(1)).all()
    if upcoming:
        session.add(m.EventRegistration(news=upcoming[0], is_open=True, capacity=30,
                                        day_details="Актовый зал школы, вход с ул. Садовой"))


def _unwrap_markdown(session: Session) -> None:
    """Join the hand-wrapped lines of the sample texts: a single newline is a line break
    on the site (as a curator typing in a text box expects), not a source-code wrap."""
    session.flush()
    for mapper in Base.registry.mappers:
        texts = [c.key for c in mapper.columns if isinstance(c.type, sa.Text)]
        if not texts:
            continue
        for obj in session.scalars(sa.select(mapper.class_)):
            for key in texts:
                value = getattr(obj, key)
                if isinstance(value, str) and "\n" in value:
                    setattr(obj, key, _UNWRAP.sub(" ", value))


# A newline inside a paragraph: not before a blank line, list item, table row or heading.
_UNWRAP = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=[^\s\-*|#>\d])")
