"""The side-by-side ratios of issue 13: `python scripts/bench_ratio.py [--rows 1000,10000]`.

Runs, each under gunicorn with 2 sync workers on loopback: A, the section over a SQLite
database filled with N of everything by scripts/bench.py's filler (twice: with its response
cache off — a cold render — and on); B, bare Flask answering the same bytes from memory
(scripts/bench_ref/app_b.py); C, a hand-written Flask + Flask-SQLAlchemy + Jinja list page
over SQLite, 10,000 news, 20 a page (app_c.py); and nginx with the README's recipe
(docs/nginx.conf) in front of A, serving also a static file of each page's size. wrk
(`-t1 -c8`) measures each pair in alternated rounds; the median requests/s of each side
give the ratio, printed against its goal:

    cold render of a page        ≥ 1.0× C's list page
    a page from the cache        ≥ 0.9× B serving the same bytes
    a matching conditional GET   ≥ 0.9× B (the 304 against B's 200)
    behind nginx's proxy_cache   ≥ 0.8× nginx serving a static file of the same size
    page weight before images    ≤ 100 KB (HTML, stylesheets, scripts; gzip where asked)
    a worker's first answer      ≤ 1.5× C's (from spawning gunicorn to the first 200)

Beside the two goals the section does not meet, two floors are printed: what mapping its
schema alone costs a new process (against what the first-answer goal leaves it), and the
list pages rendered cold over an empty section (against C's page of 20 news).

A benchmark, not a test: figures from one run on a quiet machine; a shared machine moves
them (compare ratios, not requests/s). Needs wrk and nginx (Debian packages) and gunicorn
(`pip install -e '.[bench]'`); without nginx its goal is left out, without wrk or gunicorn
nothing runs.

    python scripts/bench_ratio.py --rows 1000 --rounds 3 --duration 5
    python scripts/bench_ratio.py --only news,case,cold,cached    # pages and/or goals
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
REF = HERE / "bench_ref"
sys.path.insert(0, str(ROOT))  # tests.nginx_support: the recipe as the tests run it
sys.path.insert(0, str(HERE))  # scripts/bench.py: its filler

from tests.nginx_support import Nginx, find_nginx, free_port  # noqa: E402

PREFIX = "/nastavnichestvo"
#: The pages the issue measures: name -> address in the section.
PAGES = {
    "news": "/novosti/", "mentors": "/nastavniki/", "programmes": "/programmy/",
    "cases": "/luchshie-praktiki/", "home": "/", "news-item": "/novosti/n1/",
    "case": "/luchshie-praktiki/case1/",
}
GOALS = ("cold", "cached", "304", "nginx", "weight", "first")
C_ROWS = 10_000
C_PAGE = "/novosti/"
WEIGHT_LIMIT = 100 * 1024


class Missing(Exception):
    """A tool the benchmark needs is not installed: the message says how to get it."""


# -- servers -----------------------------------------------------------------------------------


def gunicorn_binary() -> str:
    beside = Path(sys.executable).parent / "gunicorn"
    found = str(beside) if beside.exists() else shutil.which("gunicorn")
    if not found:
        raise Missing("gunicorn не установлен: pip install -e '.[bench]'")
    return found


def get(url: str, headers: dict[str, str] | None = None,
        timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    host, _, rest = url.removeprefix("http://").partition("/")
    name, port = host.split(":")
    conn = http.client.HTTPConnection(name, int(port), timeout=timeout)
    try:
        conn.request("GET", "/" + rest, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@cache
def control_socket_off() -> list[str]:
    """A recent gunicorn opens a control socket at one path in the home folder: every
    server here would take it from the one before. Off where the option exists."""
    out = subprocess.run([gunicorn_binary(), "--help"], capture_output=True, text=True)
    return ["--no-control-socket"] if "--no-control-socket" in out.stdout else []


class Gunicorn:
    """A reference app under gunicorn (sync workers) on a free loopback port."""

    def __init__(self, name: str, module: str, env: dict[str, str], folder: Path,
                 workers: int = 2):
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{name}.log"
        self.args = [gunicorn_binary(), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
                     "--chdir", str(REF), "--timeout", "120",
                     *control_socket_off(), f"{module}:app"]
        # This checkout's package, whatever the environment has installed.
        path = [str(REF), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        self.env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(path)}
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.first_answer: float | None = None

    def spawn(self) -> Gunicorn:
        self.started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.args, env=self.env, stdout=log, stderr=log)
        return self

    def wait(self, probe: str = "/", timeout: float = 120) -> float:
        """Wait for a 200 at ``probe``: seconds from spawn to that first answer."""
        assert self.process is not None
        if self.first_answer is not None:
            return self.first_answer
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped: {self.log.read_text()[-1500:]}")
            try:
                if get(self.url + probe, timeout=5)[0] == 200:
                    self.first_answer = time.perf_counter() - self.started
                    return self.first_answer
            except OSError:
                pass
            time.sleep(0.005)
        self.stop()
        raise RuntimeError(f"{self.name} gave no 200 at {probe} in {timeout:.0f} s: "
                           f"{self.log.read_text()[-1500:]}")

    def start(self, probe: str = "/") -> float:
        return self.spawn().wait(probe)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- wrk ---------------------------------------------------------------------------------------


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise Missing("wrk не установлен: apt-get install wrk (пакет Debian)")
    return found


def wrk(url: str, seconds: float, headers: dict[str, str] | None = None) -> float:
    """Requests per second over ``seconds`` with 1 thread and 8 connections."""
    args = [wrk_binary(), "-t1", "-c8", f"-d{max(1, round(seconds))}s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=seconds + 60)
    text = out.stdout + out.stderr
    if out.returncode != 0 or "Non-2xx or 3xx responses" in text:
        raise RuntimeError(f"wrk {url}: {text.strip()[-800:]}")
    found = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if not found:
        raise RuntimeError(f"wrk {url}: no Requests/sec in {text.strip()[-800:]}")
    return float(found.group(1))


@dataclass
class Pair:
    rounds: int
    seconds: float
    warmup: float

    def ratio(self, baseline: str, target: str,
              target_headers: dict[str, str] | None = None) -> tuple[float, float, float]:
        """(median baseline r/s, median target r/s, target/baseline), rounds alternated."""
        if self.warmup:
            wrk(baseline, self.warmup), wrk(target, self.warmup, target_headers)
        base, mine = [], []
        for _ in range(self.rounds):
            base.append(wrk(baseline, self.seconds))
            mine.append(wrk(target, self.seconds, target_headers))
        b, t = statistics.median(base), statistics.median(mine)
        return b, t, t / b


# -- figures -----------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.met = self.total = 0

    def line(self, label: str, figures: str, value: float | None, goal: str,
             ok: bool | None, note: str = "") -> None:
        shown = "—" if value is None else f"{value:.2f}"
        verdict = {True: "met", False: "NOT met", None: "not measured"}[ok]
        if ok is not None:
            self.total += 1
            self.met += ok
        print(f"  {label:34} {figures:34} {shown:>6}  goal {goal:8} {verdict}"
              + (f"  ({note})" if note else ""), flush=True)


def fill_section(uri: str, folder: Path, rows: int) -> None:
    """N of everything, by scripts/bench.py's filler (the one place that decides what a
    benchmark's database holds; if bench.py's API changes, this is the place to adapt):
    its bulk ``load(session, n, news_n)`` where it has one, else the tests' builders it
    used before."""
    import bench  # scripts/bench.py

    app = bench.make_app(uri, folder, TESTING=False)
    bench.upgrade(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        if hasattr(bench, "load"):
            bench.load(sess, rows, rows)
        else:
            bench.factories.populate(sess, rows)
    app.extensions["mentoring"].engine.dispose()


def page_weight(url: str, html: bytes) -> tuple[int, int]:
    """(bytes on the wire with gzip asked, bytes without) of a page and the stylesheets and
    scripts it links (its pictures left out)."""
    wire = len(get(url, {"Accept-Encoding": "gzip"})[2])
    plain = len(html)
    base = url.split("/", 3)[:3]
    for ref in re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"',
                          html):
        address = ref.decode().replace("&amp;", "&")
        if address.startswith("/"):
            address = "/".join(base) + address
        elif not address.startswith("http://127.0.0.1"):
            continue  # another site's file: not ours to weigh
        status, headers, body = get(address, {"Accept-Encoding": "gzip"})
        if status == 200:
            wire += len(body)
            plain += len(gzip.decompress(body)) if headers.get(
                "content-encoding") == "gzip" else len(body)
    return wire, plain


def first_answer(name: str, module: str, env: dict[str, str], probe: str, folder: Path,
                 rounds: int) -> float:
    """Median seconds from spawning gunicorn (1 worker) to its first 200 at ``probe``."""
    times = []
    for _ in range(rounds):
        server = Gunicorn(name, module, env, folder, workers=1)
        try:
            times.append(server.start(probe))
        finally:
            server.stop()
    return statistics.median(times)


#: What mapping the section's schema costs a new process by itself: Flask, SQLAlchemy and
#: the package's top (its extension, settings, theme) imported first and not counted; then
#: the models mapped and configured, timed in the process. No view, template or request.
SCHEMA_MAPPING = """
import time, flask, sqlalchemy.orm, mentoring_site
started = time.perf_counter()
import mentoring_site.models
from mentoring_site.db import Base
sqlalchemy.orm.configure_mappers()
print(len(Base.registry.mappers), time.perf_counter() - started)
"""


def schema_floor(rounds: int, c_first: float) -> None:
    """Print how much of the first-answer allowance mapping the schema alone takes: a floor
    no lazy import of views or templates lowers (the measured reason the goal is out of
    reach while the section maps its tables with the ORM at start)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REF), str(ROOT)])}
    runs = [subprocess.run([sys.executable, "-c", SCHEMA_MAPPING], env=env, check=True,
                           capture_output=True, text=True).stdout.split()
            for _ in range(rounds)]
    mapped, seconds = runs[0][0], statistics.median(float(run[1]) for run in runs)
    print(f"  the schema alone: mapping its {mapped} classes takes {seconds:.2f} s; the goal "
          f"leaves A {0.5 * c_first:.2f} s over C's first answer for everything", flush=True)


#: The pages that list records: over an empty section they still carry all of a page.
LISTS = ("news", "mentors", "programmes", "cases", "home")


def empty_floor(args: argparse.Namespace, folder: Path, c: Gunicorn) -> None:
    """The cold render of the list pages over a section with no records at all, against C's
    page of 20 news: what the section's page costs before its first row (the layout, the
    menu, the version for the visually impaired, the meta tags, the queries that find
    nothing). A figure to read beside the cold goal, not a goal."""
    pages = {k: PAGES[k] for k in LISTS if not args.pages or k in args.pages}
    if not pages:
        return
    here = folder / "empty"
    here.mkdir()
    import bench  # scripts/bench.py

    app = bench.make_app(f"sqlite:///{here / 'a.sqlite'}", here, TESTING=False)
    bench.upgrade(app)
    app.extensions["mentoring"].engine.dispose()
    server = Gunicorn("a-empty", "app_a", {"BENCH_A_DATABASE": f"sqlite:///{here / 'a.sqlite'}",
                                           "BENCH_A_UPLOADS": str(here / "uploads"),
                                           "BENCH_A_CACHE": "0"}, folder, args.workers)
    pair = Pair(args.rounds, args.duration, args.warmup)
    print("\nfloor: cold render of an empty section (no records) against C's page of 20 news")
    try:
        server.start(PREFIX + "/")
        c.wait(C_PAGE)
        for name, path in pages.items():
            cb, ct, r = pair.ratio(c.url + C_PAGE, server.url + PREFIX + path)
            print(f"  {name + ' (no records)':34} {f'A {ct:7.0f} r/s, C {cb:7.0f} r/s':34} "
                  f"{r:6.2f}", flush=True)
    finally:
        server.stop()


def run_rows(rows: int, args: argparse.Namespace, folder: Path, c: Gunicorn, c_env: dict,
             report: Report) -> None:
    pages = {k: v for k, v in PAGES.items() if not args.pages or k in args.pages}
    goals = [g for g in GOALS if not args.goals or g in args.goals]
    pair = Pair(args.rounds, args.duration, args.warmup)
    here = folder / f"a{rows}"
    here.mkdir()
    started = time.perf_counter()
    fill_section(f"sqlite:///{here / 'a.sqlite'}", here, rows)
    print(f"\n{rows} of everything (SQLite), filled in {time.perf_counter() - started:.0f} s",
          flush=True)
    c.wait(C_PAGE)
    env = {"BENCH_A_DATABASE": f"sqlite:///{here / 'a.sqlite'}",
           "BENCH_A_UPLOADS": str(here / "uploads")}
    from mentoring_site import config

    has_cache = "MENTORING_RESPONSE_CACHE" in config.DEFAULTS
    if not has_cache:
        print("  (this build has no MENTORING_RESPONSE_CACHE: «cold» and «cached» are the "
              "same server)")
    hot = Gunicorn(f"a{rows}-cached", "app_a", {**env, "BENCH_A_CACHE": "1"}, folder,
                   args.workers)
    cold = Gunicorn(f"a{rows}-cold", "app_a", {**env, "BENCH_A_CACHE": "0"},
                    folder, args.workers) if has_cache else hot
    servers = list({id(s): s for s in (cold, hot)}.values())
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait(PREFIX + "/")
        bodies: dict[str, bytes] = {}
        etags: dict[str, str | None] = {}
        for name, path in pages.items():
            status, headers, body = get(hot.url + PREFIX + path)
            if status != 200:
                raise RuntimeError(f"A {path}: HTTP {status}")
            bodies[name], etags[name] = body, headers.get("etag")
        b_folder = here / "b"
        b_folder.mkdir()
        manifest = {}
        for name, path in pages.items():
            (b_folder / f"{name}.html").write_bytes(bodies[name])
            manifest[PREFIX + path] = f"{name}.html"
        (b_folder / "pages.json").write_text(json.dumps(manifest))
        b = Gunicorn(f"b{rows}", "app_b", {"BENCH_B_PAGES": str(b_folder)}, folder, args.workers)
        servers.append(b)
        b.start(PREFIX + next(iter(pages.values())))

        if "cold" in goals:
            print("cold render (response cache off) against C's list page, 10,000 news, 20 a page")
            for name, path in pages.items():
                cb, ct, r = pair.ratio(c.url + C_PAGE, cold.url + PREFIX + path)
                report.line(f"{name} ({rows} rows)", f"A {ct:7.0f} r/s, C {cb:7.0f} r/s", r,
                            "≥ 1.0", r >= 1.0)
        if "cached" in goals:
            print("from the section's cache against B serving the same bytes")
            for name, path in pages.items():
                bb, bt, r = pair.ratio(b.url + PREFIX + path, hot.url + PREFIX + path)
                report.line(f"{name} ({rows} rows)", f"A {bt:7.0f} r/s, B {bb:7.0f} r/s", r,
                            "≥ 0.9", r >= 0.9, "" if has_cache else "no response cache")
        if "304" in goals:
            print("conditional GET (If-None-Match) answered 304, against B's 200")
            for name, path in pages.items():
                label = f"{name} ({rows} rows)"
                tag = etags[name]
                status = get(hot.url + PREFIX + path, {"If-None-Match": tag})[0] if tag else None
                if status != 304:
                    report.line(label, "no ETag" if tag is None else f"answers {status}",
                                None, "≥ 0.9", False, "no 304")
                    continue
                assert tag is not None
                bb, bt, r = pair.ratio(b.url + PREFIX + path, hot.url + PREFIX + path,
                                       {"If-None-Match": tag})
                report.line(label, f"A {bt:7.0f} r/s, B {bb:7.0f} r/s", r, "≥ 0.9", r >= 0.9)
        if "nginx" in goals:
            run_nginx(rows, pages, bodies, hot, pair, here, report)
        if "weight" in goals:
            print("page weight before images (HTML, stylesheets, scripts; gzip asked)")
            for name, path in pages.items():
                wire, plain = page_weight(hot.url + PREFIX + path, bodies[name])
                report.line(f"{name} ({rows} rows)",
                            f"{wire / 1024:6.1f} KB ({plain / 1024:.1f} KB plain)",
                            wire / 1024, "≤ 100 KB", wire <= WEIGHT_LIMIT)
        if "first" in goals:
            print("a worker's first answer: spawn to first 200, 1 worker, median of "
                  f"{args.rounds}")
            ta = first_answer(f"a{rows}-first", "app_a", {**env, "BENCH_A_CACHE": "0"},
                              PREFIX + "/", folder, args.rounds)
            tc = first_answer("c-first", "app_c", c_env, C_PAGE, folder, args.rounds)
            report.line(f"section home ({rows} rows)", f"A {ta:5.2f} s, C {tc:5.2f} s",
                        ta / tc, "≤ 1.5", ta / tc <= 1.5)
            schema_floor(args.rounds, tc)
    finally:
        for server in servers:
            server.stop()


def run_nginx(rows: int, pages: dict[str, str], bodies: dict[str, bytes], hot: Gunicorn,
              pair: Pair, here: Path, report: Report) -> None:
    binary = find_nginx()
    if binary is None:
        print("behind nginx: left out — nginx is not installed (apt-get install nginx)")
        return
    print("behind nginx's proxy_cache (docs/nginx.conf) against nginx serving a static "
          "file of the same size")
    static = here / "static"
    static.mkdir()
    for name in pages:
        (static / f"{name}.html").write_bytes(bodies[name])
    nginx = Nginx(here / "nginx", hot.url.removeprefix("http://"), static).start(binary)
    try:
        for name, path in pages.items():
            get(nginx.url + PREFIX + path)  # the first one fills the cache, if it may
            cache = get(nginx.url + PREFIX + path)[1].get("x-cache-status", "")
            sb, st, r = pair.ratio(f"{nginx.url}/static/{name}.html", nginx.url + PREFIX + path)
            report.line(f"{name} ({rows} rows)", f"A {st:7.0f} r/s, file {sb:7.0f} r/s", r,
                        "≥ 0.8", r >= 0.8, f"cache {cache or 'off'}")
    finally:
        nginx.stop()


def names(value: str) -> list[str]:
    out = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in out if v not in PAGES and v not in GOALS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"неизвестно: {', '.join(unknown)}; страницы: {', '.join(PAGES)}; "
            f"цели: {', '.join(GOALS)}")
    return out


def sizes(value: str) -> list[int]:
    try:
        out = [int(v) for v in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            "нужны числа через запятую, например 1000,10000") from None
    if not out or min(out) < 2:
        raise argparse.ArgumentTypeError("число записей — от 2")
    return out


def compile_bytecode() -> None:
    """The section's and the reference apps' bytecode, as an installed package has it (pip
    compiles it at install): with PYTHONDONTWRITEBYTECODE set, as on these machines, a
    module edited since its last compile would otherwise be compiled again at every start,
    which «a worker's first answer» would count (the whole package: ~0.7 s of CPU)."""
    for folder in (ROOT / "mentoring_site", REF):
        compileall.compile_dir(folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=sizes, default=[1000, 10_000],
                        help="how many of everything in A's database, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds per side")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=1.0,
                        help="seconds of wrk on each side before the rounds (0: none)")
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn sync workers per server (the figures: 2, one a core)")
    parser.add_argument("--only", type=names, default=[],
                        help=f"pages ({', '.join(PAGES)}) and/or goals ({', '.join(GOALS)})")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration < 1 or args.warmup not in (0, 0.0) and args.warmup < 1:
        parser.error("--rounds и --duration — от 1, --warmup — 0 или от 1")
    if args.workers < 1:
        parser.error("--workers — от 1")
    args.pages = [n for n in args.only if n in PAGES]
    args.goals = [n for n in args.only if n in GOALS]
    try:
        wrk_binary(), gunicorn_binary()
    except Missing as exc:
        print(f"bench_ratio: {exc}", file=sys.stderr)
        return 2
    # A stopped run (SIGTERM, a test's time limit) still stops its servers: see the finally's.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    compile_bytecode()
    report = Report()
    print(f"wrk -t1 -c8, {args.rounds} round(s) of {args.duration:g} s per side, alternated; "
          f"gunicorn, {args.workers} sync worker(s) each; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-ratio-") as tmp:
        folder = Path(tmp)
        sys.path.insert(0, str(REF))
        import app_c

        app_c.fill(str(folder / "c.sqlite"), C_ROWS)
        c_env = {"BENCH_C_DATABASE": str(folder / "c.sqlite")}
        c = Gunicorn("c", "app_c", c_env, folder, args.workers)
        try:
            c.spawn()  # starts while A's database is filled
            for rows in args.rows:
                run_rows(rows, args, folder, c, c_env, report)
            if not args.goals or "cold" in args.goals:
                empty_floor(args, folder, c)
        except RuntimeError as exc:
            print(f"bench_ratio: {exc}", file=sys.stderr)
            return 1
        finally:
            c.stop()
    print(f"\n{report.met} of {report.total} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
