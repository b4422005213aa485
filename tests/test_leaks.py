"""Walk every public URL of the demo section and prove nothing hidden leaks."""

from __future__ import annotations

import re
from collections import deque
from html import unescape

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.db import utcnow
from mentoring_site.models import (
    Case,
    Document,
    Honor,
    Material,
    NewsItem,
    Page,
    Person,
    PersonKind,
    Program,
)
from tests.conftest import SEED_TODAY

PREFIX = "/nastavnichestvo"
HREF = re.compile(r'href="([^"#]+)')


def crawl(client) -> dict[str, str]:
    """Every page reachable from the section home by links, pagination included."""
    seen: dict[str, str] = {}
    queue = deque([PREFIX + "/"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        resp = client.get(url)
        assert resp.status_code == 200, url
        if not resp.mimetype.startswith("text/html"):
            resp.close()
            seen[url] = ""
            continue
        html = resp.get_data(as_text=True)
        seen[url] = unescape(html)
        for href in HREF.findall(html):
            href = unescape(href)
            # the visually-impaired switches set a cookie and redirect: not pages to read
            skip = ("/static/", "/dlya-slabovidyashchih/", "/admin/")
            if href.startswith(PREFIX) and not any(s in href for s in skip) and href not in seen:
                queue.append(href)
    return seen


@pytest.fixture
def site(seeded_app):
    pages = crawl(seeded_app.test_client())
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        yield pages, sess


def _everywhere(pages: dict[str, str], text: str) -> list[str]:
    return [url for url, html in pages.items() if text in html]


def test_the_walk_reaches_every_kind_of_page(site):
    pages, _ = site
    for part in ("/normativnaya-baza/", "/metodicheskie-materialy/", "/programmy/",
                 "/nastavniki/", "/nastavlyaemye/", "/lyudi/", "/luchshie-praktiki/",
                 "/nashi-nastavniki/", "/novosti/", "/media/"):
        assert any(part in url for url in pages), part
    assert len(pages) > 40


def test_hidden_people_appear_nowhere(site):
    pages, sess = site
    hidden = sess.scalars(
        sa.select(Person).where(sa.not_(rules.person_clause(SEED_TODAY)))
    ).all()
    assert len(hidden) >= 3  # no consent, withdrawn, expired
    for person in hidden:
        assert not _everywhere(pages, person.full_name), person.full_name
        assert not _everywhere(pages, f"/lyudi/{person.slug}/"), person.slug


def test_students_never_show_their_last_name(site):
    pages, sess = site
    students = sess.scalars(sa.select(Person).where(Person.kind == PersonKind.STUDENT)).all()
    assert students
    for s in students:
        assert not _everywhere(pages, s.last_name), s.last_name


def test_fields_without_consent_appear_nowhere(site):
    pages, sess = site
    checked = 0
    for person in sess.scalars(sa.select(Person)).all():
        consent = rules.consent_in_force(person, SEED_TODAY)
        if consent is None:
            continue
        if not consent.allow_bio and person.bio:
            checked += 1
            assert not _everywhere(pages, person.bio.strip()[:60]), person.full_name
        if not consent.allow_position and person.position:
            checked += 1
            for url, html in pages.items():
                if person.full_name in html:
                    assert person.position not in html or _shared_position(sess, person), url
    assert checked >= 1


def _shared_position(sess, person) -> bool:
    """A position such as «Учитель математики» may belong to someone else on the page."""
    return bool(sess.scalar(
        sa.select(sa.func.count()).where(Person.position == person.position, Person.id != person.id)
    ))


@pytest.mark.parametrize(
    "model", [Case, NewsItem, Document, Material, Page], ids=lambda m: m.__name__
)
def test_hidden_items_appear_nowhere(site, model):
    pages, sess = site
    now = utcnow()
    clause = rules.case_clause(now) if model is Case else rules.published_clause(model, now)
    hidden = sess.scalars(sa.select(model).where(sa.not_(clause))).all()
    assert hidden, f"the demo has no hidden {model.__name__}"
    for item in hidden:
        assert not _everywhere(pages, item.title), item.title


def test_hidden_programs_and_honors_appear_nowhere(site):
    pages, sess = site
    for prog in sess.scalars(sa.select(Program).where(Program.is_public.is_(False))).all():
        assert not _everywhere(pages, prog.title)
    honors = sess.scalars(sa.select(Honor)).all()
    hidden_people = [h for h in honors if rules.public_person(h.person, SEED_TODAY) is None]
    assert hidden_people
    for h in hidden_people:
        assert not _everywhere(pages, h.person.full_name)


def test_hidden_objects_answer_404(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        now = utcnow()
        urls = [f"{PREFIX}/luchshie-praktiki/{c.slug}/" for c in sess.scalars(
            sa.select(Case).where(sa.not_(rules.case_clause(now))))]
        urls += [f"{PREFIX}/novosti/{n.slug}/" for n in sess.scalars(
            sa.select(NewsItem).where(sa.not_(rules.published_clause(NewsItem, now))))]
        urls += [f"{PREFIX}/lyudi/{p.slug}/" for p in sess.scalars(
            sa.select(Person).where(sa.not_(rules.person_clause(SEED_TODAY))))]
        urls += [f"{PREFIX}/{p.slug}/" for p in sess.scalars(
            sa.select(Page).where(sa.not_(rules.published_clause(Page, now))))]
    assert len(urls) >= 8
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_photos_of_hidden_people_are_not_served(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        hidden = sess.scalars(
            sa.select(Person).where(
                sa.not_(rules.person_clause(SEED_TODAY)), Person.photo_id.is_not(None)
            )
        ).all()
        names = [p.photo.stored_name for p in hidden] + [
            p.photo.thumb_name for p in hidden if p.photo.thumb_name
        ]
    assert names, "the demo should have a hidden person with a photo"
    for name in names:
        resp = client.get(f"{PREFIX}/media/{name}")
        assert resp.status_code == 404
        resp.close()


def test_students_get_no_page_of_their_own(site):
    pages, sess = site
    students = sess.scalars(sa.select(Person).where(Person.kind == PersonKind.STUDENT)).all()
    shown = [s for s in students if rules.public_person(s, SEED_TODAY)]
    assert shown, "the demo should show a consenting student"
    for s in shown:
        assert not _everywhere(pages, f"/lyudi/{s.slug}/")
        assert any(rules.display_name(s) in html for html in pages.values())
