"""How fast the section answers with a lot of data: `python scripts/bench.py [--rows N]`.

Fills a fresh database with N of everything (people with photos, programmes, cases, news,
honours, documents, materials; all public), then asks every kind of public page, the
open data and the widget R times through the WSGI app (no network) and prints, per
address: the median and 95th-percentile time, the SQL statements and the size of the
answer. Numbers, not a pass/fail: the suite checks the fixed statement counts
(tests/test_query_counts.py) and page weight; this shows what that buys.

    python scripts/bench.py                        # SQLite file in a temporary folder
    python scripts/bench.py --rows 5000 --repeat 50
    python scripts/bench.py --database postgresql+psycopg://user@localhost/bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' builders of rows

from mentoring_site.migrate import upgrade  # noqa: E402
from tests import factories  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.test_query_counts import URLS, count_statements  # noqa: E402

PREFIX = "/nastavnichestvo"
OPEN_DATA = [
    "/api/v1/summary", "/api/v1/mentors?per_page=100", "/api/v1/cases?per_page=100",
    "/api/v1/news?per_page=100", "/feeds/novosti.atom", "/feeds/luchshie-praktiki.atom",
    "/feeds/anonsy.ics", "/sitemap.xml", "/vidzhet/", "/vidzhet/fragment.html",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1000, help="how many of everything")
    parser.add_argument("--repeat", type=int, default=30, help="requests per address")
    parser.add_argument("--database", help="SQLAlchemy URL of an EMPTY database "
                        "(default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        uri = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
        app = make_app(uri, folder, TESTING=False, MENTORING_PER_PAGE=12)
        upgrade(app)
        started = time.perf_counter()
        with app.app_context():
            factories.populate(app.extensions["mentoring"].session(), args.rows)
        print(f"{args.rows} of everything in {uri.split(':', 1)[0]}, "
              f"filled in {time.perf_counter() - started:.1f} s; {args.repeat} requests each\n")
        print(f"{'address':44} {'median':>8} {'p95':>8} {'SQL':>4} {'KB':>7}")
        client = app.test_client()
        engine = app.extensions["mentoring"].engine
        slowest = 0.0
        for url in URLS + OPEN_DATA:
            times = []
            for _ in range(args.repeat):
                with count_statements(engine) as counter:
                    t0 = time.perf_counter()
                    response = client.get(PREFIX + url)
                    body = response.get_data()
                    times.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    print(f"{url}: HTTP {response.status_code}", file=sys.stderr)
                    return 1
            times.sort()
            median = statistics.median(times)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            slowest = max(slowest, p95)
            print(f"{url[:44]:44} {median:6.1f}ms {p95:6.1f}ms {counter['n']:4} "
                  f"{len(body) / 1024:7.1f}")
        print(f"\nslowest p95: {slowest:.1f} ms")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
