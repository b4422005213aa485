"""Head tags of the public pages: canonical link, share card (OpenGraph), schema.org JSON-LD.

A link to a case pasted into VK or Telegram should show its title, a line of text and
its photo; search engines should know one address per page and what kind of thing a
page is about. Everything here is built from what the page itself shows: people only as
``rules.PublicPerson`` (consented fields), text only through ``markup.to_plain``.

JSON-LD is built in Python and serialised with ``<``, ``>`` and ``&`` escaped as
``\\u003c`` etc., so no user text can close the ``<script type="application/ld+json">``
element. A data block is never executed, so the strict ``script-src 'self'`` CSP holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, request
from markupsafe import Markup

from .. import markup, queries
from ..models import MediaFile, NewsItem, NewsKind
from ..rules import PublicPerson
from ..urls import absolute_url, section_url, site_root

DESCRIPTION_CHARS = 200
#: Query arguments that select different content; anything else is left out of canonical.
CANONICAL_ARGS = ("status", "vid", "napravlenie", "page")
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


@dataclass(frozen=True)
class Feed:
    type: str
    title: str
    href: str


@dataclass(frozen=True)
class HeadMeta:
    title: str
    description: str
    url: str
    type: str = "website"
    image: str | None = None
    image_alt: str = ""
    json_ld: Markup | None = None
    feeds: list[Feed] = field(default_factory=list)


def json_ld(data: dict) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block that text cannot break."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES:  # str.replace, not translate: a list's block is
        if char in text:                   # long, and translate goes through a dict per char
            text = text.replace(char, escaped)
    return Markup(text)


def canonical_url() -> str:
    """This page's absolute address: the endpoint, its slug, and content-selecting args only."""
    args = {k: request.args[k] for k in CANONICAL_ARGS if request.args.get(k)}
    if args.get("page") == "1":
        del args["page"]
    return absolute_url(request.endpoint or "mentoring.index", **(request.view_args or {}), **args)


def media_url(media: MediaFile | None) -> str | None:
    return absolute_url("mentoring.media", name=media.stored_name) if media else None


def iso_utc(value: datetime) -> str:
    """A stored naive-UTC moment as ISO 8601 with its offset."""
    return value.replace(tzinfo=timezone.utc).isoformat(timespec="seconds")


def iso_local(value: datetime) -> str:
    """A stored school-local time (event times) as ISO 8601 with the school's offset."""
    tz = ZoneInfo(current_app.config["MENTORING_TIMEZONE"])
    return value.replace(tzinfo=tz).isoformat(timespec="seconds")


def _school() -> dict:
    return {
        "@type": "Organization",
        "name": current_app.config["MENTORING_SCHOOL_NAME"],
        "url": site_root() + "/",
    }


def _feeds() -> list[Feed]:
    return [
        Feed("application/atom+xml", "Новости и анонсы", section_url("mentoring_api.feed_news")),
        Feed("application/atom+xml", "Лучшие практики", section_url("mentoring_api.feed_cases")),
    ]


def _meta(title: str, description: str, **kw) -> HeadMeta:
    return HeadMeta(
        title=title, description=description, url=canonical_url(), feeds=_feeds(), **kw
    )


def item_list(entries: list[tuple[str, str]]) -> Markup | None:
    """schema.org ItemList of (name, endpoint-relative URL) pairs, None for an empty list."""
    if not entries:
        return None
    root = site_root()
    return json_ld({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "url": root + url}
            for i, (name, url) in enumerate(entries, 1)
        ],
    })


def for_list(title: str, description: str, entries: list[tuple[str, str]] | None = None):
    return _meta(title, description, json_ld=item_list(entries or []))


def for_news(item: NewsItem) -> HeadMeta:
    url = canonical_url()
    description = markup.to_plain(item.summary or item.body, limit=DESCRIPTION_CHARS)
    image = media_url(item.image)
    event = item.kind is NewsKind.ANNOUNCEMENT and item.event_starts_at is not None
    data: dict = {"@context": "https://schema.org", "@type": "Event" if event else "NewsArticle",
                  "url": url, "inLanguage": "ru"}
    if event:
        assert item.event_starts_at is not None
        data |= {"name": item.title, "startDate": iso_local(item.event_starts_at),
                 "eventStatus": "https://schema.org/EventScheduled", "organizer": _school()}
        if item.event_ends_at:
            data["endDate"] = iso_local(item.event_ends_at)
        if item.event_place:
            data["location"] = {"@type": "Place", "name": item.event_place,
                                "address": item.event_place}
    else:
        data |= {"headline": item.title,
                 "datePublished": iso_utc(item.published_at),
                 "dateModified": iso_utc(max(item.updated_at, item.published_at)),
                 "mainEntityOfPage": url, "publisher": _school(), "author": _school()}
    if description:
        data["description"] = description
    if image:
        data["image"] = [image]
    return _meta(item.title, description, type="article", image=image,
                 image_alt=item.image.alt_text if item.image else "", json_ld=json_ld(data))


def for_case(view: queries.CaseView) -> HeadMeta:
    case = view.case
    url = canonical_url()
    description = markup.to_plain(case.summary or case.body, limit=DESCRIPTION_CHARS)
    photo = case.photos[0].media if case.photos else None
    data: dict = {
        "@context": "https://schema.org", "@type": "Article", "headline": case.title,
        "url": url, "mainEntityOfPage": url, "inLanguage": "ru",
        "datePublished": iso_utc(case.published_at),
        "dateModified": iso_utc(max(case.updated_at, case.published_at)),
        "publisher": _school(), "author": _school(),
    }
    if description:
        data["description"] = description
    if photo:
        data["image"] = [media_url(p.media) for p in case.photos]
    return _meta(case.title, description, type="article", image=media_url(photo),
                 image_alt=(photo.alt_text or case.photos[0].caption) if photo else "",
                 json_ld=json_ld(data))


def person_description(p: PublicPerson) -> str:
    parts = [p.position, p.subjects and f"Предметы: {p.subjects}"]
    return markup.to_plain(". ".join(x for x in parts if x), limit=DESCRIPTION_CHARS)


def for_person(view: queries.PersonView) -> HeadMeta:
    """Person markup from consented fields only: ``PublicPerson`` holds nothing else."""
    p = view.person
    description = person_description(p)
    data: dict = {"@context": "https://schema.org", "@type": "Person", "name": p.name,
                  "url": canonical_url()}
    if p.position:
        data["jobTitle"] = p.position
    if p.subjects:
        data["knowsAbout"] = p.subjects
    if p.bio:
        data["description"] = markup.to_plain(p.bio, limit=DESCRIPTION_CHARS * 2)
    if p.awards:
        data["award"] = markup.to_plain(p.awards, limit=DESCRIPTION_CHARS * 2)
    if p.photo:
        data["image"] = media_url(p.photo)
    return _meta(p.name, description, type="profile", image=media_url(p.photo),
                 image_alt=p.name if p.photo else "", json_ld=json_ld(data))


def for_program(view: queries.ProgramView) -> HeadMeta:
    program = view.card.program
    description = markup.to_plain(program.goal, limit=DESCRIPTION_CHARS) or (
        f"{program.form.name}, {program.type.label.lower()}: {program.status.label.lower()}"
    )
    return _meta(program.title, description)


def for_page(title: str, text: str | None) -> HeadMeta:
    return _meta(title, markup.to_plain(text, limit=DESCRIPTION_CHARS))
