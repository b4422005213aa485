"""The read-only JSON API, version 1: the section's open data for the municipal office.

Each collection is the page query of the ``queries`` package serialised by ``serialize.py``, so an
answer shows exactly what the matching page shows. Every answer is a model of
``mentoring_site.contract`` (the schemas of the OpenAPI document come from the same models).
Lists are paginated (``page``, ``per_page`` up to 100); a page past the end is an empty
list, not an error. The addresses are in ``api/__init__.py`` (``V1``): this module loads at the
first request for one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from flask import current_app, url_for

from .. import cache, contract, queries
from ..clock import now_local
from ..db import session
from ..models import NewsKind, ProgramStatus, Role
from ..urls import absolute_url, site_root
from . import serialize
from .http import choice_arg, clock, conditional, json_body, last_change, paging
from .openapi import document as openapi_document

JSON = "application/json"
PROGRAM_STATUSES = {s.value: s for s in ProgramStatus}
NEWS_KINDS = {k.value: k for k in NewsKind}
BOOLEANS = {"true": True, "false": False}


def _json(answer: contract.Contract) -> object:
    # pydantic-core writes the same bytes as ``json_body`` would (compact, UTF-8 unescaped;
    # tests/test_api_contract.py checks it for every answer), only faster.
    return conditional(answer.model_dump_json(), JSON, last_change(clock()))


def _collection(endpoint: str, page_model: type[contract.Page], fetch: Callable,
                item: Callable, **args):
    """One page of a collection, with links to its neighbours (absolute URLs)."""
    page, per_page = paging()
    paged = fetch(session(), clock(), page, per_page)

    def link(n: int) -> str:
        return absolute_url(endpoint, page=n, per_page=per_page, **args)

    return _json(page_model(
        items=[item(x) for x in paged.items],
        page=paged.page,
        per_page=paged.per_page,
        total=paged.total,
        pages=paged.pages,
        links=contract.Links(
            self=link(page),
            first=link(1),
            last=link(paged.pages),
            prev=link(min(page - 1, paged.pages)) if page > 1 else None,
            next=link(page + 1) if page < paged.pages else None,
        ),
    ))


def index():
    names = ("summary", "documents", "materials", "programs", "mentors", "mentees",
             "cases", "honors", "news")
    return _json(contract.Index(
        name="Открытые данные раздела «Наставничество»",
        school=current_app.config["MENTORING_SCHOOL_NAME"],
        openapi=absolute_url("mentoring_api.openapi"),
        collections={n: absolute_url(f"mentoring_api.{n}") for n in names},
    ))


def openapi():
    doc = openapi_document(server=site_root() + url_for("mentoring_api.index").rstrip("/"))
    return conditional(json_body(doc), JSON, last_change(clock()))


def summary():
    sess, clk = session(), clock()
    info = queries.section_info(sess)
    figures = cache.memo("queries.figures", lambda: queries.figures(sess, clk))
    more = queries.registry_figures(sess, clk)
    levels = queries.level_figures(sess)
    curator = None
    if info and info.curator_name:
        curator = contract.Curator(
            name=info.curator_name,
            position=info.curator_position or None,
            phone=info.curator_phone or None,
            email=info.curator_email or None,
            hours=info.curator_hours or None,
        )
    return _json(contract.Summary(
        school=current_app.config["MENTORING_SCHOOL_NAME"],
        site_url=site_root() + "/",
        section_url=absolute_url("mentoring.index"),
        intro_html=serialize.html(info.intro if info else None),
        curator=curator,
        figures=contract.Figures(
            mentors=figures.mentors,
            mentees=figures.mentees,
            active_programs=figures.active_programs,
            completed_programs=figures.completed_programs,
            **asdict(more),
        ),
        last_updated=serialize.utc(figures.last_updated),
        feeds=contract.Feeds(
            news=absolute_url("mentoring_api.feed_news"),
            cases=absolute_url("mentoring_api.feed_cases"),
            calendar=absolute_url("mentoring_api.calendar"),
        ),
        sitemap=absolute_url("mentoring_api.sitemap"),
        effectiveness=None if levels is None else serialize.level_counts(levels),
    ))


def documents():
    in_force = choice_arg("in_force", BOOLEANS)
    in_force = True if in_force is None else in_force
    args = {} if in_force else {"in_force": "false"}
    return _collection(
        "mentoring_api.documents", contract.DocumentPage,
        lambda s, c, p, n: queries.documents(s, c, p, n, in_force=in_force),
        serialize.document, **args,
    )


def materials():
    return _collection("mentoring_api.materials", contract.MaterialPage, queries.materials,
                       serialize.material)


def programs():
    status = choice_arg("status", PROGRAM_STATUSES)
    args = {"status": status.value} if status else {}
    return _collection(
        "mentoring_api.programs", contract.ProgramPage,
        lambda s, c, p, n: queries.programs(s, c, p, n, status=status, levels=True),
        serialize.program, **args,
    )


def _bank(role: Role, endpoint: str):
    return _collection(
        endpoint, contract.PersonPage,
        lambda s, c, p, n: queries.people_in_bank(s, c, role, p, n),
        serialize.person,
    )


def mentors():
    return _bank(Role.MENTOR, "mentoring_api.mentors")


def mentees():
    return _bank(Role.MENTEE, "mentoring_api.mentees")


def cases():
    return _collection("mentoring_api.cases", contract.CasePage, queries.cases, serialize.case)


def honors():
    return _collection("mentoring_api.honors", contract.HonorPage, queries.honors, serialize.honor)


def news():
    kind = choice_arg("kind", NEWS_KINDS)
    args = {"kind": kind.value} if kind else {}
    tz = current_app.config["MENTORING_TIMEZONE"]
    return _collection(
        "mentoring_api.news", contract.NewsItemPage,
        lambda s, c, p, n: queries.news(s, c, p, n, now_local=now_local(tz), kind=kind),
        serialize.news, **args,
    )

