"""Addresses and the menu built once and kept (issue 13): never a wrong or stale link.

``urls.section_url`` remembers what ``url_for`` built, per app, mount point and host; the
menu (``_nav.html``) is rendered once per data version and page kind.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import url_for

from mentoring_site import urls
from mentoring_site.clock import now_utc
from mentoring_site.models import Page, Status
from tests import factories
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"


def _nav(html: str) -> str:
    return html.split('class="m-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_kept_address_is_the_one_url_for_builds(app):
    cases = [("mentoring.news", {}), ("mentoring.news", {"vid": "anonsy"}),
             ("mentoring.news", {"vid": None, "page": 2}),
             ("mentoring.person", {"slug": "ivanova"}),
             ("mentoring_api.feed_news", {})]
    with app.test_request_context(PREFIX + "/"):
        for endpoint, values in cases:
            first = urls.section_url(endpoint, **values)
            assert first == url_for(endpoint, **values)
            assert urls.section_url(endpoint, **values) == first  # the kept one
        assert urls.section_url("mentoring.news", _anchor="x") == PREFIX + "/novosti/#x"
    assert len(app.extensions["mentoring"].urls) == len(cases)  # kept, once each


def test_addresses_follow_the_mount_point_and_the_host(app):
    """A site served under two mount points (or two host names) by one process gets each
    its own addresses, also from the menu that is kept per data version."""
    client = app.test_client()
    plain = client.get(PREFIX + "/novosti/").get_data(as_text=True)
    mounted = client.get(PREFIX + "/novosti/", base_url="http://localhost/school")
    mounted_html = mounted.get_data(as_text=True)
    assert f'href="{PREFIX}/luchshie-praktiki/"' in _nav(plain)
    assert f'href="/school{PREFIX}/luchshie-praktiki/"' in _nav(mounted_html)
    assert f'href="{PREFIX}/luchshie-praktiki/"' not in _nav(mounted_html)
    again = client.get(PREFIX + "/novosti/").get_data(as_text=True)
    assert "/school/" not in again


def test_a_hosts_url_defaults_are_asked_every_time(tmp_path, database_uri):
    """A host's ``url_defaults`` may add values from the request (a language, a city):
    then nothing is kept, and every address is built by ``url_for``."""
    app = make_app(database_uri, tmp_path)
    asked: list[str] = []

    @app.url_defaults
    def _count(endpoint, values):
        asked.append(endpoint)

    with app.test_request_context(PREFIX + "/"):
        urls.section_url("mentoring.news")
        urls.section_url("mentoring.news")
    assert asked.count("mentoring.news") == 2
    app.extensions["mentoring"].engine.dispose()


def _page(slug: str, title: str) -> Page:
    return Page(slug=slug, title=title, body="Текст", status=Status.PUBLISHED,
                published_at=now_utc() - timedelta(days=1))


def test_the_menu_marks_the_page_it_is_on(app, db):
    """The kept menu is per page kind: each list marks itself, a detail page its list."""
    db.add(factories.news(slug="sobytie", title="Событие"))
    db.commit()
    client = app.test_client()
    for path, current, label in [
        ("/novosti/", "page", "Новости и анонсы"),
        ("/nastavniki/", "page", "База наставников"),
        ("/novosti/sobytie/", "true", "Новости и анонсы"),
        ("/", "page", "Главная раздела"),
    ]:
        nav = _nav(client.get(PREFIX + path).get_data(as_text=True))
        marked = re.findall(r'aria-current="(\w+)">([^<]+)<', nav)
        assert marked == [(current, label)], path


def test_an_own_page_in_the_menu_is_marked_and_a_new_one_appears(app, db):
    db.add(_page("kontakty", "Контакты наставников"))
    db.commit()
    client = app.test_client()
    nav = _nav(client.get(PREFIX + "/kontakty/").get_data(as_text=True))
    assert re.findall(r'aria-current="(\w+)">([^<]+)<', nav) == [("page", "Контакты наставников")]
    db.add(_page("plan", "План на год"))
    db.commit()
    nav = _nav(client.get(PREFIX + "/kontakty/").get_data(as_text=True))
    assert "План на год" in nav  # a new data version: the menu is rendered again
    missing = client.get(PREFIX + "/net-takoy/")
    assert missing.status_code == 404
    assert 'aria-current="page"' not in _nav(missing.get_data(as_text=True))
