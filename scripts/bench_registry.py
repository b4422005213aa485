"""The registry at a region's scale: 1,000 simulated schools on loopback, measured.

    .venv/bin/python scripts/bench_registry.py [--schools 1000] [--workers 8] [--database URL]

One lightweight WSGI server answers the section API v1 (summary, mentors, cases) for many
schools by path (``/s17/nastavnichestvo/api/v1/…``) with ETags and 304s, as a school's
section does. The office's site (its own temporary instance, SQLite unless ``--database``)
lists every school, reads them all once (every answer new), then again (every answer a
304), and the schools page, the mentors page and the CSV files are asked with the
statements they run counted. The figures are printed; nothing is asserted (the tests in
tests/test_registry_scale.py hold the bounds that must not move).

``SimSchools`` is also the test bed of those tests (loaded from this file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

#: How many answers the simulated schools gave, by status (for the 304s of a second run).
Statuses = Counter


class SimSchools:
    """WSGI: the API v1 of ``count`` schools, each under ``/s<n>/nastavnichestvo/``.

    A school's numbers follow from its number, so every run sees the same data unless
    ``bump(n)`` changes a school (its mentors' names then carry a new generation).
    ``slow`` maps a school's number to seconds slept before each of its answers.
    """

    def __init__(self, count: int, base: str = "http://127.0.0.1"):
        self.count, self.base = count, base
        self.generation: dict[int, int] = {}
        self.slow: dict[int, float] = {}
        self.statuses: Statuses = Counter()
        self.lock = threading.Lock()

    def section_url(self, n: int) -> str:
        return f"{self.base}/s{n}/nastavnichestvo/"

    def bump(self, n: int) -> None:
        self.generation[n] = self.generation.get(n, 0) + 1

    # -- what a school publishes ------------------------------------------------------------

    def _mentors(self, n: int) -> list[dict]:
        gen = self.generation.get(n, 0)
        return [{
            "id": i, "name": f"Наставникова{'-' + str(gen) if gen else ''} Анна {n}-{i}",
            "url": f"{self.section_url(n)}lyudi/m{i}/", "is_student": i % 5 == 4,
            "position": "Учитель", "subjects": "Математика", "qualification": "высшая",
            "experience_years": 5 + i,
        } for i in range(1, 4 + n % 6)]

    def _cases(self, n: int) -> list[dict]:
        return [{
            "id": i, "title": f"Кейс {i} школы {n}", "url": f"{self.section_url(n)}k/{i}/",
            "published_at": f"2026-0{1 + i % 9}-1{i % 9}T07:00:00+00:00",
            "summary": "Кратко о результате.",
            "program": {"title": f"Программа {i}", "url": f"{self.section_url(n)}p/{i}/"},
        } for i in range(1, 1 + n % 4)]

    def _summary(self, n: int) -> dict:
        mentors, cases = len(self._mentors(n)), len(self._cases(n))
        return {
            "school": f"Школа № {n}", "last_updated": "2026-11-01T07:00:00+00:00",
            "curator": {"name": f"Кураторова Ольга {n}", "position": "Заместитель директора",
                        "phone": "+7 (000) 000-00-00", "email": f"s{n}@example.org"},
            "figures": {
                "mentors": mentors, "mentees": mentors + 2, "active_programs": 2,
                "completed_programs": 1 + n % 3, "planned_programs": 1,
                "ended_early_programs": 0, "pairs": 1, "groups": 1,
                "mentees_teachers": mentors, "mentees_pupils": 2, "young_specialists": 3,
                "young_specialists_with_mentor": 2, "cases": cases, "honors": n % 2,
            },
        }

    def _page(self, n: int, kind: str, items: list[dict], query: dict) -> dict:
        per_page = int(query.get("per_page", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(items) // per_page))
        url = f"{self.section_url(n)}api/v1/{kind}"

        def link(p: int) -> str:
            return f"{url}?page={p}&per_page={per_page}"

        return {"items": items[(page - 1) * per_page: page * per_page], "page": page,
                "per_page": per_page, "total": len(items), "pages": pages,
                "links": {"self": link(page), "first": link(1), "last": link(pages),
                          "prev": link(page - 1) if page > 1 else None,
                          "next": link(page + 1) if page < pages else None}}

    # -- WSGI -------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").strip("/").split("/")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        data = None
        if len(parts) == 5 and parts[0][:1] == "s" and parts[0][1:].isdigit() \
                and parts[1:4] == ["nastavnichestvo", "api", "v1"]:
            n = int(parts[0][1:])
            if 1 <= n <= self.count:
                if self.slow.get(n):
                    time.sleep(self.slow[n])
                kind = parts[4]
                if kind == "summary":
                    data = self._summary(n)
                elif kind in ("mentors", "cases"):
                    items = self._mentors(n) if kind == "mentors" else self._cases(n)
                    data = self._page(n, kind, items, query)
        if data is None:
            return self._answer(start_response, "404 Not Found", b"{}", None)
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'  # noqa: S324 - a validator only
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            return self._answer(start_response, "304 Not Modified", b"", etag)
        return self._answer(start_response, "200 OK", body, etag)

    def _answer(self, start_response, status: str, body: bytes, etag: str | None):
        with self.lock:
            self.statuses[int(status[:3])] += 1
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if etag:
            headers.append(("ETag", etag))
        start_response(status, headers)
        return [body]


@contextmanager
def serving(sim: SimSchools) -> Iterator[SimSchools]:
    """The simulated schools on an ephemeral loopback port, for the ``with`` block."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # 3,000 lines say nothing
            pass

    server = make_server("127.0.0.1", 0, sim, threaded=True, request_handler=Quiet)
    sim.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield sim
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def list_schools(app, sim: SimSchools) -> None:
    """Put every simulated school on the office's list (one transaction)."""
    from mentoring_site.db import begin_write
    from mentoring_site.municipal.roster import import_schools
    from mentoring_site.municipal.schools import School

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        begin_write(sess)
        import_schools(sess, [School(key=f"s{n}", name=f"МБОУ «Школа № {n}»",
                                     url=sim.section_url(n), position=n)
                              for n in range(1, sim.count + 1)])
        sess.commit()


@contextmanager
def counted(app) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    from sqlalchemy import event

    engine = app.extensions["mentoring"].engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


#: The registry's pages and files measured (and held fixed by the tests).
PAGES = ("/", "/kuratory/", "/nastavniki/", "/nastavniki/?page=2", "/luchshie-praktiki/",
         "/shkoly.csv", "/kuratory.csv", "/nastavniki.csv", "/luchshie-praktiki.csv")


def measure_pages(app) -> list[tuple[str, int, float, int]]:
    """(page, statements, seconds, bytes) for each of PAGES."""
    client = app.test_client()
    rows = []
    for path in PAGES:
        started = time.perf_counter()
        with counted(app) as statements:
            answer = client.get(path)
        seconds = time.perf_counter() - started
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {answer.status_code}")
        rows.append((path, len(statements), seconds, len(answer.get_data())))
    return rows


def run(count: int, workers: int, database: str | None, folder: Path) -> None:
    from mentoring_site.municipal import create_app, prepare

    sim = SimSchools(count)
    with serving(sim):
        app = create_app(database=database, instance_path=str(folder / "office"),
                         MUNICIPAL_WORKERS=workers)
        prepare(app)
        list_schools(app, sim)
        state = app.extensions["municipal"]
        print(f"Школ: {count}, читают одновременно (MUNICIPAL_WORKERS): {workers}, "
              f"база: {app.config['MENTORING_DATABASE_URI'].split(':', 1)[0]}")
        for label in ("Первое чтение (всё новое)", "Второе чтение (условные запросы)"):
            sim.statuses.clear()
            started = time.perf_counter()
            with app.app_context():
                reports = state.aggregate()
            seconds = time.perf_counter() - started
            outcome = Counter(r.status for r in reports)
            print(f"{label}: {seconds:.1f} с, {count / seconds:.0f} школ/с; "
                  f"итог {dict(outcome)}; ответы школ {dict(sorted(sim.statuses.items()))}")
        with app.app_context():
            rows = measure_pages(app)
        print(f"{'Страница':<26}{'запросов SQL':>14}{'время, с':>10}{'размер, КБ':>12}")
        for path, statements, seconds, size in rows:
            print(f"{path:<26}{statements:>14}{seconds:>10.2f}{size / 1024:>12.0f}")
        app.extensions["mentoring"].engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database", default=None,
                        help="SQLAlchemy URL of an empty database (default: SQLite in a "
                        "temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as folder:
        run(args.schools, args.workers, args.database, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
