"""Atom feeds read by feedparser as a reader would, the iCalendar file, the sitemap."""

from __future__ import annotations

import os
import re
from datetime import datetime
from xml.etree import ElementTree as ET

import feedparser
import icalendar
import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
from mentoring_site.models import Case, NewsItem, NewsKind

PREFIX = "/nastavnichestvo"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


def _public(seeded_app, model, clause):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        return sess.scalars(sa.select(model).where(clause)).all()


def _parse(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.mimetype == "application/atom+xml"
    feed = feedparser.parse(resp.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.both_databases
def test_news_feed_has_every_public_item_newest_first(seeded_app, client):
    feed = _parse(client, f"{PREFIX}/feeds/novosti.atom")
    public = _public(seeded_app, NewsItem, rules.published_clause(NewsItem, now_utc()))
    assert len(feed.entries) == len(public) > 0
    assert {e.title for e in feed.entries} == {n.title for n in public}
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    assert feed.feed.title.startswith("Новости и анонсы")
    assert feed.feed.links[0].href == "http://localhost/nastavnichestvo/feeds/novosti.atom"
    for entry in feed.entries:
        assert entry.id.startswith("tag:localhost,")
        assert entry.link.startswith("http://localhost/nastavnichestvo/novosti/")
        assert entry.content[0].type == "text/html"
        for img in re.findall(r'src="([^"]+)"', entry.content[0].value):
            assert img.startswith("http://localhost/nastavnichestvo/media/")  # xml:base
    kinds = {e.tags[0].term for e in feed.entries}
    assert kinds == {"news", "announcement"}


def test_cases_feed_has_the_public_cases_with_their_photo(seeded_app, client):
    feed = _parse(client, f"{PREFIX}/feeds/luchshie-praktiki.atom")
    public = _public(seeded_app, Case, rules.case_clause(now_utc()))
    assert {e.title for e in feed.entries} == {c.title for c in public}
    enclosures = [e.enclosures for e in feed.entries if e.enclosures]
    assert enclosures
    resp = client.get(enclosures[0][0].href.removeprefix("http://localhost"))
    assert resp.status_code == 200
    resp.close()


def test_feed_ids_survive_a_slug_change(seeded_app, client):
    before = {e.title: e.id for e in _parse(client, f"{PREFIX}/feeds/novosti.atom").entries}
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        item = sess.scalars(sa.select(NewsItem).where(NewsItem.title.in_(before))).first()
        item.slug = "drugoi-adres"
        title = item.title
        sess.commit()
    after = {e.title: e for e in _parse(client, f"{PREFIX}/feeds/novosti.atom").entries}
    assert after[title].id == before[title]
    assert after[title].link.endswith("/novosti/drugoi-adres/")


def test_pages_link_the_feeds(client):
    html = client.get(f"{PREFIX}/luchshie-praktiki/").get_data(as_text=True)
    for path in ("/feeds/novosti.atom", "/feeds/luchshie-praktiki.atom"):
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{PREFIX}{path}"' in html
        assert client.get(PREFIX + path).status_code == 200


@pytest.mark.both_databases
def test_the_calendar_follows_rfc_5545(seeded_app, client):
    resp = client.get(f"{PREFIX}/feeds/anonsy.ics")
    assert resp.status_code == 200
    assert resp.mimetype == "text/calendar"
    raw = resp.data
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    assert raw.decode("utf-8")  # folding never splits a character
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Moscow"]
    events = cal.walk("VEVENT")
    announcements = [
        n for n in _public(seeded_app, NewsItem, rules.published_clause(NewsItem, now_utc()))
        if n.kind is NewsKind.ANNOUNCEMENT and n.event_starts_at
    ]
    assert {str(e["SUMMARY"]) for e in events} == {n.title for n in announcements}
    by_title = {n.title: n for n in announcements}
    for event in events:
        item = by_title[str(event["SUMMARY"])]
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == "Europe/Moscow"
        assert start.replace(tzinfo=None) == item.event_starts_at
        assert event["UID"] == f"news-{item.id}@localhost"
        assert str(event["URL"]).startswith("http://localhost/nastavnichestvo/novosti/")
        if item.event_place:
            assert str(event["LOCATION"]) == item.event_place
    assert b"LOCATION:" in raw and b"\\," in raw  # commas in places are escaped


@pytest.mark.both_databases
def test_the_sitemap_is_valid_and_complete(seeded_app, client):
    """What the sitemaps.org 0.9 schema asks, checked without the XSD too (the next test
    runs the XSD itself): namespace, element order and cardinality, loc as an absolute
    URL of 12 to 2,048 characters under the sitemap's own folder, lastmod as W3C
    datetime, at most 50,000 URLs and 50 MB; plus: every public page is listed."""
    resp = client.get(f"{PREFIX}/sitemap.xml")
    assert resp.status_code == 200
    assert resp.mimetype == "application/xml"
    assert len(resp.data) < 50 * 1024 * 1024
    assert resp.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(resp.data)
    assert root.tag == f"{SITEMAP_NS}urlset"
    assert not root.attrib
    urls = list(root)
    assert 0 < len(urls) <= 50_000
    order = ["loc", "lastmod", "changefreq", "priority"]
    locs = []
    for url in urls:
        assert url.tag == f"{SITEMAP_NS}url" and not url.attrib and not (url.text or "").strip()
        names = [child.tag.removeprefix(SITEMAP_NS) for child in url]
        assert names[0] == "loc" and len(set(names)) == len(names)
        assert names == sorted(names, key=order.index)
        loc = url.find(f"{SITEMAP_NS}loc").text
        assert 12 <= len(loc) <= 2048 and loc == loc.strip()
        assert loc.startswith("http://localhost/nastavnichestvo/")
        locs.append(loc)
        lastmod = url.find(f"{SITEMAP_NS}lastmod")
        if lastmod is not None:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", lastmod.text)
            assert datetime.fromisoformat(lastmod.text)
    assert len(set(locs)) == len(locs)
    for loc in locs:
        page = client.get(loc.removeprefix("http://localhost"))
        assert page.status_code == 200, loc
    public_cases = _public(seeded_app, Case, rules.case_clause(now_utc()))
    for case in public_cases:
        assert f"http://localhost/nastavnichestvo/luchshie-praktiki/{case.slug}/" in locs


def test_the_sitemap_validates_against_the_sitemaps_org_schema(client):
    """The official XSD (scripts/test.sh fetches it: see MENTORING_SITEMAP_XSD)."""
    path = os.environ.get("MENTORING_SITEMAP_XSD", "")
    if not path or not os.path.isfile(path):
        message = "no sitemaps.org XSD (bash scripts/test.sh fetches it with npm)"
        if os.environ.get("MENTORING_REQUIRE_XSD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from lxml import etree

    schema_doc = etree.parse(path)
    assert schema_doc.getroot().get("targetNamespace") == SITEMAP_NS.strip("{}")
    schema = etree.XMLSchema(schema_doc)
    sitemap = etree.fromstring(client.get(f"{PREFIX}/sitemap.xml").data)
    assert schema.validate(sitemap), schema.error_log
    # and the check is real: a wrong lastmod and an unknown element are refused
    bad = etree.fromstring(client.get(f"{PREFIX}/sitemap.xml").data)
    bad[0].append(etree.Element(f"{SITEMAP_NS}priority"))
    bad[0][-1].text = "2.5"
    assert not schema.validate(bad)


@pytest.mark.parametrize("path", ["/feeds/novosti.atom", "/feeds/anonsy.ics", "/sitemap.xml"])
def test_feeds_answer_304_and_allow_cors(client, path):
    first = client.get(PREFIX + path)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(PREFIX + path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_empty_section_answers_everything_and_stays_stable(app):
    """A school that has just installed the section: nothing published yet."""
    client = app.test_client()
    paths = ["/feeds/novosti.atom", "/feeds/luchshie-praktiki.atom", "/feeds/anonsy.ics",
             "/sitemap.xml", "/api/v1/", "/api/v1/summary", "/api/v1/cases", "/api/v1/news"]
    for path in paths:
        first = client.get(PREFIX + path)
        assert first.status_code == 200, path
        again = client.get(PREFIX + path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
    assert not feedparser.parse(client.get(f"{PREFIX}/feeds/novosti.atom").data).bozo
    assert client.get(f"{PREFIX}/api/v1/summary").get_json()["curator"] is None
