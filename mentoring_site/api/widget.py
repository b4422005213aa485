"""A widget for other sites: the school's latest cases and news, to paste elsewhere.

Two forms, both without scripts:

- ``vidzhet/``: a tiny page of its own for an ``<iframe>`` (the municipal site pastes the
  snippet shown in the admin, «Открытые данные»); any site may frame it;
- ``vidzhet/fragment.html``: the same list as a bare HTML fragment with absolute links,
  for a site that includes it on its server (or fetches it: CORS allows GET).

Both read through the public read model, so they show exactly what the pages show.
Options: ``n`` items of each kind (1–10, default 3); ``show`` = all | cases | news;
``h`` (fragment only) the level of its top heading (2–5), to fit the host's outline.
"""

from __future__ import annotations

from flask import Response, current_app, render_template, url_for

from .. import queries
from ..db import session
from ..urls import absolute_url
from . import blueprint as bp
from .http import BadRequest, choice_arg, clock, conditional, int_arg, last_change

SHOW = {"all": ("cases", "news"), "cases": ("cases",), "news": ("news",)}
MAX_ITEMS = 10
# Framed by any site (that is the point); nothing to steal: no cookies, no forms.
WIDGET_CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; "
              "form-action 'none'; frame-ancestors *")


def _context() -> dict:
    clk = clock()
    sess = session()
    show = choice_arg("show", SHOW) or SHOW["all"]
    n = int_arg("n", 3, MAX_ITEMS)
    return {
        "school": current_app.config["MENTORING_SCHOOL_NAME"],
        "cases": queries.cases(sess, clk, 1, n).items if "cases" in show else None,
        "news": queries.latest_news(sess, clk, n) if "news" in show else None,
        "updated": last_change(clk),
    }


def _refused(error: BadRequest) -> Response:
    return Response(f"{error}\n", status=400, mimetype="text/plain")


@bp.get("/vidzhet/")
def widget():
    try:
        context = _context()
    except BadRequest as error:
        return _refused(error)
    # addresses relative to the page itself: it is always served by the school's site
    html = render_template("mentoring/widget/page.html", link=url_for, **context)
    response = conditional(html, "text/html", context["updated"])
    response.headers["Content-Security-Policy"] = WIDGET_CSP
    return response


@bp.get("/vidzhet/fragment.html")
def widget_fragment():
    try:
        context = _context()
        level = int_arg("h", 2, 5)
        if level < 2:
            raise BadRequest("Параметр h должен быть целым числом от 2 до 5.")
    except BadRequest as error:
        return _refused(error)
    html = render_template("mentoring/widget/fragment.html", level=level, link=absolute_url,
                           **context)
    response = conditional(html, "text/html", context["updated"])
    response.headers["Content-Security-Policy"] = WIDGET_CSP
    return response
