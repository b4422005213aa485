"""A programme's page lists its participants a page at a time (issue 13: a group of
10,000 was one page of 8.3 s and 6.7 MB): mentors first, the people who may not be shown
only counted, on every page alike, never named; hostile page numbers answer 404."""

from __future__ import annotations

import re

import pytest

from mentoring_site.models import ProgramStatus
from mentoring_site.queries.programs import PARTICIPANTS_PER_PAGE
from tests import factories as f

PREFIX = "/nastavnichestvo"
SHOWN = PARTICIPANTS_PER_PAGE + 7  # a full first page and a short second one
HIDDEN = 3


@pytest.fixture
def group(app, db):
    mentors = [f.person(last_name=f"Наставникова{i:03}") for i in range(2)]
    mentees = [f.person(last_name=f"Участникова{i:03}") for i in range(SHOWN - 2)]
    hidden = [f.person(last_name=f"Скрытова{i:03}", consented=False) for i in range(HIDDEN)]
    prog = f.program(db, slug="bolshaya-gruppa", status=ProgramStatus.ACTIVE,
                     mentors=mentors, mentees=[*hidden[:1], *mentees, *hidden[1:]])
    db.add(prog)
    db.commit()
    return [p.last_name for p in mentors], [p.last_name for p in mentees]


def _names(html: str) -> list[str]:
    return re.findall(r"(Наставникова\d+|Участникова\d+|Скрытова\d+)", html)


@pytest.mark.both_databases
def test_participants_come_a_page_at_a_time_hidden_ones_only_counted(client, group):
    mentors, mentees = group
    first = client.get(f"{PREFIX}/programmy/bolshaya-gruppa/")
    second = client.get(f"{PREFIX}/programmy/bolshaya-gruppa/?page=2")
    assert first.status_code == second.status_code == 200
    html1, html2 = first.get_data(as_text=True), second.get_data(as_text=True)
    shown1, shown2 = _names(html1), _names(html2)
    assert len(set(shown1)) == PARTICIPANTS_PER_PAGE
    assert len(set(shown2)) == SHOWN - PARTICIPANTS_PER_PAGE
    # everyone shown exactly once over the two pages, mentors first
    assert sorted({*shown1, *shown2}) == sorted(mentors + mentees)
    assert not set(shown1) & set(shown2)
    assert set(mentors) <= set(shown1)
    assert "Скрытова" not in html1 + html2
    for html in (html1, html2):  # the hidden are counted on every page, never named
        assert f"и ещё {HIDDEN} участника" in html
        assert 'class="m-pagination"' in html
    assert 'href="/nastavnichestvo/programmy/bolshaya-gruppa/?page=2"' in html1
    assert 'aria-current="page"' in html2
    assert 'rel="prev" href="/nastavnichestvo/programmy/bolshaya-gruppa/"' in html2


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "2.0", "１", "99999999999999999999"])
def test_a_page_of_participants_that_does_not_exist_is_404(client, group, page):
    resp = client.get(f"{PREFIX}/programmy/bolshaya-gruppa/", query_string={"page": page})
    assert resp.status_code == 404


def test_a_small_programme_has_no_pagination(client, db):
    db.add(f.program(db, slug="para", mentors=[f.person()], mentees=[f.person()]))
    db.commit()
    html = client.get(f"{PREFIX}/programmy/para/").get_data(as_text=True)
    assert "m-pagination" not in html
    assert len(set(re.findall(r"Тестова\d+", html))) == 2
