"""Does a request cost the same with 10 rows as with 10,000? `python scripts/bench.py`.

For each size (``--sizes``, default 10, 1,000 and 10,000) a fresh database is filled with
that many of everything (people with consents and photos, programmes, cases, honours,
documents, materials; all public; one programme with everyone in it) and ``--news`` news
and announcements (default: as many as the size; 100,000 shows the news list's sort), by
bulk INSERTs, so 10,000 takes seconds. Then every kind of public page, the open data, the
feeds, the sitemap and the widget are asked R times through the WSGI app (no network), and
one table prints, per address and size, the median time and the SQL statements; the last
column is the largest size's median over the smallest's (1.0 is flat). Numbers, not a
pass/fail: the suite checks the fixed statement counts (tests/test_query_counts.py).

    python scripts/bench.py                               # SQLite files in a temporary folder
    python scripts/bench.py --sizes 10,10000 --news 100000 --repeat 10
    python scripts/bench.py --postgres                    # a throwaway server (tests/pgserver.py)
    python scripts/bench.py --database-url postgresql+psycopg://user@host/db   # one size, EMPTY db
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' app builder and statement counter

from mentoring_site.clock import now_utc  # noqa: E402
from mentoring_site.migrate import upgrade  # noqa: E402
from mentoring_site.models import (  # noqa: E402
    Case,
    CasePhoto,
    Consent,
    DocKind,
    DocLevel,
    Document,
    Honor,
    Material,
    MaterialKind,
    MediaFile,
    MediaKind,
    NewsItem,
    NewsKind,
    Page,
    Participation,
    Person,
    PlanEvent,
    Program,
    ProgramForm,
    ProgramStatus,
    ProgramType,
    Role,
    Status,
)
from tests.conftest import make_app  # noqa: E402
from tests.test_query_counts import count_statements  # noqa: E402

PREFIX = "/nastavnichestvo"
PAGES = [
    "/", "/normativnaya-baza/", "/metodicheskie-materialy/", "/programmy/",
    "/programmy/?status=zaversheny", "/programmy/?page=2", "/programmy/big/",
    "/programmy/big/?page=2", "/programmy/prog1/", "/nastavniki/", "/nastavniki/?page=2",
    "/nastavlyaemye/", "/lyudi/p1/", "/luchshie-praktiki/", "/luchshie-praktiki/case1/",
    "/nashi-nastavniki/", "/novosti/", "/novosti/?page=2", "/novosti/?vid=anonsy",
    "/novosti/?vid=novosti", "/novosti/n1/", "/page1/",
]
OPEN_DATA = [
    "/api/v1/summary", "/api/v1/programs?per_page=100", "/api/v1/mentors?per_page=100",
    "/api/v1/cases?per_page=100", "/api/v1/news?per_page=100", "/feeds/novosti.atom",
    "/feeds/luchshie-praktiki.atom", "/feeds/anonsy.ics", "/sitemap.xml", "/vidzhet/",
    "/vidzhet/fragment.html",
]
TODAY = date(2026, 11, 23)


def load(sess, n: int, news_n: int) -> None:
    """``n`` of everything and ``news_n`` news, all public, as one bulk INSERT per table."""
    past = now_utc() - timedelta(days=1)
    form_id = sess.scalar(sa.select(ProgramForm.id).order_by(ProgramForm.id).limit(1))

    def insert(model, rows: list[dict]) -> None:
        for start in range(0, len(rows), 5000):  # bounded memory and parameter lists
            sess.execute(sa.insert(model), rows[start:start + 5000])

    insert(MediaFile, [dict(id=i + 1, stored_name=f"img{i}.jpg", original_name=f"фото {i}.jpg",
                            content_type="image/jpeg", size=10, kind=MediaKind.IMAGE,
                            alt_text=f"Фото {i}", thumb_name=f"img{i}-t.jpg") for i in range(n)])
    insert(Person, [dict(id=i + 1, slug=f"p{i}", last_name=f"Тестова{i:06}", first_name="Анна",
                         middle_name="Сергеевна", position="Учитель математики",
                         subjects="Математика", qualification="высшая", experience_years=12,
                         bio=f"Биография {i}", awards="Почётная грамота", photo_id=i + 1,
                         in_mentor_bank=True, in_mentee_bank=True) for i in range(n)])
    insert(Consent, [dict(person_id=i + 1, signed_on=TODAY - timedelta(days=30), allow_name=True,
                          allow_position=True, allow_photo=True, allow_bio=True,
                          allow_experience=True, allow_awards=True,
                          site_url="https://school.example/nastavnichestvo") for i in range(n)])
    program = dict(form_id=form_id, type=ProgramType.TRADITIONAL, status=ProgramStatus.COMPLETED,
                   starts_on=TODAY - timedelta(days=120), initial_end_on=TODAY + timedelta(120),
                   planned_end_on=TODAY + timedelta(days=120))
    insert(Program, [dict(program, id=1, slug="big", title="Большая программа")]
           + [dict(program, id=i + 2, slug=f"prog{i}", title=f"Программа {i}") for i in range(n)])
    parts = [dict(program_id=1, person_id=1, role=Role.MENTOR)]
    parts += [dict(program_id=1, person_id=i + 1, role=Role.MENTEE) for i in range(1, n)]
    parts += [dict(program_id=i + 2, person_id=i + 1, role=Role.MENTOR) for i in range(n)]
    parts += [dict(program_id=i + 2, person_id=(i + 1) % n + 1, role=Role.MENTEE)
              for i in range(n) if n > 1]
    insert(Participation, parts)
    insert(PlanEvent, [dict(program_id=i + 1, title="Встреча", due_on=TODAY, done_on=TODAY)
                       for i in range(n + 1)])
    published = dict(status=Status.PUBLISHED, published_at=past)
    insert(Case, [dict(published, id=i + 1, slug=f"case{i}", program_id=i + 2, title=f"Кейс {i}",
                       summary="Кратко", body="Текст кейса") for i in range(n)])
    insert(CasePhoto, [dict(case_id=i + 1, media_id=i + 1, caption="Фото") for i in range(n)])
    # Announcements spread an hour apart, the last ten still to come: a school's news list
    # has a few coming events above years of past ones.
    insert(NewsItem, [dict(status=Status.PUBLISHED, published_at=past - timedelta(hours=news_n - i),
                           slug=f"n{i}", title=f"Новость {i}", summary="Кратко", body="Текст",
                           kind=NewsKind.ANNOUNCEMENT if i % 2 else NewsKind.NEWS,
                           event_starts_at=(past + timedelta(hours=i - news_n + 20)
                                            if i % 2 else None))
                      for i in range(news_n)])
    insert(Honor, [dict(published, person_id=i + 1, partner_id=(i + 1) % n + 1,
                        title="Лучший наставник", year=2026, citation="За работу")
                   for i in range(n)])
    insert(Document, [dict(published, slug=f"d{i}", title=f"Акт {i}", level=list(DocLevel)[i % 4],
                           kind=DocKind.ORDER, number=str(i), in_force=bool(i % 3))
                      for i in range(n)])
    insert(Material, [dict(published, slug=f"m{i}", title=f"Материал {i}",
                           kind=MaterialKind.TEMPLATE, url="https://e.example/")
                      for i in range(n)])
    insert(Page, [dict(published, slug=f"page{i}", title=f"Страница {i}", body="Текст")
                  for i in range(3)])
    sess.commit()
    if sess.get_bind().dialect.name == "postgresql":
        with sess.get_bind().connect() as conn:  # the planner's statistics, as autovacuum would
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
        for table in ("mentoring_media", "mentoring_person", "mentoring_program",
                      "mentoring_case"):
            sess.execute(sa.text(  # explicit ids were given: move the sequences past them
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"))
        sess.commit()
    else:
        sess.execute(sa.text("ANALYZE"))
        sess.commit()


def measure(app, urls: list[str], repeat: int) -> dict[str, tuple[float, int, int]]:
    """Median milliseconds, statements and HTTP status of each address (a second page is
    a 404 while the data fit on one)."""
    client = app.test_client()
    engine = app.extensions["mentoring"].engine
    found = {}
    for url in urls:
        times = []
        for _ in range(repeat):
            with count_statements(engine) as counter:
                t0 = time.perf_counter()
                response = client.get(PREFIX + url)
                response.get_data()
                times.append((time.perf_counter() - t0) * 1000)
            if response.status_code not in (200, 404):
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        found[url] = (statistics.median(times), counter["n"], response.status_code)
    return found


@contextmanager
def postgres_server() -> Iterator[object]:
    """A throwaway PostgreSQL server, as the suite starts one (tests/pgserver.py)."""
    from tests import pgserver

    bindir = pgserver._find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL server binaries (apt-get install postgresql)")
    user = pgserver._server_user()
    tmp = tempfile.mkdtemp(prefix="mentoring-bench-pg-", dir="/tmp" if user else None)
    cluster = pgserver._Cluster(bindir, tmp, user)
    try:
        if user:
            shutil.chown(tmp, user)
        cluster.init()
        yield pgserver.PgServer(port=cluster.start())
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run_size(uri: str, folder: Path, n: int, news_n: int, urls: list[str], repeat: int):
    app = make_app(uri, folder, TESTING=False, MENTORING_PER_PAGE=12,
                   MENTORING_RESPONSE_CACHE=False)  # build every page: the cold cost
    upgrade(app)
    started = time.perf_counter()
    with app.app_context():
        load(app.extensions["mentoring"].session(), n, news_n)
    filled = time.perf_counter() - started
    try:
        measure(app, urls[:3], 2)  # templates compiled, caches warm
        return filled, measure(app, urls, repeat)
    finally:
        app.extensions["mentoring"].engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10,1000,10000",
                        help="how many of everything, comma-separated")
    parser.add_argument("--news", type=int, help="news and announcements in the largest size "
                        "(the smaller sizes have as many as their size)")
    parser.add_argument("--repeat", type=int, default=10, help="requests per address")
    parser.add_argument("--postgres", action="store_true",
                        help="a throwaway PostgreSQL server instead of SQLite")
    parser.add_argument("--database-url", help="SQLAlchemy URL of an EMPTY database "
                        "(one size only)")
    parser.add_argument("--only", help="only addresses containing this text")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.database_url and len(sizes) != 1:
        parser.error("--database-url takes one size: the database must start empty")
    urls = [u for u in PAGES + OPEN_DATA if not args.only or args.only in u]
    results: dict[str, dict[str, tuple[float, int, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            (postgres_server() if args.postgres else _nothing()) as server:
        for n in sizes:
            news_n = args.news if args.news and n == max(sizes) else n
            label = f"{n}" + (f"+{news_n}n" if news_n != n else "")
            folder = Path(tmp) / label
            folder.mkdir()
            if args.database_url:
                uri = args.database_url
            elif server is not None:
                server.admin(f"CREATE DATABASE bench_{n}")
                uri = server.url(f"bench_{n}")
            else:
                uri = f"sqlite:///{folder / 'bench.sqlite'}"
            filled, results[label] = run_size(uri, folder, n, news_n, urls, args.repeat)
            print(f"{label:>12}: filled in {filled:.1f} s", file=sys.stderr)
    labels = list(results)
    dialect = "PostgreSQL" if args.postgres or args.database_url else "SQLite"
    print(f"{dialect}, {args.repeat} requests each: median ms / SQL statements per size; "
          f"×: the largest size's median over the smallest's (pid {os.getpid()})")
    print(f"{'address':36}" + "".join(f"{lb:>16}" for lb in labels) + f"{'×':>7}")
    for url in urls:
        cells = "".join(f"{results[lb][url][0]:10.1f} / {results[lb][url][1]:3}"
                        if results[lb][url][2] == 200 else f"{'404':>16}" for lb in labels)
        ratio = results[labels[-1]][url][0] / results[labels[0]][url][0]
        print(f"{url[:36]:36}{cells}{ratio:7.1f}")
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
