"""Every public page costs a fixed number of SQL statements, with 10 rows or 1,000."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from mentoring_site.migrate import upgrade
from tests import factories as f
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"


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
        f.populate(app.extensions["mentoring"].session(), n)
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
