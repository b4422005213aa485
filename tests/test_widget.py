"""The widget for other sites (api/widget.py) and the admin screen that hands it out."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
from mentoring_site.models import AccountRole, Case, NewsItem, NewsKind
from tests.admin_support import ADMIN, signed_in

PREFIX = "/nastavnichestvo"
WIDGET = PREFIX + "/vidzhet/"
FRAGMENT = PREFIX + "/vidzhet/fragment.html"


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.links: list[tuple[str, dict]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("a", "img"):
            self.links.append((tag, dict(attrs)))


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def _titles(seeded_app):
    """Public and hidden case and news titles, by the rules."""
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        now = now_utc()
        public_cases = sess.scalars(sa.select(Case.title).where(rules.case_clause(now))
                                    .order_by(Case.published_at.desc(), Case.id.desc())).all()
        hidden_cases = sess.scalars(sa.select(Case.title)
                                    .where(sa.not_(rules.case_clause(now)))).all()
        news = sess.scalars(sa.select(NewsItem.title).where(
            rules.published_clause(NewsItem, now), NewsItem.kind == NewsKind.NEWS)
            .order_by(NewsItem.published_at.desc())).all()
        hidden_news = sess.scalars(sa.select(NewsItem.title).where(
            sa.not_(rules.published_clause(NewsItem, now)))).all()
    return public_cases, hidden_cases, news, hidden_news


def test_the_widget_page_shows_the_latest_public_cases_and_news(seeded_app):
    public_cases, hidden_cases, news, hidden_news = _titles(seeded_app)
    assert len(public_cases) >= 2 and hidden_cases and len(news) >= 2 and hidden_news
    response = seeded_app.test_client().get(WIDGET, query_string={"n": 2})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = unescape(response.get_data(as_text=True))
    for title in public_cases[:2] + news[:2]:
        assert title in html
    for title in public_cases[2:] + news[2:] + hidden_cases + hidden_news:
        assert title not in html, title
    outline = _outline(response.get_data(as_text=True))
    assert outline.headings[0] == 1 and outline.headings[1:] == [2, 2]
    assert "script" not in outline.tags and "form" not in outline.tags
    for tag, attrs in outline.links:
        if tag == "a":  # a school page opens in a tab, never inside the small frame
            assert attrs["target"] == "_blank" and "noopener" in attrs["rel"]
            assert attrs["href"].startswith(PREFIX + "/")
        else:
            assert attrs["alt"] == "" and attrs["src"].startswith(PREFIX + "/media/")


def test_any_site_may_frame_the_widget_but_nothing_runs_in_it(seeded_app):
    client = seeded_app.test_client()
    response = client.get(WIDGET)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "default-src 'none'" in csp
    assert "script-src" not in csp  # default-src 'none' already forbids scripts
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # the section's own pages still refuse to be framed by strangers
    assert "frame-ancestors 'self'" in client.get(PREFIX + "/").headers[
        "Content-Security-Policy"]
    stylesheet = re.search(r'href="([^"]+widget\.css[^"]*)"', response.get_data(as_text=True))
    with client.get(unescape(stylesheet[1])) as css:
        assert css.status_code == 200 and css.mimetype == "text/css"


def test_the_widget_answers_conditional_gets(seeded_app):
    client = seeded_app.test_client()
    first = client.get(WIDGET)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(WIDGET, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_fragment_has_absolute_links_and_fits_the_host_outline(seeded_app):
    seeded_app.config["MENTORING_SITE_URL"] = "https://school7.example.ru"
    public_cases, _, news, _ = _titles(seeded_app)
    response = seeded_app.test_client().get(FRAGMENT, query_string={"h": 3, "show": "cases"},
                                            headers={"Origin": "https://uo.example.ru"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="mentoring-widget" lang="ru">')
    assert "<html" not in html and "<script" not in html and "<link" not in html
    outline = _outline(html)
    assert outline.headings == [3, 4]
    assert public_cases[0] in unescape(html) and news[0] not in unescape(html)
    for tag, attrs in outline.links:
        url = attrs["href" if tag == "a" else "src"]
        assert url.startswith("https://school7.example.ru/nastavnichestvo/"), url


@pytest.mark.parametrize("query", [{"n": "0"}, {"n": "11"}, {"n": "два"}, {"show": "people"},
                                   {"h": "1"}, {"h": "6"}])
def test_bad_options_get_a_russian_message(seeded_app, query):
    path = FRAGMENT if "h" in query else WIDGET
    response = seeded_app.test_client().get(path, query_string=query)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "Параметр" in response.get_data(as_text=True)


def test_the_admin_hands_out_the_snippet(seeded_app):
    seeded_app.config["MENTORING_SITE_URL"] = "https://school7.example.ru"
    seeded_app.config["MENTORING_SCHOOL_NAME"] = 'МБОУ «СОШ № 7» & "Лицей"'
    client = signed_in(seeded_app)
    response = client.get(f"{ADMIN}/otkrytye-dannye/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    snippet = unescape(re.search(r'<textarea id="od-snippet"[^>]*>(.*?)</textarea>', html,
                                 re.S)[1])
    assert snippet.startswith('<iframe src="https://school7.example.ru/nastavnichestvo/'
                              'vidzhet/?n=3" ')
    assert 'title="Наставничество — МБОУ «СОШ № 7» &amp; &quot;Лицей&quot;"' in snippet
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in snippet
    assert "Sitemap: https://school7.example.ru/nastavnichestvo/sitemap.xml" in html
    assert "https://school7.example.ru/nastavnichestvo/api/v1/" in html
    # what the snippet points to is really there
    assert client.get(PREFIX + "/vidzhet/?n=3").status_code == 200


def test_an_editor_does_not_see_the_open_data_screen(seeded_app):
    client = signed_in(seeded_app, role=AccountRole.EDITOR, login_name="redaktor")
    assert client.get(f"{ADMIN}/otkrytye-dannye/").status_code == 403


def test_another_site_shows_the_pasted_widget_in_a_real_browser(seeded_app, page):
    """The snippet from the admin, pasted into a page of another origin (the municipal
    site), shows the school's cases and news in Chromium; the section's own pages refuse to
    be framed there."""
    from flask import Flask

    from tests.browser import serve_app

    public_cases, _, news, _ = _titles(seeded_app)
    with serve_app(seeded_app) as school:
        seeded_app.config["MENTORING_SITE_URL"] = school.url
        html = signed_in(seeded_app).get(f"{ADMIN}/otkrytye-dannye/").get_data(as_text=True)
        snippet = unescape(re.search(r'<textarea id="od-snippet"[^>]*>(.*?)</textarea>', html,
                                     re.S)[1])
        office = Flask("uo_site")
        section = school(PREFIX + "/")

        @office.get("/")
        def home():
            return (f'<!doctype html><html lang="ru"><title>УО</title><h1>Школы</h1>{snippet}'
                    f'<iframe id="whole" src="{section}" title="Раздел целиком"></iframe>')

        with serve_app(office) as uo:
            assert uo.url != school.url  # another port: another origin
            page.goto(uo("/"))
            frame = page.frame_locator("iframe[src*='vidzhet']")
            link = frame.get_by_role("link", name=public_cases[0])
            link.wait_for()
            assert link.get_attribute("target") == "_blank"
            assert frame.get_by_role("link", name=news[0]).is_visible()
            assert frame.get_by_role("heading", level=1).inner_text().startswith("Наставничество")
            # the section proper is not shown inside another site's frame
            whole = page.locator("#whole").element_handle().content_frame()
            for _ in range(100):  # Chromium replaces a refused frame with its error page
                if whole.url.startswith("chrome-error://"):
                    break
                page.wait_for_timeout(100)
            assert whole.url.startswith("chrome-error://"), whole.url
            assert "Лучшие практики" not in whole.content()


def test_the_copy_button_copies_the_snippet(seeded_app, page):
    """A little JavaScript: «Копировать код» puts the snippet on the clipboard and says so."""
    from tests.admin_support import PASSWORD, make_account
    from tests.browser import serve_app

    make_account(seeded_app)
    with serve_app(seeded_app) as school:
        seeded_app.config["MENTORING_SITE_URL"] = school.url
        page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                       origin=school.url)
        page.goto(school(f"{ADMIN}/otkrytye-dannye/"))
        page.get_by_label("Имя входа").fill("kurator")
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.get_by_role("button", name="Копировать код").click()
        page.get_by_role("status").filter(has_text="Скопировано").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.get_by_label("Код для вставки").input_value()
        assert copied.startswith(f'<iframe src="{school.url}/nastavnichestvo/vidzhet/?n=3"')
