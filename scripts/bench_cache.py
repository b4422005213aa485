"""What the response cache buys: `python scripts/bench_cache.py [--rows N] [--repeat R]`.

Fills a fresh database with N of everything (tests/factories.populate), then for each
public address times R requests through the WSGI app (a call loop, no network, no test
client) in four ways and prints the median µs per request:

- cold: the page built every time (an app with MENTORING_RESPONSE_CACHE = False);
- cached: answered from the in-process cache (one version read, a lookup);
- 304: a conditional GET whose ETag matches, answered from the entry;
- bare: a bare Flask app returning the same bytes from memory (issue 13's «B»), for scale.

Then the cost of the version read alone (the one statement a cached answer makes) and of
a whole cache hit against the bare app. Figures, not a pass/fail: the suite checks that
cached answers are right (tests/test_response_cache.py); the side-by-side ratio script
under gunicorn is a separate one.

    python scripts/bench_cache.py
    python scripts/bench_cache.py --rows 10000 --repeat 300
    python scripts/bench_cache.py --database postgresql+psycopg://user@localhost/bench
    python scripts/bench_cache.py --flask-login

``--flask-login``: the section inside tests/host_site, a host with Flask-Login whose layout
shows the signed-in user, so every page reads the session (an anonymous visitor's answer is
cached as «cookieless», docs/ARCHITECTURE.md, «Decisions»).
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

from flask import Flask, Response  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from mentoring_site import datastamp  # noqa: E402
from mentoring_site.migrate import upgrade  # noqa: E402
from tests import factories  # noqa: E402
from tests.conftest import make_app  # noqa: E402

PREFIX = "/nastavnichestvo"
URLS = [
    "/", "/novosti/", "/nastavniki/", "/programmy/", "/luchshie-praktiki/",
    "/normativnaya-baza/", "/novosti/n1/", "/luchshie-praktiki/case1/", "/lyudi/p1/",
    "/api/v1/summary", "/api/v1/news?per_page=100", "/api/v1/mentors?per_page=100",
    "/feeds/novosti.atom", "/sitemap.xml", "/vidzhet/",
]


def _environ(path: str, headers: dict[str, str] | None = None) -> dict:
    return EnvironBuilder(path=path, headers=headers or {}).get_environ()


def _call(app, environ: dict) -> tuple[str, bytes, dict[str, str]]:
    """One request through the WSGI app, its body read to the end as a server would."""
    got: dict = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, dict(headers)

    result = app.wsgi_app(dict(environ), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    return got["status"], body, got["headers"]


def _median_us(app, environ: dict, repeat: int, expect: str) -> float:
    status, _body, _headers = _call(app, environ)
    assert status.startswith(expect), (environ["PATH_INFO"], status)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _call(app, environ)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def _bare_app(body: bytes, content_type: str) -> Flask:
    bare = Flask("bare")

    @bare.get("/<path:_any>")
    @bare.get("/")
    def serve(_any: str = "") -> Response:
        return Response(body, content_type=content_type)

    return bare


def _version_read_us(app, repeat: int) -> float:
    """The cached answer's one statement: the session's connection, the read, the end of
    the read transaction, as a request pays them."""
    state = app.extensions["mentoring"]
    times = []
    with app.app_context():
        for _ in range(repeat):
            started = time.perf_counter()
            sess = state.session()
            datastamp.read(sess.connection())
            state.remove_session()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def _section(uri: str, folder: Path, flask_login: bool, **config) -> Flask:
    """The section alone (``make_app``) or inside the Flask-Login test host."""
    if not flask_login:
        return make_app(uri, folder, TESTING=False, **config)
    from tests.host_site import create_host_app

    app, db = create_host_app(uri, folder, **config)
    app.config["TESTING"] = False
    with app.app_context():
        db.create_all()
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1000, help="how many of everything")
    parser.add_argument("--repeat", type=int, default=200, help="requests per measure")
    parser.add_argument("--cold-repeat", type=int, default=20,
                        help="requests per cold measure (a full render each)")
    parser.add_argument("--database", help="SQLAlchemy URL of an EMPTY database "
                        "(default: a temporary SQLite file)")
    parser.add_argument("--flask-login", action="store_true",
                        help="the section in a host whose layout shows its Flask-Login user")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        uri = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
        cached = _section(uri, folder / "cached", args.flask_login)
        upgrade(cached)
        started = time.perf_counter()
        with cached.app_context():
            factories.populate(cached.extensions["mentoring"].session(), args.rows)
        cold = _section(uri, folder / "cold", args.flask_login, MENTORING_RESPONSE_CACHE=False)
        host = ", in a Flask-Login host" if args.flask_login else ""
        print(f"{args.rows} of everything in {uri.split(':', 1)[0]}{host}, filled in "
              f"{time.perf_counter() - started:.1f} s; median µs per request "
              f"({args.cold_repeat} cold, {args.repeat} otherwise)\n")
        print(f"{'address':32} {'cold':>9} {'cached':>8} {'304':>8} {'bare':>8} "
              f"{'cold/cached':>11} {'bare/cached':>11} {'KB':>6}")
        ratios = []
        for url in URLS:
            environ = _environ(PREFIX + url)
            status, body, headers = _call(cached, environ)
            assert status.startswith("200"), (url, status)
            cold_us = _median_us(cold, environ, args.cold_repeat, "200")
            hit_us = _median_us(cached, environ, args.repeat, "200")
            tagged = _environ(PREFIX + url, {"If-None-Match": headers["ETag"]})
            not_modified_us = _median_us(cached, tagged, args.repeat, "304")
            bare_us = _median_us(_bare_app(body, headers["Content-Type"]), environ,
                                 args.repeat, "200")
            ratios.append(bare_us / hit_us)
            print(f"{url:32} {cold_us:9.0f} {hit_us:8.0f} {not_modified_us:8.0f} "
                  f"{bare_us:8.0f} {cold_us / hit_us:10.1f}× {bare_us / hit_us:10.2f}× "
                  f"{len(body) / 1024:6.1f}")
        print(f"\nversion read (session, statement, end of transaction): "
              f"{_version_read_us(cached, args.repeat):.0f} µs")
        print(f"a cache hit against the bare app serving the same bytes: median "
              f"{statistics.median(ratios):.2f}×, worst {min(ratios):.2f}× (goal ≥ 0.9×)")
        for app in (cached, cold):
            app.extensions["mentoring"].engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
