"""A list's count is kept per data version (issue 13: with 10,000 rows it was the one
statement of a list page that read them all): never stale after a change, a scheduled
publication, a consent that ends at midnight. The response cache is off here, so what is
checked is the kept count alone, through the pages' numbering."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mentoring_site import clock
from mentoring_site.models import ProgramStatus
from tests import factories as f
from tests.cache_support import add, page_text
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"


@pytest.fixture
def small_pages(database_uri, tmp_path):
    app = make_app(database_uri, tmp_path, MENTORING_RESPONSE_CACHE=False, MENTORING_PER_PAGE=2)
    yield app
    app.extensions["mentoring"].engine.dispose()


def _pages(html: str) -> int:
    """How many pages the numbering offers (1 without one)."""
    if 'class="m-pagination"' not in html:
        return 1
    nav = html.split('class="m-pagination"', 1)[1].split("</nav>", 1)[0]
    return nav.count("Страница </span>")


def test_news_count_follows_a_scheduled_publication_and_a_new_item(small_pages, frozen):
    now = frozen.moment.replace(tzinfo=None)
    add(small_pages, f.news(), f.news(),
        f.news(title="Выйдет через час", published_at=now + timedelta(hours=1)))
    visitor = small_pages.test_client()
    assert _pages(page_text(visitor, PREFIX + "/novosti/")) == 1
    frozen.move(hours=1)
    assert _pages(page_text(visitor, PREFIX + "/novosti/")) == 2
    assert "Выйдет через час" in page_text(visitor, PREFIX + "/novosti/?page=2") + \
        page_text(visitor, PREFIX + "/novosti/")
    add(small_pages, f.news(), f.news())  # a new version: counted again
    assert _pages(page_text(visitor, PREFIX + "/novosti/")) == 3


def test_bank_count_drops_at_the_midnight_a_consent_ends(small_pages, frozen):
    frozen.moment = datetime(2026, 11, 23, 20, 30, tzinfo=timezone.utc)  # 23:30 in Moscow
    today = clock.today("Europe/Moscow")
    people = [f.person(last_name=f"Наставникова{i}", in_mentor_bank=True) for i in range(3)]
    for p in people:
        p.consents[0].signed_on = today - timedelta(days=10)
    people[2].consents[0].valid_until = today
    add(small_pages, *people)
    visitor = small_pages.test_client()
    assert _pages(page_text(visitor, PREFIX + "/nastavniki/")) == 2
    frozen.move(minutes=30)  # midnight at the school
    assert _pages(page_text(visitor, PREFIX + "/nastavniki/")) == 1


def test_cases_and_programmes_counts_follow_a_change(small_pages, frozen):
    with small_pages.app_context():
        sess = small_pages.extensions["mentoring"].session()
        done = [f.program(sess, status=ProgramStatus.COMPLETED) for _ in range(3)]
        sess.add_all(done)
        sess.commit()
        sess.add_all([f.case(p) for p in done[:2]])
        sess.commit()
    visitor = small_pages.test_client()
    assert _pages(page_text(visitor, PREFIX + "/luchshie-praktiki/")) == 1
    assert _pages(page_text(visitor, PREFIX + "/programmy/")) == 2
    with small_pages.app_context():
        sess = small_pages.extensions["mentoring"].session()
        sess.add(f.case(sess.merge(done[2])))
        sess.add_all([f.program(sess) for _ in range(2)])
        sess.commit()
    assert _pages(page_text(visitor, PREFIX + "/luchshie-praktiki/")) == 2
    assert _pages(page_text(visitor, PREFIX + "/programmy/")) == 3
    assert _pages(page_text(visitor, PREFIX + "/programmy/?status=zaversheny")) == 2
