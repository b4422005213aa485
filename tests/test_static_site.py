"""A static copy of the public section (issue 15): every public page and file, relative
links that all resolve, nothing the live section hides, a re-run that rewrites only what
changed, and a copy that opens in Chromium from a plain static file server."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from mentoring_site.transfer.static_site import MARK, build_static_site
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
                                             site_url="https://school.example.ru")
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
    assert "https://school.example.ru/nastavnichestvo/" in feed  # the copy's own address


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
    notice = 'Форма работает на сайте: <a href="https://school.example.ru/nastavnichestvo/ankety/'
    assert any(notice in p.read_text(encoding="utf-8")
               for p in (folder / "ankety").glob("*/index.html"))


def test_a_rerun_rewrites_only_what_changed_and_removes_what_is_gone(copy, tmp_path):
    app, folder, first, _ = copy
    again = build_static_site(app, folder, site_url="https://school.example.ru")
    assert again.written == [] and again.removed == [] and again.unchanged == len(
        (folder / MARK).read_text(encoding="utf-8").split("\n"))
    stray_mark = (folder / MARK).read_text(encoding="utf-8").split("\n")
    assert "index.html" in stray_mark


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
        page.on("requestfailed", lambda r: failed.append(r.url))
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
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    local = [u for u in failed if u.startswith("http://127.0.0.1")]
    assert not local, local
