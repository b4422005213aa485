"""«Открытые данные»: the addresses a curator hands to the municipal office, and the
widget snippet ready to copy (api/widget.py serves the widget itself)."""

from __future__ import annotations

from flask import current_app, render_template

from ..urls import absolute_url
from . import blueprint as bp
from .guard import requires


def widget_snippet(n: int = 3, height: int = 480) -> str:
    """The ``<iframe>`` to paste: sandboxed (no scripts, no forms), links open in a tab."""
    school = current_app.config["MENTORING_SCHOOL_NAME"]
    src = absolute_url("mentoring_api.widget", n=n)
    title = f"Наставничество — {school}".replace("&", "&amp;").replace('"', "&quot;")
    return (
        f'<iframe src="{src}" title="{title}" height="{height}" '
        'style="width:100%;max-width:40rem;border:0" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>'
    )


@bp.get("/otkrytye-dannye/")
@requires()
def open_data():
    links = [
        ("Раздел на сайте", absolute_url("mentoring.index")),
        ("JSON API (для реестра наставников)", absolute_url("mentoring_api.index")),
        ("Описание API (OpenAPI)", absolute_url("mentoring_api.openapi")),
        ("Лента новостей и анонсов (Atom)", absolute_url("mentoring_api.feed_news")),
        ("Лента лучших практик (Atom)", absolute_url("mentoring_api.feed_cases")),
        ("Календарь анонсов (iCalendar)", absolute_url("mentoring_api.calendar")),
        ("Карта раздела (sitemap.xml)", absolute_url("mentoring_api.sitemap")),
        ("Виджет: HTML-фрагмент без скриптов", absolute_url("mentoring_api.widget_fragment")),
    ]
    return render_template(
        "mentoring/admin/open_data.html", links=links, snippet=widget_snippet(),
        widget_url=absolute_url("mentoring_api.widget", n=3),
        robots=f"Sitemap: {absolute_url('mentoring_api.sitemap')}",
    )
