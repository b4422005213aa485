"""``sitemap.xml`` of the section (sitemaps.org protocol 0.9), for search engines.

The host's ``robots.txt`` points to it (README, «Открытые данные»). It lists the
section's list pages and every public object that has a page, with its last change;
absolute URLs come from ``urls.absolute_url``, never from the request's Host header.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import current_app

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


@bp.get("/sitemap.xml")
def sitemap():
    clk = clock()
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for endpoint in LIST_PAGES:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(endpoint)
    school = current_app.config["MENTORING_MENTOR_SCHOOL"]
    if school:  # its introduction's page is the School's own address
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url("mentoring.mentor_school")
    for entry in open_data.sitemap_entries(session(), clk):
        if school and entry.endpoint == "mentoring.page" and entry.slug == INTRO_SLUG:
            continue
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(entry.endpoint, slug=entry.slug)
        ET.SubElement(url, "lastmod").text = iso_utc(entry.lastmod)
    forms = questionnaires.open_questionnaires(session(), clk)  # the forms, not «спасибо»
    for endpoint, slug, lastmod in ([("mentoring.questionnaires", None, None)] if forms else []) \
            + [("mentoring.questionnaire", q.slug, q.updated_at) for q in forms]:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = absolute_url(endpoint, **({"slug": slug} if slug else {}))
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = iso_utc(lastmod)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode")
    return conditional(body, "application/xml", last_change(clk))
