"""Every public page costs a fixed number of SQL statements, with 10 rows or 1,000."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from mentoring_site.db import utcnow
from mentoring_site.migrate import upgrade
from mentoring_site.models import (
    CasePhoto,
    DocKind,
    DocLevel,
    Document,
    Material,
    MaterialKind,
    MediaFile,
    MediaKind,
    NewsKind,
    Page,
    ProgramStatus,
    Status,
)
from tests import factories as f
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"


def populate(sess, n: int) -> None:
    past = utcnow() - timedelta(days=1)
    media = [
        MediaFile(stored_name=f"img{i}.jpg", original_name=f"фото {i}.jpg",
                  content_type="image/jpeg", size=10, kind=MediaKind.IMAGE,
                  alt_text=f"Фото {i}", thumb_name=f"img{i}-t.jpg")
        for i in range(n)
    ]
    people = [f.person(slug=f"p{i}", in_mentee_bank=True, photo=media[i]) for i in range(n)]
    sess.add_all(people)
    big = f.program(sess, slug="big", status=ProgramStatus.COMPLETED,
                    mentors=people[:1], mentees=people[1:])
    sess.add(big)
    for i in range(n):
        prog = f.program(sess, slug=f"prog{i}", status=ProgramStatus.COMPLETED,
                         mentors=[people[i]], mentees=[people[(i + 1) % n]])
        case = f.case(prog, slug=f"case{i}")
        case.photos.append(CasePhoto(media=media[i], caption="Фото"))
        sess.add_all([prog, case])
        sess.add(f.news(slug=f"n{i}", kind=NewsKind.ANNOUNCEMENT if i % 2 else NewsKind.NEWS,
                        event_starts_at=past + timedelta(days=i)))
        sess.add(f.honor(people[i], partner=people[(i + 1) % n]))
        sess.add(Document(slug=f"d{i}", title=f"Акт {i}", level=list(DocLevel)[i % 4],
                          kind=DocKind.ORDER, number=str(i), status=Status.PUBLISHED,
                          published_at=past, in_force=bool(i % 3)))
        sess.add(Material(slug=f"m{i}", title=f"Материал {i}", kind=MaterialKind.TEMPLATE,
                          status=Status.PUBLISHED, published_at=past, url="https://e.example/"))
    for i in range(3):
        sess.add(Page(slug=f"page{i}", title=f"Страница {i}", body="Текст",
                      status=Status.PUBLISHED, published_at=past))
    sess.commit()


URLS = [
    "/", "/normativnaya-baza/", "/normativnaya-baza/utratili-silu/",
    "/metodicheskie-materialy/", "/programmy/", "/programmy/?status=zaversheny",
    "/programmy/big/", "/programmy/prog1/", "/nastavniki/", "/nastavlyaemye/", "/lyudi/p1/",
    "/lyudi/p0/", "/luchshie-praktiki/", "/luchshie-praktiki/case1/", "/nashi-nastavniki/",
    "/novosti/", "/novosti/?vid=anonsy", "/novosti/n1/", "/page1/", "/programmy/?page=2",
]


@contextmanager
def count_statements(engine):
    counter = {"n": 0}

    def _count(*_args):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def measure(tmp_path, n: int) -> dict[str, int]:
    app = make_app(f"sqlite:///{tmp_path / f'q{n}.sqlite'}", tmp_path / str(n),
                   MENTORING_PER_PAGE=5)
    upgrade(app)
    with app.app_context():
        populate(app.extensions["mentoring"].session(), n)
    client = app.test_client()
    counts = {}
    for url in URLS:
        with count_statements(app.extensions["mentoring"].engine) as c:
            resp = client.get(PREFIX + url)
        assert resp.status_code == 200, url
        counts[url] = c["n"]
    return counts


@pytest.mark.slow
def test_statement_count_does_not_grow_with_data(tmp_path):
    small = measure(tmp_path, 10)
    large = measure(tmp_path, 1000)
    assert small == large
    assert max(small.values()) <= 12, small
