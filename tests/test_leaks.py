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
from mentoring_site.models import Case, NewsItem, Page, Person, Program
from mentoring_site.monitoring import assessments
from tests.conftest import SEED_TODAY
from tests.leak_checks import (  # noqa: F401 - the shared checks, run on the pages
    corpus_of,
    read_with_hidden_things,
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
# A plain GET form's choices are pages too (the programme list by direction).
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
LEVELS = ("оптимальный", "допустимый", "недопустимый")
RESULTS = "Результаты мониторинга эффективности"


def _form_choices(html: str) -> list[str]:
    """The addresses a GET form's selects lead to, one choice at a time."""
    return [f"{unescape(action)}?{name}={unescape(value)}"
            for action, body in GET_FORM.findall(html)
            for name, options in SELECT.findall(body)
            for value in OPTION.findall(options)]


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
        for href in [*HREF.findall(html), *_form_choices(html)]:
            href = unescape(href)
            # the visually-impaired switches set a cookie and redirect: not pages to read
            skip = ("/static/", "/dlya-slabovidyashchih/", "/admin/")
            if href.startswith(PREFIX) and not any(s in href for s in skip) and href not in seen:
                queue.append(href)
    return seen


@pytest.fixture(scope="module")
def _texts(module_seeded_app):
    """Read once per module and backend: the tests that change the data take their own app.
    «Школа наставничества» is switched on, so the walk reaches it from the menu."""
    module_seeded_app.config["MENTORING_MENTOR_SCHOOL"] = True
    return read_with_hidden_things(module_seeded_app, crawl)


@pytest.fixture
def corpus(module_seeded_app, _texts):
    yield from corpus_of(module_seeded_app, _texts)


def test_the_walk_reaches_every_kind_of_page(corpus):
    pages, _ = corpus
    for part in ("/normativnaya-baza/", "/metodicheskie-materialy/", "/programmy/",
                 "/nastavniki/", "/nastavlyaemye/", "/lyudi/", "/luchshie-praktiki/",
                 "/nashi-nastavniki/", "/novosti/", "/media/", "/ankety/",
                 "/ankety/anketa-nastavlyaemogo/", "/shkola-nastavnichestva/"):
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


# -- the monitoring of effectiveness (issue 10) ----------------------------------------------


def _program_pages(pages: dict[str, str], sess) -> dict[Program, str]:
    return {p: pages[url] for p in sess.scalars(sa.select(Program)).all()
            if (url := f"{PREFIX}/programmy/{p.slug}/") in pages}


def test_the_walk_takes_the_direction_filter(corpus):
    pages, _ = corpus
    assert any("/programmy/?napravlenie=" in url for url in pages)


def test_levels_only_on_completed_programmes_and_only_of_named_mentees(corpus):
    """The demo publishes levels: a completed programme's page shows them, no other page
    does, and a mentee's own level only next to a mentee the page may name."""
    pages, sess = corpus
    assert assessments.show_levels_on_site(sess)
    shown = _program_pages(pages, sess)
    assert len(shown) >= 5
    with_results = 0
    for program, html in shown.items():
        finals = any(r.final for r in assessments.program_scores(sess, program))
        public = rules.is_final_level_public(program, True) and finals
        assert (RESULTS in html) == public, program.slug
        if not public:
            assert not any(level in html for level in LEVELS), program.slug
            continue
        with_results += 1
        named = html.split(RESULTS, 1)[1].split("</section>", 1)[0]
        for row in assessments.program_scores(sess, program):
            if row.person is not None and rules.public_person(row.person, SEED_TODAY) is None:
                assert row.person.full_name not in named
                assert rules.display_name(row.person) not in named
    assert with_results >= 2
    for url, html in pages.items():
        if "/programmy/" not in url:
            assert not any(level in html for level in LEVELS), url


def test_with_the_switch_off_no_level_reaches_any_page_or_answer(seeded_app):
    from tests.test_open_data_leaks import read_everything

    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        assessments.set_show_levels_on_site(sess, False)
        sess.commit()
    client = seeded_app.test_client()
    texts = {**crawl(client), **read_everything(client)}
    assert len(texts) > 50
    for url, text in texts.items():
        assert RESULTS not in text, url
        assert not any(level in text for level in LEVELS), url
        assert not re.search(r'"effectiveness":\s*[\[{]', text), url
    assert sum('"effectiveness": null' in t for t in texts.values()) >= 2  # the fields are there


def test_a_written_consent_scan_is_never_public(seeded_app):
    """Issue 11: the written consent to take part, recorded per programme with its scan:
    the scan's names appear on no page, feed or API answer, and its address answers 404."""
    from mentoring_site.media import storage
    from mentoring_site.models import Participation, Program
    from tests.test_open_data_leaks import read_everything
    from tests.test_uploads import _pdf

    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        part = sess.scalars(sa.select(Participation).join(Program).where(
            rules.program_clause()).order_by(Participation.id)).first()
        part.written_consent_on = SEED_TODAY
        part.written_consent_scan = storage.store_document(
            sess, seeded_app.extensions["mentoring"].upload_folder, _pdf(),
            original_name="pismennoe-soglasie-skan-5e1a.pdf", private=True)
        sess.commit()
        stored = part.written_consent_scan.stored_name
    client = seeded_app.test_client()
    texts = {**crawl(client), **read_everything(client)}
    for needle in (stored, "pismennoe-soglasie-skan-5e1a", stored.rsplit(".", 1)[0]):
        assert not [url for url, text in texts.items() if needle in text], needle
    resp = client.get(f"{PREFIX}/media/{stored}")
    assert resp.status_code == 404
    resp.close()
