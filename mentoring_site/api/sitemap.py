"""``sitemap.xml`` of the section (sitemaps.org protocol 0.9), for search engines.

The host's ``robots.txt`` points to it (README, «Открытые данные»). It lists the
section's list pages and every public object that has a page, with its last change; a
large section gets a sitemap index at the same address and parts under ``sitemap/``;
absolute URLs come from ``urls.absolute_url``, never from the request's Host header.
"""

from __future__ import annotations

import math
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import abort, current_app

from ..db import session
from ..public.meta import iso_utc
from ..queries import open_data, questionnaires
from ..queries.mentor_school import INTRO_SLUG
from ..urls import absolute_url
from . import blueprint as bp
from .http import clock, conditional, last_change

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LIST_PAGES = (
    "mentoring.index", "mentoring.documents", "mentoring.documents_repealed",
    "mentoring.materials", "mentoring.programs", "mentoring.mentors", "mentoring.mentees",
    "mentoring.cases", "mentoring.honors", "mentoring.news",
)


def _fixed_pages(clk) -> list[tuple[str, str | None, datetime | None]]:
    """The list pages, the School, the open questionnaires: (endpoint, slug, last change)."""
    pages: list[tuple[str, str | None, datetime | None]] = [(e, None, None) for e in LIST_PAGES]
    if current_app.config["MENTORING_MENTOR_SCHOOL"]:  # its introduction's page is its own
        pages.append(("mentoring.mentor_school", None, None))
    forms = questionnaires.open_questionnaires(session(), clk)  # the forms, not «спасибо»
    if forms:
        pages.append(("mentoring.questionnaires", None, None))
        pages += [("mentoring.questionnaire", q.slug, q.updated_at) for q in forms]
    return pages


def _urlset(pages, entries) -> str:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    school = current_app.config["MENTORING_MENTOR_SCHOOL"]
    for endpoint, slug, lastmod in pages:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(endpoint, **({"slug": slug} if slug else {}))
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = iso_utc(lastmod)
    for entry in entries:
        if school and entry.endpoint == "mentoring.page" and entry.slug == INTRO_SLUG:
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(entry.endpoint, slug=entry.slug)
        ET.SubElement(url, "lastmod").text = iso_utc(entry.lastmod)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode")


def _parts(own_pages: int, counts: dict[str, int], per_file: int) -> list[tuple[str, int]]:
    """The parts of a large sitemap: the section's own pages, then each kind, by pages."""
    sizes = {"razdely": own_pages} | {k: counts[e] for k, e in open_data.SITEMAP_KINDS.items()}
    return [(kind, n) for kind, size in sizes.items()
            for n in range(1, math.ceil(size / per_file) + 1)]


@bp.get("/sitemap.xml")
def sitemap():
    """One file while the section fits in ``MENTORING_SITEMAP_URLS_PER_FILE`` addresses;
    beyond, a sitemap index of parts, each read a page at a time (10,000 people were 3.6 s
    and 4.8 MB as one file). The address stays the same, so robots.txt needs no change."""
    clk = clock()
    per_file = current_app.config["MENTORING_SITEMAP_URLS_PER_FILE"]
    pages = _fixed_pages(clk)
    counts = open_data.sitemap_counts(session(), clk)
    if len(pages) + sum(counts.values()) <= per_file:
        body = _urlset(pages, open_data.sitemap_entries(session(), clk))
        return conditional(body, "application/xml", last_change(clk))
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for kind, number in _parts(len(pages), counts, per_file):
        part = ET.SubElement(index, "sitemap")
        ET.SubElement(part, "loc").text = absolute_url("mentoring_api.sitemap_part", kind=kind,
                                                       number=number)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(index, encoding="unicode")
    return conditional(body, "application/xml", last_change(clk))


@bp.get("/sitemap/<kind>-<mentoring_id:number>.xml")
def sitemap_part(kind: str, number: int):
    """One part of a large sitemap: the section's own pages, or one page of a kind."""
    clk = clock()
    per_file = current_app.config["MENTORING_SITEMAP_URLS_PER_FILE"]
    start = (number - 1) * per_file
    if kind == "razdely" and number >= 1:
        pages = _fixed_pages(clk)[start:start + per_file]
        if not pages:
            abort(404)
        body = _urlset(pages, [])
    elif kind in open_data.SITEMAP_KINDS and number >= 1:
        entries = open_data.sitemap_entries(session(), clk, open_data.SITEMAP_KINDS[kind],
                                            offset=start, limit=per_file)
        if not entries:
            abort(404)
        body = _urlset([], entries)
    else:
        abort(404)
    return conditional(body, "application/xml", last_change(clk))
