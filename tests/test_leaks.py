"""Walk every public URL of the demo section and prove nothing hidden leaks.

The checks of hidden people, fields, items and files are shared with the open data
(tests/leak_checks.py); here they run on every page a visitor can reach.
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
from mentoring_site.models import Case, NewsItem, Page, Person
from tests.conftest import SEED_TODAY
from tests.leak_checks import (  # noqa: F401 - the shared checks, run on the pages
    corpus_of,
    test_fields_without_consent_appear_nowhere,
    test_hidden_items_appear_nowhere,
    test_hidden_people_appear_nowhere,
    test_hidden_programs_honors_and_private_files_appear_nowhere,
    test_questionnaire_answers_appear_nowhere,
    test_registrations_and_their_addresses_appear_nowhere,
    test_students_show_neither_a_last_name_nor_a_page,
)

# Both databases: hidden personal data must reach no page on either (tests/conftest.py).
pytestmark = pytest.mark.both_databases

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
def corpus(seeded_app):
    yield from corpus_of(seeded_app, crawl)


def test_the_walk_reaches_every_kind_of_page(corpus):
    pages, _ = corpus
    for part in ("/normativnaya-baza/", "/metodicheskie-materialy/", "/programmy/",
                 "/nastavniki/", "/nastavlyaemye/", "/lyudi/", "/luchshie-praktiki/",
                 "/nashi-nastavniki/", "/novosti/", "/media/", "/ankety/",
                 "/ankety/anketa-nastavlyaemogo/"):
        assert any(part in url for url in pages), part
    assert len(pages) > 40
    # the registration form on an announcement's page, and that page's own calendar file
    assert any("/registraciya/" in text for text in pages.values())
    assert any(url.endswith(".ics") for url in pages)


def test_hidden_objects_answer_404(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        now = now_utc()
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
