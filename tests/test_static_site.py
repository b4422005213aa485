"""A static copy of the public section (issue 15): every public page and file, relative
links that all resolve, nothing the live section hides, a re-run that rewrites only what
changed, and a copy that opens in Chromium from a plain static file server. The version
for the visually impaired is there too: every page in each variant the copy holds, linked
from the ordinary page and back, switched by links instead of the live site's forms."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from flask import url_for

from mentoring_site.models import Status
from mentoring_site.public.accessibility import STATIC_VARIANTS, Settings, static_name
from mentoring_site.transfer.static_site import MARK, _Crawler, build_static_site
from tests import factories
from tests.leak_checks import (  # noqa: F401 - the shared checks, run on the static copy
    corpus_of,
    read_with_hidden_things,
    test_fields_without_consent_appear_nowhere,
    test_hidden_items_appear_nowhere,
    test_hidden_people_appear_nowhere,
    test_hidden_programs_honors_and_private_files_appear_nowhere,
    test_questionnaire_answers_appear_nowhere,
    test_registrations_and_their_addresses_appear_nowhere,
    test_students_show_neither_a_last_name_nor_a_page,
)

_LINKS = re.compile(r'(?:href|src)="([^"#]+)')
VI = "dlya-slabovidyashchih"
DEFAULT = static_name(Settings())


def _ordinary_pages(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html")
                  if not str(p.relative_to(folder)).startswith(VI + "/"))


def _link(page: Path, pattern: str) -> Path:
    """The file a page's link (the first whose markup matches ``pattern``) leads to."""
    found = re.search(pattern, page.read_text(encoding="utf-8"))
    assert found, f"{page}: no {pattern}"
    return (page.parent / html.unescape(found.group(1))).resolve()


def _texts(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): html.unescape(p.read_text(encoding="utf-8",
                                                                  errors="replace"))
            for p in folder.rglob("*") if p.is_file() and p.suffix in (".html", ".xml",
                                                                       ".atom", ".ics")}


@pytest.fixture(scope="module")
def copy(module_seeded_app, tmp_path_factory):
    """The copy of the demo with the leak checks' hidden things added first."""
    folder = tmp_path_factory.mktemp("static")
    holder = {}

    def read(_client):
        holder["result"] = build_static_site(module_seeded_app, folder,
                                             site_url="https://copy.example.ru",
                                             live_url="https://school.example.ru")
        return _texts(folder)

    holder["texts"] = read_with_hidden_things(module_seeded_app, read)
    return module_seeded_app, folder, holder["result"], holder["texts"]


@pytest.fixture
def corpus(copy):
    app, _folder, _result, texts = copy
    yield from corpus_of(app, texts)


def test_every_page_is_there_and_every_internal_link_resolves(copy):
    app, folder, result, _ = copy
    assert result.pages > 30 and (folder / "index.html").is_file()
    for page in ("nastavniki/index.html", "programmy/index.html", "novosti/index.html",
                 "luchshie-praktiki/index.html", "normativnaya-baza/index.html",
                 "sitemap.xml", "feeds/novosti.atom", "feeds/anonsy.ics"):
        assert (folder / page).is_file(), page
    # a page with a query is a file of its own
    assert (folder / "programmy" / "index--status-zaversheny.html").is_file()
    assert list((folder / "media").iterdir()), "pictures and documents are copied"
    broken = []
    for page in folder.rglob("*.html"):
        for link in _LINKS.findall(page.read_text(encoding="utf-8")):
            link = html.unescape(link)
            if re.match(r"^[a-z]+:|^//|^/", link):
                continue  # outside the section (the host's own pages) or absolute
            if not (page.parent / unquote(link)).resolve().is_file():
                broken.append(f"{page.relative_to(folder)} → {link}")
    assert not broken, broken[:20]
    feed = (folder / "feeds" / "novosti.atom").read_text(encoding="utf-8")
    assert "https://copy.example.ru/nastavnichestvo/" in feed  # the copy's own address


def test_no_private_file_and_no_admin_page_is_copied(copy):
    app, folder, _, texts = copy
    with app.app_context():
        from mentoring_site.models import MediaFile

        sess = app.extensions["mentoring"].session()
        private = {m.stored_name for m in sess.scalars(
            sa.select(MediaFile).where(MediaFile.is_private.is_(True)))}
    assert private
    assert not {p.name for p in (folder / "media").iterdir()} & private
    assert not any("admin" in name for name in texts)


def test_forms_that_send_link_to_the_live_site_instead(copy):
    _, folder, _, _ = copy
    pages = [p.read_text(encoding="utf-8") for p in folder.rglob("*.html")]
    assert not any('method="post"' in page.lower() for page in pages)
    # to the running section (--live-url), never into the copy, which cannot take a form
    notice = 'Форма работает на сайте: <a href="https://school.example.ru/nastavnichestvo/ankety/'
    assert any(notice in p.read_text(encoding="utf-8")
               for p in (folder / "ankety").glob("*/index.html"))
    assert not any('<a href="https://copy.example.ru/nastavnichestvo/ankety' in page
                   for page in pages)


def test_without_a_live_section_a_form_says_so_and_links_nowhere(copy):
    app, folder, _, _ = copy
    name = next((folder / "ankety").glob("*/index.html")).relative_to(folder).as_posix()
    path = "/nastavnichestvo/" + name.removesuffix("index.html")
    with app.test_request_context(base_url="https://copy.example.ru"):
        crawler = _Crawler(app, "https://copy.example.ru", url_for("mentoring.accessibility"),
                           None)
        fetched = crawler.fetch(path, "")
        assert fetched is not None
        page = crawler._html(fetched[0], path, name).decode("utf-8")
    assert "Эта форма работает только на сайте, где раздел запущен" in page
    assert 'method="post"' not in page.lower()
    assert '<a href="https://copy.example.ru/nastavnichestvo/ankety' not in page


def test_every_page_has_each_variant_for_the_visually_impaired(copy):
    _, folder, _, _ = copy
    ordinary = _ordinary_pages(folder)
    assert len(STATIC_VARIANTS) == 8 and DEFAULT == "2-bw"
    assert {p.name for p in (folder / VI).iterdir()} == set(STATIC_VARIANTS)
    for name in STATIC_VARIANTS:
        pages = sorted(str(p.relative_to(folder / VI / name))
                       for p in (folder / VI / name).rglob("*.html"))
        assert pages == ordinary, name  # every page, and nothing but the pages
    assert not list((folder / VI).glob("*/media")) and not list((folder / VI).glob("*/static"))


def test_the_vi_link_leads_to_the_same_page_in_the_vi_copy_and_back(copy):
    _, folder, _, _ = copy
    for name in _ordinary_pages(folder):
        page = folder / name
        target = _link(page, r'class="m-vi-link"><a href="([^"]+)"')
        assert target == (folder / VI / DEFAULT / name).resolve(), name
        back = _link(target, r'<a href="([^"]+)">Обычная версия</a>')
        assert back == page.resolve(), name
    variant = folder / VI / "4-wb" / "novosti" / "index.html"
    text = variant.read_text(encoding="utf-8")
    classes = re.search(r'<div class="(mentoring [^"]*)"', text).group(1).split()
    assert {"m-vi", "m-vi--size-4", "m-vi--scheme-wb"} <= set(classes)
    assert "m-vi--noimg" not in classes
    assert re.search(r'href="[./]*static/mentoring-vi[^"]*\.css"', text)
    assert '<meta name="robots" content="noindex, follow">' in text
    assert _link(variant, r'<link rel="canonical" href="([^"]+)"') == (
        folder / "novosti" / "index.html").resolve()
    # the panel: each choice the copy holds leads to this page in that variant
    assert _link(variant, r'<a class="m-vi-panel__size-2" href="([^"]+)"') == (
        folder / VI / "2-wb" / "novosti" / "index.html").resolve()
    assert _link(variant, r'<a class="m-vi-sample m-vi-sample--bw" href="([^"]+)"') == (
        folder / VI / "4-bw" / "novosti" / "index.html").resolve()
    assert _link(variant, r'<a href="([^"]+)">Скрыть изображения</a>') == (
        folder / VI / "4-wb-bez-kartinok" / "novosti" / "index.html").resolve()
    # the navigation stays in the variant; pictures and styles are the ordinary ones
    assert _link(variant, r'<a href="([^"]+)">Программы наставничества</a>') == (
        folder / VI / "4-wb" / "programmy" / "index.html").resolve()
    no_pictures = (folder / VI / "4-wb-bez-kartinok" / "index.html").read_text(encoding="utf-8")
    assert "<img" in (folder / "index.html").read_text(encoding="utf-8")
    assert "<img" not in no_pictures and "m-vi--noimg" in no_pictures
    assert "m-img-alt" in no_pictures  # the pictures' descriptions instead


@pytest.mark.browser
def test_the_pages_of_the_copy_and_of_a_variant_are_valid_html(copy):
    """The Nu checker over the ordinary pages and the pages of the variant without pictures
    (the panel's links, the descriptions instead of pictures)."""
    from tests.browser import vnu_errors

    _, folder, _, _ = copy
    files = [folder / name for name in _ordinary_pages(folder)]
    files += [folder / VI / "4-wb-bez-kartinok" / name for name in _ordinary_pages(folder)]
    # The demo's «Как стать наставником» links «../ankety/…» in its Markdown; markup.py keeps
    # only absolute paths, so that <a> has no href on the live page too (not the copy's doing).
    known = "kak-stat-nastavnikom/index.html"
    errors = [e for e in vnu_errors(files)
              if not (known in e and "missing required attribute “href”" in e)]
    assert not errors[:30]


def test_a_visitor_cannot_ask_for_the_static_copys_rendering(copy):
    """The copy's variants are chosen in the WSGI environ, which no header reaches."""
    app, _, _, _ = copy
    got = app.test_client().get("/nastavnichestvo/novosti/",
                                headers={"Mentoring.Static-Copy": "4-wb",
                                         "Mentoring-Static-Copy": "4-wb"})
    text = got.get_data(as_text=True)
    assert got.status_code == 200 and 'class="m-vi-link" method="post"' in text
    assert "m-vi--size-4" not in text


def test_a_rerun_rewrites_only_what_changed_and_removes_what_is_gone(app, db, tmp_path):
    """On a small section (the demo's copy takes a minute to crawl again): nothing changed
    writes nothing; a new item writes its page and the pages listing it, in every variant;
    a withdrawn one is removed, and the rest stays untouched."""
    folder = tmp_path / "copy"

    def build():
        return build_static_site(app, folder, site_url="https://copy.example.ru",
                                 live_url="https://school.example.ru")

    first = build()
    assert first.written and first.removed == []
    again = build()
    listed = (folder / MARK).read_text(encoding="utf-8").split("\n")
    assert again.written == [] and again.removed == [] and again.unchanged == len(listed)
    assert "index.html" in listed

    item = factories.news(slug="rerun-news", title="Новость для второго прохода")
    db.add(item)
    db.commit()
    added = build()
    news_pages = [name for name in added.written if "rerun-news" in name]
    assert "novosti/rerun-news/index.html" in news_pages
    assert f"{VI}/{DEFAULT}/novosti/rerun-news/index.html" in news_pages
    assert len(news_pages) == 1 + len(STATIC_VARIANTS)
    assert "novosti/index.html" in added.written  # the list shows it
    assert added.removed == [] and added.unchanged > 0
    assert len(added.written) < added.pages  # the others are left as they were

    item.status = Status.DRAFT
    db.commit()
    gone = build()
    assert sorted(gone.removed) == sorted(news_pages)
    assert not (folder / "novosti" / "rerun-news").exists()
    assert "novosti/index.html" in gone.written


def test_the_copy_opens_in_chromium_from_a_static_server(copy, page):
    import functools
    import http.server
    import threading

    _, folder, _, _ = copy
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    failed: list[str] = []
    try:
        # a picture still loading when a click leaves the page is cancelled (ERR_ABORTED):
        # not a missing file; every picture's own answer is checked below
        page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "")
                else failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(f"http://127.0.0.1:{server.server_port}/nastavniki/index.html")
        assert page.locator("h1").first.inner_text()
        colour = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert colour  # the stylesheet applied
        sheets = page.evaluate("document.styleSheets.length")
        assert sheets >= 1
        # every picture's file answers from the static server (lazy ones load on scroll,
        # so each is fetched rather than waited for)
        statuses = page.evaluate("Promise.all(Array.from(document.images).map("
                                 "i => fetch(i.currentSrc || i.src).then(r => r.status)))")
        assert statuses and set(statuses) == {200}, statuses
        # the version for the visually impaired: its link, its styles, and back
        with page.expect_navigation():
            page.click(".m-vi-link a")
        assert f"/{VI}/{DEFAULT}/nastavniki/index.html" in page.url
        wrapper = page.locator(".mentoring").first
        assert "m-vi--size-2" in wrapper.get_attribute("class")
        assert page.evaluate("getComputedStyle(document.querySelector('.mentoring h1'))"
                             ".backgroundColor") == "rgb(255, 255, 255)"
        with page.expect_navigation():
            page.click(".m-vi-sample--wb")
        assert f"/{VI}/4-bw/" not in page.url and f"/{VI}/2-wb/" in page.url
        assert page.evaluate("getComputedStyle(document.querySelector('.mentoring h1'))"
                             ".color") == "rgb(255, 255, 255)"
        with page.expect_navigation():
            page.click(".m-vi-panel__size-4")
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'.mentoring p')).fontSize)")
        assert f"/{VI}/4-wb/" in page.url and size >= 24
        with page.expect_navigation():
            page.click("text=Обычная версия")
        assert page.url.endswith("/nastavniki/index.html") and f"/{VI}/" not in page.url
        assert "m-vi" not in page.locator(".mentoring").first.get_attribute("class")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    local = [u for u in failed if u.startswith("http://127.0.0.1")]
    assert not local, local


def test_the_command_renders_each_variant_as_itself(app, runner, tmp_path):
    """``flask mentoring static-site`` runs inside an app context: the crawl must not share
    it (and its ``g``) between pages, or every variant came out as the ordinary page."""
    folder = tmp_path / "copy"
    got = runner.invoke(args=["mentoring", "static-site", str(folder),
                              "--site-url", "https://copy.example.ru"])
    assert got.exit_code == 0, got.output
    for name, settings in STATIC_VARIANTS.items():
        text = (folder / VI / name / "novosti" / "index.html").read_text(encoding="utf-8")
        assert f"m-vi--size-{settings.size}" in text, name
    assert "m-vi--size" not in (folder / "novosti" / "index.html").read_text(encoding="utf-8")
