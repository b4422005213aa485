"""Atom 1.0 feeds (news and announcements; best cases) and an iCalendar of announcements.

Feeds let the municipal office and parents follow a school without visiting it; the
calendar lets a phone import the events. Entries come from the public read model only.

Atom is built with ElementTree, which escapes all text; entry content is the sanitised
HTML the page shows, with ``xml:base`` so its root-relative links resolve. Entry ids are
tag URIs of the object's id, so a renamed slug does not make a reader show it twice.
The calendar is written by the ``icalendar`` package (RFC 5545: CRLF, folding at 75
octets, escaping) with a VTIMEZONE for the school's zone.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from flask import abort, current_app
from markupsafe import escape

from .. import markup, queries
from ..clock import now_local
from ..db import session
from ..models import Case, NewsItem, NewsKind
from ..public.meta import iso_utc
from ..queries import open_data
from ..templating import markdown_filter, ru_local_datetime
from ..urls import absolute_url, content_disposition, site_root
from . import blueprint as bp
from .http import clock, conditional, last_change

if TYPE_CHECKING:
    import icalendar

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FEED_SIZE = 50


def _tag(kind: str, obj_id: int, created: datetime) -> str:
    host = urlsplit(site_root()).hostname or "localhost"
    prefix = current_app.config["MENTORING_URL_PREFIX"]
    return f"tag:{host},{created:%Y-%m-%d}:{prefix}/{kind}/{obj_id}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _feed(title: str, self_url: str, page_url: str, updated: datetime) -> ET.Element:
    feed = ET.Element("feed", {"xmlns": ATOM_NS, f"{{{XML_NS}}}lang": "ru",
                               f"{{{XML_NS}}}base": site_root() + "/"})
    school = current_app.config["MENTORING_SCHOOL_NAME"]
    _sub(feed, "id", self_url)
    _sub(feed, "title", f"{title} — {school}")
    _sub(feed, "updated", iso_utc(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _sub(feed, "author")
    _sub(author, "name", school)
    _sub(author, "uri", absolute_url("mentoring.index"))
    return feed


def _entry(feed: ET.Element, *, id: str, title: str, url: str, published: datetime,
           updated: datetime, summary: str, content: str, image=None) -> ET.Element:
    entry = _sub(feed, "entry")
    _sub(entry, "id", id)
    _sub(entry, "title", title)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", iso_utc(published))
    _sub(entry, "updated", iso_utc(max(updated, published)))
    if summary:
        _sub(entry, "summary", summary)
    if content:
        _sub(entry, "content", content, type="html")
    if image is not None:
        _sub(entry, "link", rel="enclosure", type=image.content_type, length=str(image.size),
             href=absolute_url("mentoring.media", name=image.stored_name))
    return entry


def _atom(feed: ET.Element):
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return conditional('<?xml version="1.0" encoding="utf-8"?>\n' + body,
                       "application/atom+xml", last_change(clock()))


def _event_html(item: NewsItem) -> str:
    lines = []
    if item.event_starts_at:
        lines.append(f"<p>Когда: {escape(ru_local_datetime(item.event_starts_at))}</p>")
    if item.event_place:
        lines.append(f"<p>Где: {escape(item.event_place)}</p>")
    return "".join(lines)


@bp.get("/feeds/novosti.atom")
def feed_news():
    clk = clock()
    items = open_data.feed_news(session(), clk, FEED_SIZE)
    updated = max((max(i.updated_at, i.published_at) for i in items), default=last_change(clk))
    feed = _feed("Новости и анонсы наставничества", absolute_url("mentoring_api.feed_news"),
                 absolute_url("mentoring.news"), updated)
    for item in items:
        entry = _entry(
            feed, id=_tag("news", item.id, item.created_at), title=item.title,
            url=absolute_url("mentoring.news_item", slug=item.slug),
            published=item.published_at, updated=item.updated_at,
            summary=markup.to_plain(item.summary),
            content=(_event_html(item) if item.kind is NewsKind.ANNOUNCEMENT else "")
            + str(markdown_filter(item.summary)) + str(markdown_filter(item.body)),
            image=item.image,
        )
        _sub(entry, "category", term=item.kind.value, label=item.kind.label)
    return _atom(feed)


@bp.get("/feeds/luchshie-praktiki.atom")
def feed_cases():
    clk = clock()
    cases: list[Case] = queries.cases(session(), clk, 1, FEED_SIZE).items
    updated = max((max(c.updated_at, c.published_at) for c in cases), default=last_change(clk))
    feed = _feed("Лучшие практики наставничества", absolute_url("mentoring_api.feed_cases"),
                 absolute_url("mentoring.cases"), updated)
    for case in cases:
        _entry(
            feed, id=_tag("case", case.id, case.created_at), title=case.title,
            url=absolute_url("mentoring.case", slug=case.slug),
            published=case.published_at, updated=case.updated_at,
            summary=markup.to_plain(case.summary),
            content=str(markdown_filter(case.summary)) + str(markdown_filter(case.body)),
            image=case.photos[0].media if case.photos else None,
        )
    return _atom(feed)


def _calendar(name: str, tz_name: str) -> icalendar.Calendar:
    import icalendar  # only when a calendar is asked for, not at the site's start

    cal = icalendar.Calendar()
    cal.add("prodid", "-//mentoring_site//Наставничество//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz_name)
    return cal


def _vevent(item: NewsItem, tz: ZoneInfo, host: str) -> icalendar.Event:
    import icalendar

    """One announcement as an event; the same UID in the feed and in its own file, so a
    calendar that has both keeps one event."""
    assert item.event_starts_at is not None
    event = icalendar.Event()
    url = absolute_url("mentoring.news_item", slug=item.slug)
    event.add("uid", f"news-{item.id}@{host}")
    event.add("dtstamp", max(item.updated_at, item.published_at).replace(tzinfo=timezone.utc))
    event.add("last-modified", item.updated_at.replace(tzinfo=timezone.utc))
    event.add("dtstart", item.event_starts_at.replace(tzinfo=tz))
    if item.event_ends_at and item.event_ends_at > item.event_starts_at:
        event.add("dtend", item.event_ends_at.replace(tzinfo=tz))
    event.add("summary", item.title)
    text = markup.to_plain(item.summary or item.body, limit=1000)
    event.add("description", f"{text}\n\n{url}" if text else url)
    if item.event_place:
        event.add("location", item.event_place)
    event.add("url", url)
    return event


@bp.get("/feeds/anonsy.ics")
def calendar():
    clk = clock()
    tz_name = current_app.config["MENTORING_TIMEZONE"]
    tz = ZoneInfo(tz_name)
    items = open_data.calendar_announcements(session(), clk, now_local(tz_name))
    school = current_app.config["MENTORING_SCHOOL_NAME"]
    host = urlsplit(site_root()).hostname or "localhost"
    cal = _calendar(f"Наставничество — {school}", tz_name)
    for item in items:
        cal.add_component(_vevent(item, tz, host))
    if items:
        cal.add_missing_timezones()
    return conditional(cal.to_ical(), "text/calendar", last_change(clk))


@bp.get("/feeds/anonsy/<slug>.ics")
def event_calendar(slug: str):
    """One announcement's own calendar file («Добавить в календарь» on its page)."""
    clk = clock()
    try:
        item = queries.news_item(session(), clk, slug)
    except queries.NotFound:
        abort(404)
    if item.kind is not NewsKind.ANNOUNCEMENT or item.event_starts_at is None:
        abort(404)
    tz_name = current_app.config["MENTORING_TIMEZONE"]
    host = urlsplit(site_root()).hostname or "localhost"
    cal = _calendar(item.title, tz_name)
    cal.add_component(_vevent(item, ZoneInfo(tz_name), host))
    cal.add_missing_timezones()
    response = conditional(cal.to_ical(), "text/calendar",
                           max(item.updated_at, item.published_at))
    response.headers["Content-Disposition"] = content_disposition(
        f"{item.title[:80]}.ics", f"event-{item.id}.ics")
    return response
