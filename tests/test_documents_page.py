"""The public regulatory base: every level on one page, in the order of the levels (issue 10:
«Локальные акты» used to spill onto page 2), repealed acts on their own page."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from mentoring_site import queries
from mentoring_site.clock import Clock
from mentoring_site.models import DocKind, DocLevel, Document, Status
from mentoring_site.queries.documents import BASE_PAGE

PREFIX = "/nastavnichestvo"
LEVEL_IDS = [f'id="m-level-{lv.value}"' for lv in DocLevel]


def _add(sess, n: int, *, in_force: bool = True) -> None:
    for i in range(n):
        sess.add(Document(slug=f"akt-{in_force}-{i}", title=f"Акт {i}",
                          level=list(DocLevel)[i % 4], kind=DocKind.ORDER, number=str(i),
                          issued_on=date(2020, 1, 1), status=Status.PUBLISHED,
                          in_force=in_force))
    sess.commit()


def test_the_demo_base_shows_all_four_levels_on_one_page(seeded_app):
    """The demo has more acts in force than a list page holds (MENTORING_PER_PAGE)."""
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        shown = queries.document_base(sess, Clock.current("Europe/Moscow")).paged.total
    assert shown > seeded_app.config["MENTORING_PER_PAGE"]
    html = seeded_app.test_client().get(f"{PREFIX}/normativnaya-baza/").get_data(as_text=True)
    positions = [html.index(level_id) for level_id in LEVEL_IDS]
    assert positions == sorted(positions)  # федеральный, региональный, муниципальный, локальные
    assert "m-pagination" not in html
    assert len(re.findall(r'<article class="m-doc"', html)) == shown
    assert seeded_app.test_client().get(
        f"{PREFIX}/normativnaya-baza/?page=2").status_code == 404


def test_each_level_is_one_group_and_repealed_acts_stay_apart(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        _add(sess, 40)
        _add(sess, 3, in_force=False)
        base = queries.document_base(sess, Clock.current("Europe/Moscow"))
        assert [g.level for g in base.groups] == list(DocLevel)
        assert [len(g.documents) for g in base.groups] == [10, 10, 10, 10]
        gone = queries.document_base(sess, Clock.current("Europe/Moscow"), in_force=False)
        assert sum(len(g.documents) for g in gone.groups) == 3
    html = app.test_client().get(f"{PREFIX}/normativnaya-baza/").get_data(as_text=True)
    assert html.count("<h2 id=\"m-level-") == 4
    assert html.count('<article class="m-doc"') == 40
    gone_html = app.test_client().get(
        f"{PREFIX}/normativnaya-baza/utratili-silu/").get_data(as_text=True)
    assert gone_html.count('<article class="m-doc"') == 3


def test_only_a_huge_base_is_split_into_pages(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        _add(sess, BASE_PAGE + 4)
        total = sess.scalar(sa.select(sa.func.count()).select_from(Document))
    assert total == BASE_PAGE + 4
    client = app.test_client()
    first = client.get(f"{PREFIX}/normativnaya-baza/").get_data(as_text=True)
    assert first.count('<article class="m-doc"') == BASE_PAGE
    assert "m-pagination" in first
    second = client.get(f"{PREFIX}/normativnaya-baza/?page=2").get_data(as_text=True)
    assert second.count('<article class="m-doc"') == 4
