"""``flask mentoring static-site DIR``: the public section as plain files for any static host.

Why our own crawl and not Frozen-Flask: what is public is decided by the pages themselves
(``rules`` behind every view), so the copy asks the app exactly as a visitor would — the
test client, no cookie, no session — starting from the section's home and following every
link, picture, stylesheet and file under the section's address, plus the feeds, the
calendar and the sitemap. Nothing the live section does not show can reach the folder.

Links are rewritten to relative ones («../novosti/index.html»), so the folder works
uploaded anywhere — the root of a static host, a folder in the school site's file area —
and even opened from the disk. A page with a query (``?page=2``) becomes a file of its own
(``index--page-2.html``). Feeds and the sitemap keep absolute addresses: ``--site-url``
says where the copy will live, ``--live-url`` where the running section takes forms. A
re-run writes only the files whose bytes changed and removes the ones the section no longer
has. A form that sends (a questionnaire, a registration) needs the live site: the copy
replaces it by a link to the same page there; search filters (GET) stay.

The version for the visually impaired lives on the live site in a cookie switched by a POST;
a static host has neither. The crawler asks every page with ``urls.STATIC_COPY`` in the
environ, and the section renders it for the copy: «Версия для слабовидящих» becomes a link
to the same page in the copy's default variant, and a variant's panel links the same page
in the other variants and the ordinary version (``public/accessibility.py`` says which
variants: a few, each one more copy of every page's HTML). A variant is a folder,
``dlya-slabovidyashchih/<variant>/``, mirroring the section — the live site's own address
of the settings page, so no free page's slug can collide with it; its pages link to the
pages of the same variant and share the pictures, styles and files with the ordinary ones.
"""

from __future__ import annotations

import contextvars
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask import Flask, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ..urls import STATIC_COPY, STATIC_ORDINARY
from .archive import ArchiveError

#: A page or file the copy keeps, by content type.
HTML = "text/html"
_LINK_RE = re.compile(rb'(?P<attr>\b(?:href|src|poster|action)=")(?P<url>[^"#]*)(?P<frag>#[^"]*)?"')
_SRCSET_RE = re.compile(rb'\bsrcset="([^"]*)"')
_CSS_URL_RE = re.compile(rb"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_POST_FORM_RE = re.compile(rb'<form\b[^>]*\bmethod="post"[^>]*>.*?</form>', re.S | re.I)
MARK = ".mentoring-static"  # the folder's own list of the files it wrote
#: Endpoints of the public blueprint that are files, not pages (no variant of their own).
_FILES = {"mentoring.media", "mentoring.static"}
#: What a form (a questionnaire, a registration) becomes in the copy: it
#: needs the live site, so the copy links there instead of showing a form that cannot send.
FORM_LINK = "открыть эту страницу на сайте"
#: ... and with no live section named (``--live-url``, MENTORING_SITE_URL): no link into the copy.
NO_LIVE_FORM = ('<p class="m-static-form">Эта форма работает только на сайте, где раздел '
                'запущен; здесь её отправить нельзя.</p>')


@dataclass
class StaticResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    pages: int = 0


def _file_for(path: str, query: str, prefix: str) -> str:
    """The file (relative to the folder) a URL path under ``prefix`` is stored as."""
    rel = path[len(prefix):].lstrip("/")
    suffix = ""
    if query:
        suffix = "--" + re.sub(r"[^A-Za-z0-9_-]+", "-", query).strip("-")[:80]
    if rel == "" or rel.endswith("/"):
        return f"{rel}index{suffix}.html"
    if suffix:
        stem, dot, ext = rel.rpartition(".")
        return f"{stem}{suffix}.{ext}" if dot and "/" not in ext else rel + suffix
    return rel


class _Crawler:
    def __init__(self, app: Flask, site_url: str, vi_root: str, live_url: str | None):
        self.app = app
        self.live = live_url.rstrip("/") if live_url else None
        self.client = app.test_client()
        self.prefix = app.config["MENTORING_URL_PREFIX"] + "/"
        self.site = site_url.rstrip("/")
        self.base = urlsplit(self.site)
        self.vi_root = vi_root  # «…/dlya-slabovidyashchih/»: the variants' folders under it
        self.routes = app.url_map.bind(self.base.netloc)
        self.files: dict[str, bytes] = {}
        self.seen: set[tuple[str, str]] = set()
        self.queue: list[tuple[str, str]] = []

    def _variant(self, path: str) -> tuple[str, str] | None:
        """(variant, the page's own path) of a path in a variant's folder, else None."""
        if not path.startswith(self.vi_root) or path == self.vi_root:
            return None
        name, _, rest = path[len(self.vi_root):].partition("/")
        return name, self.prefix + rest

    def _is_page(self, path: str) -> bool:
        """A page of the section (it has variants), not a file, a feed or the sitemap."""
        try:
            endpoint, _args = self.routes.match(path, method="GET")
        except (HTTPException, RequestRedirect):
            return False
        return str(endpoint).startswith("mentoring.") and endpoint not in _FILES

    def _inside(self, url: str, page_path: str) -> tuple[str, str] | None:
        """(path, query) of a link that points into the section, else None."""
        absolute = urljoin(self.site + page_path, url.strip())
        parts = urlsplit(absolute)
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            return None
        path = posixpath.normpath(parts.path) + ("/" if parts.path.endswith("/") else "")
        if not (path + "/").startswith(self.prefix) or "/admin/" in path + "/":
            return None
        path = path if path != self.prefix.rstrip("/") else self.prefix
        variant = self._variant(path)
        if variant is not None and variant[0] == STATIC_ORDINARY:
            return variant[1], parts.query  # a variant's «Обычная версия»
        here = self._variant(page_path)
        if variant is None and here is not None and self._is_page(path):
            # a page linked from a variant's page: the same variant's copy of it
            return self.vi_root + here[0] + "/" + path[len(self.prefix):], parts.query
        return path, parts.query

    def add(self, path: str, query: str = "") -> None:
        key = (path, query)
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append(key)

    def fetch(self, path: str, query: str) -> tuple[bytes, str] | None:
        variant = self._variant(path)
        name, path = variant if variant is not None else ("", path)
        answer = self.client.get(path, query_string=query, base_url=self.site,
                                 follow_redirects=False, environ_overrides={STATIC_COPY: name})
        try:
            if answer.status_code != 200:
                return None
            return answer.get_data(), answer.mimetype or ""
        finally:
            answer.close()

    def run(self, progress: Callable[[int], None] | None) -> None:
        while self.queue:
            path, query = self.queue.pop(0)
            got = self.fetch(path, query)
            if got is None:
                continue
            data, mimetype = got
            name = _file_for(path, query, self.prefix)
            if mimetype == HTML:
                data = self._html(data, path, name)
            elif mimetype == "text/css":
                data = self._css(data, path, name)
            self.files[name] = data
            if progress:
                progress(len(self.files))

    def _relative(self, target: tuple[str, str], from_name: str) -> str:
        file = _file_for(target[0], target[1], self.prefix)
        return posixpath.relpath(file, posixpath.dirname(from_name) or ".")

    def _html(self, data: bytes, path: str, name: str) -> bytes:
        def link(match: re.Match) -> bytes:
            url = match.group("url").decode("utf-8", "replace")
            attr = match.group("attr")
            target = self._inside(url.replace("&amp;", "&"), path) if url else None
            if target is None or attr.startswith(b"action"):
                return match.group(0)
            self.add(*target)
            frag = match.group("frag") or b""
            return attr + self._relative(target, name).encode() + frag + b'"'

        def srcset(match: re.Match) -> bytes:
            parts = []
            for item in match.group(1).decode("utf-8", "replace").split(","):
                bits = item.strip().split()
                target = self._inside(bits[0], path) if bits else None
                if target is not None:
                    self.add(*target)
                    bits[0] = self._relative(target, name)
                parts.append(" ".join(bits))
            return b'srcset="' + ", ".join(parts).encode() + b'"'

        data = _SRCSET_RE.sub(srcset, _LINK_RE.sub(link, data))
        # after the rewriting: the notice's link goes to the live site, not into the copy
        variant = self._variant(path)
        if self.live:
            notice = (f'<p class="m-static-form">Форма работает на сайте: <a href="{self.live}'
                      f'{variant[1] if variant else path}">{FORM_LINK}</a>.</p>').encode()
        else:
            notice = NO_LIVE_FORM.encode()
        data = _POST_FORM_RE.sub(lambda _m: notice, data)
        return data

    def _css(self, data: bytes, path: str, name: str) -> bytes:
        def url(match: re.Match) -> bytes:
            target = self._inside(match.group(1).decode("utf-8", "replace"), path)
            if target is None:
                return match.group(0)
            self.add(*target)
            return b"url(" + self._relative(target, name).encode() + b")"

        return _CSS_URL_RE.sub(url, data)


def build_static_site(app: Flask, folder: str | Path, *, site_url: str | None = None,
                      live_url: str | None = None,
                      progress: Callable[[int], None] | None = None) -> StaticResult:
    """Write the public section into ``folder``; only changed files are rewritten.

    ``site_url`` is where the copy will live (its feeds and sitemap name it); ``live_url``
    where the running section takes forms (MENTORING_SITE_URL by default). They differ:
    a form's link must never lead back into the copy, where nothing can take it."""
    live = live_url or app.config["MENTORING_SITE_URL"] or None
    site = site_url or live or "http://localhost"
    for name, url in (("копии", site), ("раздела", live)):
        if url is not None and not re.match(r"^https?://[^/\s]+$", url.rstrip("/")):
            raise ArchiveError(f"адрес сайта {name} должен быть вида https://school.example.ru, "
                               f"а указан {url!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    old_config = app.config["MENTORING_SITE_URL"]
    app.config["MENTORING_SITE_URL"] = site.rstrip("/")
    try:
        # Outside any app context the caller has (the CLI pushes one): a request pushed
        # inside it would reuse it, and with it ``g``, so every page would be rendered with
        # the first page's settings (the variants as the ordinary page) and stamp.
        crawler = contextvars.Context().run(_crawl, app, site, live, progress)
    finally:
        app.config["MENTORING_SITE_URL"] = old_config
    return _write(folder, crawler.files)


def _crawl(app: Flask, site: str, live: str | None,
           progress: Callable[[int], None] | None) -> _Crawler:
    with app.test_request_context(base_url=site):
        crawler = _Crawler(app, site, url_for("mentoring.accessibility"), live)
        seeds = [url_for("mentoring.index"), url_for("mentoring_api.sitemap"),
                 url_for("mentoring_api.feed_news"), url_for("mentoring_api.feed_cases"),
                 url_for("mentoring_api.calendar")]
    for seed in seeds:
        crawler.add(seed)
    crawler.run(progress)
    return crawler


def _write(folder: Path, files: dict[str, bytes]) -> StaticResult:
    result = StaticResult(pages=sum(1 for n in files if n.endswith(".html")))
    marker = folder / MARK
    before = set(marker.read_text(encoding="utf-8").split("\n")) - {""} \
        if marker.exists() else set()
    root = folder.resolve()
    for name, data in sorted(files.items()):
        target = (folder / name).resolve()
        if root not in target.parents:
            continue  # never outside the folder, whatever a link said
        if target.is_file() and hashlib.sha256(target.read_bytes()).digest() \
                == hashlib.sha256(data).digest():
            result.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        result.written.append(name)
    for name in sorted(before - set(files)):
        old = (folder / name).resolve()
        if root in old.parents and old.is_file():
            old.unlink()
            result.removed.append(name)
            _prune(old.parent, root)
    marker.write_text("\n".join(sorted(files)), encoding="utf-8")
    return result


def _prune(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty: a withdrawn
    page's address must not answer with a directory listing on a static host."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or not ours to remove): the rest stays
            return
        folder = folder.parent
