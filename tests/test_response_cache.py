"""The response cache of public answers (issue 13): what a visitor meets is never older than
the data and the clock, a signed-in editor never gets a stored page, the visually impaired
get their own pages, and a repeated or conditional request costs one statement (the
version read)."""

from __future__ import annotations

import gzip
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from mentoring_site import clock, editing
from mentoring_site.auth.identity import COOKIE as ADMIN_COOKIE
from mentoring_site.models import Consent, NewsItem, Person
from mentoring_site.public import accessibility as a11y
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token
from tests.cache_support import add, page_text
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"
NEWS_LIST = f"{PREFIX}/novosti/"
NEWS = editing.RecordKind(name="news", model=NewsItem)
LARGEST = "v1.size-4.scheme-wb"


@contextmanager
def statements(app):
    """The SQL statements sent through the section's engine while the block runs (SQLite's
    own «BEGIN DEFERRED» left out). A cached answer sends none: its one statement, the
    version read, goes over the thread's own connection (``cache.stamp.peek``)."""
    seen: list[str] = []

    def _count(_conn, _cursor, statement, *_rest):
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    engine = app.extensions["mentoring"].engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _count)


# -- a repeated request ------------------------------------------------------------------------


@pytest.mark.both_databases
def test_a_repeated_page_costs_one_statement_and_is_the_same(seeded_app):
    client = seeded_app.test_client()
    first = client.get(PREFIX + "/")
    with statements(seeded_app) as seen:
        again = client.get(PREFIX + "/")
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert seen == []
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_conditional_request_gets_its_304_from_the_entry(seeded_app):
    client = seeded_app.test_client()
    for url in (PREFIX + "/", NEWS_LIST, PREFIX + "/api/v1/news", PREFIX + "/sitemap.xml"):
        first = client.get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        with statements(seeded_app) as seen:
            by_tag = client.get(url, headers={"If-None-Match": etag})
            by_date = client.get(url, headers={"If-Modified-Since": modified})
        assert by_tag.status_code == 304 and by_date.status_code == 304, url
        assert by_tag.get_data() == b"" and by_tag.headers["ETag"] == etag
        assert seen == [], (url, seen)
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_gzip_is_served_only_to_clients_that_accept_it(seeded_app):
    client = seeded_app.test_client()
    plain = client.get(PREFIX + "/")
    zipped = client.get(PREFIX + "/", headers={"Accept-Encoding": "gzip"})
    again = client.get(PREFIX + "/")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data() == again.get_data()
    assert "Content-Encoding" not in again.headers
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert zipped.headers["ETag"] == "W/" + plain.headers["ETag"]
    matched = client.get(PREFIX + "/", headers={"Accept-Encoding": "gzip",
                                                "If-None-Match": plain.headers["ETag"]})
    assert matched.status_code == 304


def test_head_is_answered_like_get(seeded_app):
    client = seeded_app.test_client()
    body = client.get(NEWS_LIST).get_data()
    head = client.head(NEWS_LIST)
    assert head.status_code == 200 and head.get_data() == b""
    assert int(head.headers["Content-Length"]) == len(body)


# -- never stale -------------------------------------------------------------------------------


def test_an_admin_save_and_delete_show_at_once(app):
    [news_id] = add(app, f.news(title="Первая редакция"))
    visitor = app.test_client()
    assert "Первая редакция" in page_text(visitor, NEWS_LIST)
    admin = signed_in(app)
    url = f"{ADMIN}/novosti/{news_id}/"
    with app.app_context():
        version = app.extensions["mentoring"].session().get(NewsItem, news_id).version
    resp = admin.post(url, data={
        "csrf_token": token(admin, url), "kind": "news", "status": "published",
        "title": "Вторая редакция", "summary": "Кратко", "body": "Текст", "published_at": "",
        "unpublish_at": "", "event_starts_at": "", "event_ends_at": "", "event_place": "",
        "version": str(version)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    listing = page_text(visitor, NEWS_LIST)
    assert "Вторая редакция" in listing and "Первая редакция" not in listing
    assert "Вторая редакция" in page_text(visitor, PREFIX + "/api/v1/news")

    delete = f"{ADMIN}/novosti/{news_id}/udalit/"
    assert admin.post(delete, data={"csrf_token": token(admin, delete)}).status_code == 302
    assert "Вторая редакция" not in page_text(visitor, NEWS_LIST)
    assert "Вторая редакция" not in page_text(visitor, PREFIX + "/api/v1/news")


@pytest.mark.both_databases
def test_a_withdrawn_consent_takes_the_person_off_every_cached_answer(app, frozen):
    person = f.person(last_name="Согласова", in_mentor_bank=True)
    person.consents[0].signed_on = frozen.moment.date() - timedelta(days=10)
    [person_id] = add(app, person)
    visitor = app.test_client()
    urls = [f"{PREFIX}/nastavniki/", f"{PREFIX}/api/v1/mentors", f"{PREFIX}/sitemap.xml"]
    with app.app_context():
        slug = app.extensions["mentoring"].session().get(Person, person_id).slug
    page = f"{PREFIX}/lyudi/{slug}/"
    assert visitor.get(page).status_code == 200
    for url in urls:
        assert "Согласова" in page_text(visitor, url) or slug in page_text(visitor, url), url
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        consent = sess.scalars(sa.select(Consent).where(Consent.person_id == person_id)).one()
        consent.withdrawn_on = frozen.moment.date()
        sess.commit()
    assert visitor.get(page).status_code == 404
    for url in urls:
        text = page_text(visitor, url)
        assert "Согласова" not in text and slug not in text, url


def test_a_scheduled_publication_and_unpublication_show_when_their_time_comes(app, frozen):
    now = frozen.moment.replace(tzinfo=None)
    add(app, f.news(title="Выйдет через час", published_at=now + timedelta(hours=1)),
         f.news(title="Уйдёт через два часа", published_at=now - timedelta(days=1),
                unpublish_at=now + timedelta(hours=2)))
    visitor = app.test_client()
    for url in (NEWS_LIST, PREFIX + "/api/v1/news", PREFIX + "/feeds/novosti.atom"):
        text = page_text(visitor, url)
        assert "Выйдет через час" not in text and "Уйдёт через два часа" in text, url
    frozen.move(minutes=59, seconds=59)
    assert "Выйдет через час" not in page_text(visitor, NEWS_LIST)
    frozen.move(seconds=1)  # the very moment of publication
    for url in (NEWS_LIST, PREFIX + "/api/v1/news", PREFIX + "/feeds/novosti.atom"):
        assert "Выйдет через час" in page_text(visitor, url), url
    frozen.move(hours=1)  # the moment of unpublication
    for url in (NEWS_LIST, PREFIX + "/api/v1/news", PREFIX + "/feeds/novosti.atom"):
        assert "Уйдёт через два часа" not in page_text(visitor, url), url
    frozen.move(hours=-3)  # a clock set back is believed too
    assert "Выйдет через час" not in page_text(visitor, NEWS_LIST)


def test_a_new_day_ends_a_consent_that_expired(app, frozen):
    frozen.moment = datetime(2026, 11, 23, 20, 30, tzinfo=timezone.utc)  # 23:30 in Moscow
    today = clock.today("Europe/Moscow")
    person = f.person(last_name="Срочнова", in_mentor_bank=True)
    person.consents[0].signed_on = today - timedelta(days=10)
    person.consents[0].valid_until = today  # in force to the end of today
    add(app, person)
    visitor = app.test_client()
    assert "Срочнова" in page_text(visitor, f"{PREFIX}/nastavniki/")
    frozen.move(minutes=29)
    assert "Срочнова" in page_text(visitor, f"{PREFIX}/nastavniki/")
    frozen.move(minutes=1)  # midnight at the school
    assert "Срочнова" not in page_text(visitor, f"{PREFIX}/nastavniki/")


def test_an_event_that_ended_reads_as_past(app, frozen):
    local = clock.now_local("Europe/Moscow")
    [news_id] = add(app, f.news(kind=f.NewsKind.ANNOUNCEMENT, title="Семинар",
                                 event_starts_at=local + timedelta(hours=1),
                                 event_ends_at=local + timedelta(hours=2)))
    with app.app_context():
        slug = app.extensions["mentoring"].session().get(NewsItem, news_id).slug
    visitor = app.test_client()
    url = f"{PREFIX}/novosti/{slug}/"
    assert "Мероприятие состоялось" not in page_text(visitor, url)
    frozen.move(hours=2)
    assert "Мероприятие состоялось" not in page_text(visitor, url)  # the end itself: not yet
    frozen.move(seconds=1)
    assert "Мероприятие состоялось" in page_text(visitor, url)


# -- who is never answered from the cache ------------------------------------------------------


def test_a_signed_in_editor_is_never_answered_from_the_cache(app):
    add(app, f.news(title="Новость"))
    admin = signed_in(app)
    admin.set_cookie(ADMIN_COOKIE, admin.get_cookie(ADMIN_COOKIE, path=ADMIN).value,
                     path="/")  # as a browser would send it if the path allowed
    visitor = app.test_client()
    page_text(visitor, NEWS_LIST)
    with statements(app) as seen:
        assert "Новость" in page_text(admin, NEWS_LIST)
    assert len(seen) > 1  # built afresh
    with statements(app) as seen:
        page_text(visitor, NEWS_LIST)
    assert seen == []  # and nothing it got was stored over the visitor's copy


def test_forms_with_a_fresh_stamp_are_never_stored(seeded_app):
    client = seeded_app.test_client()
    listing = page_text(client, PREFIX + "/ankety/")
    form_url = re.search(r'href="(/nastavnichestvo/ankety/[^"]+/)"', listing).group(1)
    first = client.get(form_url)
    assert first.headers["Cache-Control"] == "no-store"
    with statements(seeded_app) as seen:
        again = client.get(form_url)
    assert again.headers["Cache-Control"] == "no-store" and len(seen) > 1


def test_the_admin_is_never_stored(app):
    admin = signed_in(app)
    admin.get(f"{ADMIN}/")
    with statements(app) as seen:
        resp = admin.get(f"{ADMIN}/")
    assert resp.headers["Cache-Control"] == "no-store" and len(seen) > 1


# -- the visually impaired ---------------------------------------------------------------------


def _vi_classes(html: str) -> bool:
    return "m-vi--size-4" in html


def test_vi_visitors_get_their_page_and_ordinary_visitors_never_do(seeded_app):
    ordinary, vi = seeded_app.test_client(), seeded_app.test_client()
    vi.set_cookie(a11y.COOKIE, LARGEST, path=PREFIX + "/")
    for url in (PREFIX + "/", NEWS_LIST, PREFIX + "/nastavniki/"):
        assert not _vi_classes(page_text(ordinary, url)), url
        assert _vi_classes(page_text(vi, url)), url
        assert not _vi_classes(page_text(ordinary, url)), url
        plain, special = ordinary.get(url), vi.get(url)
        assert "Cookie" not in plain.headers.get("Vary", ""), url
        assert plain.headers["Cache-Control"] == \
            "public, max-age=0, s-maxage=10, must-revalidate", url
        assert "Cookie" in special.headers["Vary"], url
        assert special.headers["Cache-Control"] == "private, no-cache", url
        # a browser that kept the ordinary copy asks with its ETag: the VI page comes back
        swapped = vi.get(url, headers={"If-None-Match": plain.headers["ETag"]})
        assert swapped.status_code == 200 and _vi_classes(swapped.get_data(as_text=True))


def test_the_same_settings_in_another_order_share_an_entry(seeded_app):
    one, other = seeded_app.test_client(), seeded_app.test_client()
    one.set_cookie(a11y.COOKIE, "v1.size-4.scheme-wb", path=PREFIX + "/")
    other.set_cookie(a11y.COOKIE, "v1.scheme-wb.size-4.junk-1", path=PREFIX + "/")
    first = page_text(one, NEWS_LIST)
    with statements(seeded_app) as seen:
        assert page_text(other, NEWS_LIST) == first
    assert seen == []


# -- headers -----------------------------------------------------------------------------------


def test_no_vary_cookie_on_ordinary_public_answers(seeded_app):
    client = seeded_app.test_client()
    for url in (PREFIX + "/", NEWS_LIST, PREFIX + "/programmy/", PREFIX + "/api/v1/news",
                PREFIX + "/feeds/novosti.atom", PREFIX + "/sitemap.xml", PREFIX + "/ankety/"):
        for _ in range(2):  # built, then from the cache
            resp = client.get(url)
            assert resp.status_code == 200, url
            assert "Cookie" not in resp.headers.get("Vary", ""), (url, resp.headers["Vary"])
            assert "Set-Cookie" not in resp.headers, url


def test_shared_cache_seconds_setting(seeded_database_uri, tmp_path):
    for seconds, expected in ((0, "no-cache"),
                              (30, "public, max-age=0, s-maxage=30, must-revalidate")):
        app = make_app(seeded_database_uri, tmp_path / str(seconds),
                       MENTORING_SHARED_CACHE_SECONDS=seconds)
        client = app.test_client()
        for url in (PREFIX + "/", PREFIX + "/api/v1/mentors"):
            assert client.get(url).headers["Cache-Control"] == expected, url
        app.extensions["mentoring"].engine.dispose()


def test_hashed_static_files_are_immutable(seeded_app):
    client = seeded_app.test_client()
    html = page_text(client, PREFIX + "/")
    css = re.search(r'href="([^"]*/static/mentoring\.css\?v=[0-9a-f]+)"', html).group(1)
    with client.get(css) as resp:
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Cookie" not in resp.headers.get("Vary", "")
    with client.get(css.split("?")[0] + "?v=000000000000") as stale:
        assert stale.headers["Cache-Control"] == "public, max-age=604800"
    with client.get(PREFIX + "/static/../../pyproject.toml") as outside:
        assert outside.status_code == 404


# -- settings and backends ---------------------------------------------------------------------


class HostCache:
    """What a host's Flask-Caching ``Cache`` offers the section: get and set."""

    def __init__(self) -> None:
        self.data: dict = {}

    def get(self, key):
        return self.data.get(key)

    def set(self, key, value):
        self.data[key] = value
        return True


def test_the_hosts_cache_object_is_used(seeded_database_uri, tmp_path):
    host = HostCache()
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE=host)
    client = app.test_client()
    first = page_text(client, NEWS_LIST)
    # the entry, and its answer as sent for the WSGI replay (cache/wsgi.py)
    assert sorted("|replay|" in key for key in host.data) == [False, True]
    with statements(app) as seen:
        assert page_text(client, NEWS_LIST) == first
    assert seen == []
    app.extensions["mentoring"].engine.dispose()


def test_switched_off_nothing_is_stored_and_headers_stay(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE=False)
    client = app.test_client()
    first = client.get(PREFIX + "/")
    with statements(app) as seen:
        again = client.get(PREFIX + "/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(seen) > 1
    assert first.headers["Cache-Control"].startswith("public")
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("value", ["yes", 1, object()])
def test_a_wrong_backend_is_refused_in_russian(database_uri, tmp_path, value):
    from mentoring_site.config import ConfigError

    with pytest.raises(ConfigError, match="MENTORING_RESPONSE_CACHE должен быть"):
        make_app(database_uri, tmp_path, MENTORING_RESPONSE_CACHE=value)


def test_the_memory_store_is_bounded_in_bytes():
    from mentoring_site.cache.store import Entry, MemoryStore

    store = MemoryStore(max_bytes=20_000)

    def entry(n: int) -> Entry:
        return Entry(body=b"x" * n, gzipped=None, headers=(), etag="e", last_modified=0)

    for i in range(10):
        store.set(f"k{i}", entry(2_000))
    assert store.stored_bytes <= 20_000
    assert store.get("k0") is None and store.get("k9") is not None  # oldest out first
    store.get("k2")  # used: now the most recent
    store.set("k10", entry(2_000))
    assert store.get("k2") is not None and store.get("k1") is None
    assert store.stored_bytes <= 20_000
    store.set("huge", entry(3_000))  # over an eighth of the bound: not kept
    assert store.get("huge") is None


@pytest.mark.both_databases
def test_the_version_readers_connections_close_with_the_engine(app):
    """The connection each thread keeps for reading the version (``stamp.peek``) is closed by
    ``engine.dispose()``, and a read after it opens a new one: left to the collector, they
    were dropped open (ResourceWarning; server connections on PostgreSQL)."""
    from mentoring_site.cache import stamp

    engine = app.extensions["mentoring"].engine
    client = app.test_client()
    client.get("/nastavnichestvo/").close()
    client.get("/nastavnichestvo/").close()  # the second answer is looked up: a peek
    opened = stamp._opened[engine]
    held = list(opened.conns)
    assert held, "the lookup kept no connection"
    engine.dispose()
    assert opened.conns == []
    for raw in held:
        with pytest.raises(Exception):  # noqa: B017 - closed: each driver says so its own way
            raw.cursor().execute("SELECT 1")
    assert client.get("/nastavnichestvo/").status_code == 200  # reads again on a new one
    assert len(opened.conns) == 1


def test_each_request_reads_the_data_version_anew_inside_one_app_context(app):
    """A host (or a test) may serve several requests inside one app context: the menu, read
    once per data version, still shows a page added between two of them."""
    from mentoring_site.clock import now_utc
    from mentoring_site.models import Page, Status

    with app.app_context():
        client = app.test_client()
        assert "Контакты школы" not in page_text(client, PREFIX + "/")
        sess = app.extensions["mentoring"].session()  # the requests' session: the same context
        sess.add(Page(slug="kontakty", title="Контакты школы", body="Текст",
                      status=Status.PUBLISHED, published_at=now_utc() - timedelta(days=1)))
        sess.commit()
        nav = page_text(client, NEWS_LIST).split('class="m-nav"', 1)[1].split("</nav>", 1)[0]
        assert "Контакты школы" in nav
