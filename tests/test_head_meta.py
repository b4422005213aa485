"""Canonical links, share cards and JSON-LD on every public page; no inline script."""

from __future__ import annotations

import json
import re
from collections import deque
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
from mentoring_site.models import (
    MediaFile,
    MediaKind,
    NewsItem,
    NewsKind,
    Person,
    PersonKind,
    Status,
)
from tests import factories
from tests.conftest import SEED_TODAY

PREFIX = "/nastavnichestvo"
ROOT = "http://localhost" + PREFIX


class Head(HTMLParser):
    """The head tags of a page and every <script> of the whole page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link":
            self.links.append(a)
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content"))
        elif tag == "script":
            self._script = a
            self.scripts.append((a, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def canonical(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def json_ld(self) -> list[dict]:
        return [json.loads(t) for a, t in self.scripts if a.get("type") == "application/ld+json"]


#: Pages whose templates belong to the accessibility work (not ours to edit).
NOT_OURS = ("/dlya-slabovidyashchih/",)


def crawl(client) -> dict[str, str]:
    """Every HTML page of the section reachable by links (redirects are not pages)."""
    seen: dict[str, str] = {}
    queue = deque([PREFIX + "/"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        resp = client.get(url)
        seen[url] = resp.get_data(as_text=True) if resp.mimetype == "text/html" else ""
        resp.close()
        if resp.status_code != 200:
            seen[url] = ""
            continue
        for href in re.findall(r'href="([^"#]+)"', seen[url]):
            href = unescape(href)
            if (href.startswith(PREFIX) and "/static/" not in href and "/media/" not in href
                    and not any(p in href for p in NOT_OURS)):
                queue.append(href)
        assert len(seen) < 500, "the crawl does not end"
    return {u: h for u, h in seen.items() if h}



def _own_photo() -> MediaFile:
    return MediaFile(stored_name="sekretnoe-foto.jpg", original_name="foto.jpg",
                     content_type="image/jpeg", size=1, kind=MediaKind.IMAGE)


@pytest.fixture
def pages(seeded_app):
    return crawl(seeded_app.test_client())


def _head(client, url) -> Head:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return Head(resp.get_data(as_text=True))


def test_every_page_has_a_canonical_link_and_a_share_card(seeded_app, pages):
    client = seeded_app.test_client()
    assert len(pages) > 40
    for url, html in pages.items():
        head = Head(html)
        canonical = head.canonical()
        assert len(canonical) == 1, url
        assert canonical[0].startswith(ROOT + "/"), url
        assert head.meta["og:url"] == canonical
        assert head.meta["og:title"][0] and head.meta["og:type"][0], url
        assert head.meta["og:locale"] == ["ru_RU"]
        feeds = [link for link in head.links if link.get("rel") == "alternate"]
        assert {f["type"] for f in feeds} == {"application/atom+xml"}, url
        for image in head.meta.get("og:image", []):
            assert image.startswith(ROOT + "/media/")
            served = client.get(image.removeprefix("http://localhost"))
            assert served.status_code == 200 and served.mimetype.startswith("image/")
            served.close()


def test_no_page_has_an_inline_executable_script(seeded_app, pages):
    """The CSP allows only script files from the site: JSON-LD data blocks are not run."""
    for url, html in pages.items():
        for attrs, _text in Head(html).scripts:
            assert attrs.get("type") == "application/ld+json" and "src" not in attrs, url


def test_json_ld_types_fit_the_page(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        items = sess.scalars(
            sa.select(NewsItem).where(rules.published_clause(NewsItem, now_utc()))
        ).all()
        news = next(n for n in items if n.kind is NewsKind.NEWS)
        event = next(n for n in items if n.kind is NewsKind.ANNOUNCEMENT and n.event_starts_at)
        news_slug, event_slug, event_start = news.slug, event.slug, event.event_starts_at
    [article] = _head(client, f"{PREFIX}/novosti/{news_slug}/").json_ld()
    assert article["@type"] == "NewsArticle"
    assert article["datePublished"].endswith("+00:00")
    assert article["publisher"]["name"] == "МБОУ «Тестовая школа № 1»"
    [ev] = _head(client, f"{PREFIX}/novosti/{event_slug}/").json_ld()
    assert ev["@type"] == "Event"
    assert ev["startDate"].startswith(event_start.strftime("%Y-%m-%dT%H:%M"))
    assert ev["startDate"].endswith("+03:00")  # school-local time, Moscow
    [cases] = _head(client, f"{PREFIX}/luchshie-praktiki/").json_ld()
    assert cases["@type"] == "ItemList" and cases["itemListElement"]
    assert all(i["url"].startswith(ROOT) for i in cases["itemListElement"])
    case_url = cases["itemListElement"][0]["url"].removeprefix("http://localhost")
    [case] = _head(client, case_url).json_ld()
    assert case["@type"] == "Article" and case["image"][0].startswith(ROOT + "/media/")
    assert _head(client, f"{PREFIX}/normativnaya-baza/").json_ld() == []


def test_person_markup_holds_only_consented_fields(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        shy = factories.person(consented=False, slug="skromnaya", photo=_own_photo(),
                               bio="Секретная биография учителя")
        shy.consents.append(factories.consent(signed_on=SEED_TODAY - timedelta(days=1),
                                              allow_bio=False, allow_photo=False))
        sess.add(shy)
        sess.commit()
        people = sess.scalars(
            sa.select(Person).where(rules.person_clause(SEED_TODAY),
                                    Person.kind != PersonKind.STUDENT)
        ).all()
        shown = [(rules.public_person(p, SEED_TODAY), p) for p in people]
        checked = set()
        for public, person in shown:
            head = _head(client, f"{PREFIX}/lyudi/{person.slug}/")
            [data] = head.json_ld()
            assert data["@type"] == "Person" and data["name"] == public.name
            expected = {"@context", "@type", "name", "url"}
            expected |= {"jobTitle"} if public.position else set()
            expected |= {"knowsAbout"} if public.subjects else set()
            expected |= {"description"} if public.bio else set()
            expected |= {"award"} if public.awards else set()
            expected |= {"image"} if public.photo else set()
            assert set(data) == expected, person.slug
            assert ("og:image" in head.meta) == bool(public.photo)
            if not public.bio and person.bio:
                checked.add("bio")
                assert person.bio.strip()[:40] not in json.dumps(data, ensure_ascii=False)
            if not public.photo and person.photo:
                checked.add("photo")
    assert checked == {"bio", "photo"}


def test_user_text_cannot_break_out_of_the_json_ld_block(seeded_app):
    title = '</script><script>alert(1)</script> «А & Б» <!-- x'
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        sess.add(NewsItem(slug="vzlom", title=title, summary="</SCRIPT >", body="",
                          kind=NewsKind.NEWS, status=Status.PUBLISHED))
        sess.commit()
    html = seeded_app.test_client().get(f"{PREFIX}/novosti/vzlom/").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    head = Head(html)
    assert [a.get("type") for a, _ in head.scripts] == ["application/ld+json"]
    [data] = head.json_ld()
    assert data["headline"] == title and data["description"] == "</SCRIPT >"
    block = head.scripts[0][1]
    assert "<" not in block and ">" not in block and "&" not in block


def test_canonical_drops_tracking_arguments_and_ignores_a_forged_host(seeded_app):
    client = seeded_app.test_client()
    url = f"{PREFIX}/novosti/?utm_source=vk&vid=anonsy&page=1&fbclid=x"
    head = Head(client.get(url, headers={"Host": "evil.example"}).get_data(as_text=True))
    assert head.canonical() == [f"{ROOT}/novosti/?vid=anonsy"]
    seeded_app.config["MENTORING_SITE_URL"] = "https://school7.example.ru"
    resp = client.get(f"{PREFIX}/programmy/?status=zaversheny", headers={"Host": "evil.example"})
    assert Head(resp.get_data(as_text=True)).canonical() == [
        "https://school7.example.ru/nastavnichestvo/programmy/?status=zaversheny"
    ]
