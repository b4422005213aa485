"""The admin's one pagination macro (templates/mentoring/admin/_pagination.html) on the
three screens that page: a kind's list, the questionnaire answers and the journal. Each is
a nav with its name, the current page marked with aria-current, links that keep the filters."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from mentoring_site.models import Answer, AuditEntry, Questionnaire
from tests import factories
from tests.admin_support import ADMIN, signed_in


def _nav(html: str, label: str) -> str:
    found = re.search(rf'<nav aria-label="{label}"><ul class="a-pages">(.*?)</ul></nav>', html,
                      re.S)
    assert found, f"no pagination named «{label}»"
    return unescape(found.group(1))


def _current(nav: str) -> str:
    marked = re.findall(r'<span aria-current="page">([^<]*)</span>', nav)
    assert len(marked) == 1, nav
    return marked[0]


def test_a_kinds_list_is_numbered_and_keeps_the_search(app, db):
    db.add_all(factories.news(title=f"Новость про лето {i}") for i in range(30))
    db.commit()
    client = signed_in(app)
    html = client.get(f"{ADMIN}/novosti/?q=лето").get_data(as_text=True)
    nav = _nav(html, "Страницы списка")
    assert _current(nav) == "1"
    assert f'href="{ADMIN}/novosti/?q=%D0%BB%D0%B5%D1%82%D0%BE&page=2">2<' in nav
    second = _nav(client.get(f"{ADMIN}/novosti/?q=лето&page=2").get_data(as_text=True),
                  "Страницы списка")
    assert _current(second) == "2" and "page=1" in second
    # one page: no pagination at all
    assert 'class="a-pages"' not in client.get(f"{ADMIN}/novosti/?q=про лето 1").get_data(
        as_text=True)


def test_the_answers_are_numbered_and_keep_the_filters(app, db):
    q = db.scalars(sa.select(Questionnaire).order_by(Questionnaire.id)).first()
    db.add_all(Answer(questionnaire=q, answers={}, consent_text="т", consent_number=1)
               for _ in range(30))
    db.commit()
    client = signed_in(app)
    html = client.get(f"{ADMIN}/otvety/?anketa={q.id}&sostoyanie=new").get_data(as_text=True)
    nav = _nav(html, "Страницы списка")
    assert _current(nav) == "1"
    assert f'href="{ADMIN}/otvety/?anketa={q.id}&sostoyanie=new&page=2">2<' in nav


def test_the_journal_pages_back_and_forth_with_its_filters(app, db):
    db.add_all(AuditEntry(actor="kurator", action="update", item_kind="news", item_id=1,
                          item_title=f"Запись {i}") for i in range(60))
    db.commit()
    client = signed_in(app)
    first = _nav(client.get(f"{ADMIN}/zhurnal/?kto=kurator").get_data(as_text=True),
                 "Страницы журнала")
    assert _current(first) == "Страница 1"
    assert 'rel="prev"' not in first
    assert f'href="{ADMIN}/zhurnal/?kto=kurator&page=2" rel="next">Старше<' in first
    second = _nav(client.get(f"{ADMIN}/zhurnal/?kto=kurator&page=2").get_data(as_text=True),
                  "Страницы журнала")
    assert _current(second) == "Страница 2"
    assert f'href="{ADMIN}/zhurnal/?kto=kurator&page=1" rel="prev">Новее<' in second
    assert 'rel="next"' not in second
    # one page of entries: no pagination
    assert 'class="a-pages"' not in client.get(f"{ADMIN}/zhurnal/?kto=никто").get_data(
        as_text=True)
