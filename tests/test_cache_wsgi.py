"""The response cache's hit path before Flask (cache/wsgi.py, issue 13): a replay is the slow
answer byte for byte, is never older than the data and the clock, never reaches a visitor
whose cookies change the answer, and is never recorded for what is not the same for all.

Flask's test client calls ``app.wsgi_app``, so every request here meets the middleware;
``through_flask`` tells which of them Flask answered."""

from __future__ import annotations

import gzip
import logging
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask, request_started
from werkzeug.middleware.proxy_fix import ProxyFix

from mentoring_site import Mentoring, cache, editing
from mentoring_site.auth.identity import COOKIE as ADMIN_COOKIE
from mentoring_site.cache import wsgi
from mentoring_site.models import Consent, NewsItem, Person
from mentoring_site.public import accessibility as a11y
from mentoring_site.urls import STATIC_COPY, STATIC_ORDINARY
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token
from tests.cache_support import add, page_text
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"
NEWS_LIST = f"{PREFIX}/novosti/"
NEWS = editing.RecordKind(name="news", model=NewsItem)
URLS = [PREFIX + "/", NEWS_LIST, PREFIX + "/nastavniki/", PREFIX + "/api/v1/news",
        PREFIX + "/feeds/novosti.atom", PREFIX + "/sitemap.xml", PREFIX + "/vidzhet/"]
GZIP = {"Accept-Encoding": "gzip, deflate"}


@contextmanager
def through_flask(app):
    """The paths Flask itself answered while the block ran (a replay never reaches it)."""
    seen: list[str] = []

    def _started(_sender, **_extra):
        from flask import request

        seen.append(request.path)

    request_started.connect(_started, app)
    try:
        yield seen
    finally:
        request_started.disconnect(_started, app)


@contextmanager
def slow(app):
    """Requests in the block go through Flask (the replay off for a moment): the answer the
    slow path gives, from the cache's entry, for comparison."""
    state = app.extensions["mentoring"]
    before, state.replay_on = state.replay_on, False
    try:
        yield
    finally:
        state.replay_on = before


def wire(resp) -> tuple[str, list[tuple[str, str]], bytes]:
    """What a server would send: status line, headers in order, body."""
    return resp.status, list(resp.headers.to_wsgi_list()), resp.get_data()


def replayed_paths(app) -> list[str]:
    """The paths (with «gzip» or «-») the in-process store holds a replay for."""
    store = app.extensions["mentoring"].responses
    return sorted("|".join(key.split("|")[5:8:2]) for key in list(store._items)
                  if key.split("|")[1] == "replay")


# -- the same bytes ------------------------------------------------------------------------------


def test_a_replay_is_the_slow_answer_byte_for_byte(seeded_app):
    client = seeded_app.test_client()
    for url in URLS:
        for headers in ({}, GZIP):
            first = client.get(url, headers=headers)  # built, stored, recorded
            assert first.status_code == 200, url
            with through_flask(seeded_app) as seen:
                again = client.get(url, headers=headers)
            assert seen == [], url
            with slow(seeded_app):
                from_entry = client.get(url, headers=headers)
            assert wire(again) == wire(first) == wire(from_entry), (url, headers)
    assert "Content-Security-Policy" in client.get(PREFIX + "/").headers


def test_gzip_and_plain_are_kept_apart(seeded_app):
    client = seeded_app.test_client()
    plain = client.get(NEWS_LIST)
    zipped = client.get(NEWS_LIST, headers=GZIP)
    with through_flask(seeded_app) as seen:
        plain_again = client.get(NEWS_LIST, headers={"Accept-Encoding": "identity"})
        zipped_again = client.get(NEWS_LIST, headers={"Accept-Encoding": "gzip"})
        refused = client.get(NEWS_LIST, headers={"Accept-Encoding": "gzip;q=0"})
        star = client.get(NEWS_LIST, headers={"Accept-Encoding": "*"})
    assert seen == []
    assert "Content-Encoding" not in plain_again.headers
    assert "Content-Encoding" not in refused.headers
    assert zipped_again.headers["Content-Encoding"] == "gzip" == star.headers["Content-Encoding"]
    assert gzip.decompress(zipped_again.get_data()) == plain_again.get_data() == plain.get_data()
    assert zipped_again.headers["ETag"] == zipped.headers["ETag"] == "W/" + plain.headers["ETag"]
    assert replayed_paths(seeded_app) == [f"{NEWS_LIST}|-", f"{NEWS_LIST}|gzip"]


def test_head_and_304_are_the_slow_ones(seeded_app):
    client = seeded_app.test_client()
    for url in (PREFIX + "/", PREFIX + "/api/v1/news"):
        for headers in ({}, GZIP):
            etag = client.get(url, headers=headers).headers["ETag"]
            modified = client.get(url, headers=headers).headers["Last-Modified"]
            asks = [("HEAD", {}), ("GET", {"If-None-Match": etag}),
                    ("GET", {"If-None-Match": f'"x", {etag}'}),
                    ("GET", {"If-None-Match": etag.removeprefix("W/")}),
                    ("HEAD", {"If-None-Match": etag}), ("GET", {"If-Modified-Since": modified}),
                    ("GET", {"If-None-Match": '"other"'})]
            for method, extra in asks:
                with through_flask(seeded_app) as seen:
                    fast = client.open(url, method=method, headers={**headers, **extra})
                assert seen == [], (url, method, extra)
                with slow(seeded_app):
                    built = client.open(url, method=method, headers={**headers, **extra})
                assert wire(fast) == wire(built), (url, method, extra)
            assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
            assert client.head(url, headers=headers).get_data() == b""


def test_a_replay_is_recorded_from_a_304_and_from_a_head(seeded_app):
    """Browsers revalidate: a stream of conditional requests alone makes the replay too."""
    client = seeded_app.test_client()
    for first_method, first_headers in (("GET", "etag"), ("HEAD", None)):
        cache.forget(seeded_app)
        with slow(seeded_app):
            etag = client.get(NEWS_LIST, headers=GZIP).headers["ETag"]  # the entry only
        assert replayed_paths(seeded_app) == []
        extra = {"If-None-Match": etag} if first_headers else {}
        client.open(NEWS_LIST, method=first_method, headers={**GZIP, **extra})
        assert replayed_paths(seeded_app) == [f"{NEWS_LIST}|gzip"]
        for method, extra in (("GET", {}), ("HEAD", {}), ("GET", {"If-None-Match": etag})):
            with through_flask(seeded_app) as seen:
                fast = client.open(NEWS_LIST, method=method, headers={**GZIP, **extra})
            with slow(seeded_app):
                built = client.open(NEWS_LIST, method=method, headers={**GZIP, **extra})
            assert seen == [] and wire(fast) == wire(built), (first_method, method, extra)


# -- never stale ---------------------------------------------------------------------------------


def test_an_admin_save_and_delete_show_at_once(app):
    [news_id] = add(app, f.news(title="Первая редакция"))
    visitor = app.test_client()
    for _ in range(2):
        assert "Первая редакция" in page_text(visitor, NEWS_LIST)
    with through_flask(app) as seen:
        assert "Первая редакция" in page_text(visitor, NEWS_LIST)
    assert seen == []
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
    with through_flask(app) as seen:
        listing = page_text(visitor, NEWS_LIST)
    assert "Вторая редакция" in listing and "Первая редакция" not in listing
    assert seen == [NEWS_LIST]
    assert "Вторая редакция" in page_text(visitor, NEWS_LIST)  # the new one replayed now
    delete = f"{ADMIN}/novosti/{news_id}/udalit/"
    assert admin.post(delete, data={"csrf_token": token(admin, delete)}).status_code == 302
    assert "Вторая редакция" not in page_text(visitor, NEWS_LIST)


@pytest.mark.both_databases
def test_a_withdrawn_consent_takes_the_person_off_every_replay(app, frozen):
    person = f.person(last_name="Согласова", in_mentor_bank=True)
    person.consents[0].signed_on = frozen.moment.date() - timedelta(days=10)
    [person_id] = add(app, person)
    visitor = app.test_client()
    with app.app_context():
        slug = app.extensions["mentoring"].session().get(Person, person_id).slug
    urls = [f"{PREFIX}/nastavniki/", f"{PREFIX}/api/v1/mentors", f"{PREFIX}/lyudi/{slug}/"]
    for url in urls:
        page_text(visitor, url)
        with through_flask(app) as seen:
            assert "Согласова" in page_text(visitor, url), url
        assert seen == [], url
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        consent = sess.scalars(sa.select(Consent).where(Consent.person_id == person_id)).one()
        consent.withdrawn_on = frozen.moment.date()
        sess.commit()
    assert visitor.get(urls[-1]).status_code == 404
    for url in urls[:-1]:
        assert "Согласова" not in page_text(visitor, url), url


def test_a_moved_clock_publishes_and_unpublishes_on_time(app, frozen):
    now = frozen.moment.replace(tzinfo=None)
    add(app, f.news(title="Выйдет через час", published_at=now + timedelta(hours=1)),
         f.news(title="Уйдёт через два часа", published_at=now - timedelta(days=1),
                unpublish_at=now + timedelta(hours=2)))
    visitor = app.test_client()
    urls = (NEWS_LIST, PREFIX + "/api/v1/news", PREFIX + "/feeds/novosti.atom")
    for url in urls:
        page_text(visitor, url)
    frozen.move(minutes=59, seconds=59)
    with through_flask(app) as seen:
        for url in urls:
            text = page_text(visitor, url)
            assert "Выйдет через час" not in text and "Уйдёт через два часа" in text, url
    assert seen == []  # replayed up to the moment
    frozen.move(seconds=1)  # the very moment of publication
    for url in urls:
        assert "Выйдет через час" in page_text(visitor, url), url
    frozen.move(hours=1)  # the moment of unpublication
    for url in urls:
        assert "Уйдёт через два часа" not in page_text(visitor, url), url
    frozen.move(hours=-3)  # a clock set back is believed too
    assert "Выйдет через час" not in page_text(visitor, NEWS_LIST)


def test_a_replay_kept_at_most_some_seconds_expires(app, frozen, monkeypatch):
    """A page with data from outside the database (``cache.keep_at_most``) is not replayed
    beyond its time, as its entry is not answered beyond it."""
    from mentoring_site.cache import responses

    entry = responses._entry

    def kept_a_minute(response, **kwargs):
        responses.keep_at_most(60)
        return entry(response, **kwargs)

    monkeypatch.setattr(responses, "_entry", kept_a_minute)
    visitor = app.test_client()
    page_text(visitor, NEWS_LIST)
    frozen.move(seconds=59)
    with through_flask(app) as seen:
        page_text(visitor, NEWS_LIST)
    assert seen == []
    frozen.move(seconds=1)
    with through_flask(app) as seen:
        page_text(visitor, NEWS_LIST)
    assert seen == [NEWS_LIST]


def test_a_changed_linked_file_is_noticed(app, tmp_path, monkeypatch):
    """A stylesheet changed on disk is linked by its new address: the replay is checked
    against the linked files' stamp (stat'ed at most once a second; here every time)."""
    monkeypatch.setattr(wsgi, "LINKED_RECHECK_SECONDS", 0)
    visitor = app.test_client()
    page_text(visitor, NEWS_LIST)
    linked = tmp_path / "extra.css"
    linked.write_text("a{}")
    app.extensions["mentoring"].linked_static[linked] = None  # as theming.static_url does
    with through_flask(app) as seen:
        page_text(visitor, NEWS_LIST)  # a file more: the key the page was stored under is gone
        page_text(visitor, NEWS_LIST)
    assert seen == [NEWS_LIST]
    linked.write_text("a{color:red}")
    with through_flask(app) as seen:
        page_text(visitor, NEWS_LIST)
    assert seen == [NEWS_LIST]


# -- who never gets a replay ---------------------------------------------------------------------


def test_never_replayed_to_the_admin_or_a_vi_visitor(seeded_app):
    vi = seeded_app.test_client()
    vi.set_cookie(a11y.COOKIE, "v1.size-4.scheme-wb", path=PREFIX + "/")
    assert "m-vi--size-4" in page_text(vi, NEWS_LIST)  # links the VI stylesheet: a new key
    admin = signed_in(seeded_app)  # the admin's layout links its own
    admin.set_cookie(ADMIN_COOKIE, admin.get_cookie(ADMIN_COOKIE, path=ADMIN).value, path="/")
    visitor = seeded_app.test_client()
    for _ in range(2):
        ordinary = page_text(visitor, NEWS_LIST)
    with through_flask(seeded_app) as seen:
        assert "m-vi--size-4" in page_text(vi, NEWS_LIST)
        page_text(admin, NEWS_LIST)
    assert seen == [NEWS_LIST] * 2
    assert replayed_paths(seeded_app) == [f"{NEWS_LIST}|-"]  # the VI page never recorded
    with through_flask(seeded_app) as seen:
        assert page_text(visitor, NEWS_LIST) == ordinary
    assert seen == []


def test_the_vi_cookie_is_no_obstacle_when_the_panel_is_off(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_ACCESSIBILITY_PANEL=False)
    client = app.test_client()
    client.set_cookie(a11y.COOKIE, "v1.size-4", path=PREFIX + "/")
    page_text(client, NEWS_LIST)
    with through_flask(app) as seen:
        page_text(client, NEWS_LIST)
    assert seen == []
    app.extensions["mentoring"].engine.dispose()


def _host_app(tmp_path, **config) -> Flask:
    from mentoring_site.migrate import upgrade

    app = Flask("host", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="host", TESTING=True,
                      MENTORING_DATABASE_URI=f"sqlite:///{tmp_path / 'h.sqlite'}", **config)
    return app, lambda: upgrade(app)


def test_the_hosts_session_cookie_with_the_curator_check(tmp_path):
    """Curators checked by the host's login: its session cookie keeps the replay away, as
    it keeps the slow path's entries. (Flask-Login itself, whose context processor reads
    the session on every page, is tested in tests/test_cache_flask_login.py; here a login
    is stood for by the attribute the section checks at init_app.)"""
    from types import SimpleNamespace

    app, upgrade = _host_app(tmp_path, MENTORING_CURATOR_CHECK=lambda user: "curator")
    app.login_manager = SimpleNamespace()  # type: ignore[attr-defined]
    Mentoring(app)
    upgrade()
    visitor, curator = app.test_client(), app.test_client()
    curator.set_cookie("session", "anything")
    for _ in range(2):
        page_text(visitor, NEWS_LIST)
    with through_flask(app) as seen:
        page_text(visitor, NEWS_LIST)
        page_text(curator, NEWS_LIST)
    assert seen == [NEWS_LIST]  # the curator's
    app.extensions["mentoring"].engine.dispose()


def test_a_session_read_after_the_cache_is_replayed_only_without_a_session(tmp_path):
    """A host's ``after_request`` that reads the session (Flask-Login's remember-me hook
    does on every answer) makes Flask add ``Vary: Cookie``: such an answer is recorded from,
    and replayed to, requests that bring no session (neither its cookie nor Flask-Login's
    remember cookie) only. Other cookies (a poll's, a visit counter's) leave the session as
    empty: they get the replay."""
    from flask import session

    app, upgrade = _host_app(tmp_path)
    # before init_app, as Flask-Login's: it runs after the cache's hook (hooks run reversed)
    app.after_request(lambda response: (session.get("seen"), response)[1])
    Mentoring(app)
    upgrade()
    visitor, polled, signed, remembered = (app.test_client() for _ in range(4))
    polled.set_cookie("school_poll", "1")
    signed.set_cookie("session", "anything")
    remembered.set_cookie("remember_token", "1|abc")
    for _ in range(2):
        with through_flask(app) as seen:
            page_text(signed, NEWS_LIST)
            page_text(remembered, NEWS_LIST)
        assert seen == [NEWS_LIST] * 2  # never recorded from them
    first = visitor.get(NEWS_LIST)
    assert "Cookie" in first.headers["Vary"]
    with through_flask(app) as seen:
        assert wire(visitor.get(NEWS_LIST)) == wire(first)
        assert wire(polled.get(NEWS_LIST)) == wire(first)
        page_text(signed, NEWS_LIST)
        page_text(remembered, NEWS_LIST)
    assert seen == [NEWS_LIST] * 2  # the ones with a session
    app.extensions["mentoring"].engine.dispose()


def test_the_static_copys_crawler_is_never_replayed_to(seeded_app):
    client = seeded_app.test_client()
    for _ in range(2):
        page_text(client, NEWS_LIST)
    with through_flask(seeded_app) as seen:
        client.get(NEWS_LIST, environ_overrides={STATIC_COPY: STATIC_ORDINARY})
    assert seen == [NEWS_LIST]


def test_files_forms_and_the_admin_are_never_recorded(seeded_app):
    client = seeded_app.test_client()
    mentors = page_text(client, PREFIX + "/nastavniki/")
    photo = re.search(r'(/nastavnichestvo/media/[^"?]+)', mentors).group(1)
    css = re.search(r'href="([^"]*/static/mentoring\.css\?v=[0-9a-f]+)"', mentors).group(1)
    listing = page_text(client, PREFIX + "/ankety/")
    form = re.search(r'href="(/nastavnichestvo/ankety/[^"]+/)"', listing).group(1)
    asked = [photo, css.split("?")[0], form, f"{ADMIN}/vhod/", f"{ADMIN}/",
             PREFIX + "/dlya-slabovidyashchih/", PREFIX + "/net-takoi-stranicy/", "/"]
    for url in asked:
        for _ in range(2):
            with client.get(url) as resp:
                assert resp.status_code in (200, 302, 404), url
    admin = signed_in(seeded_app)
    for _ in range(2):
        assert admin.get(f"{ADMIN}/").status_code == 200
    kept = {path.split("|")[0] for path in replayed_paths(seeded_app)}
    assert PREFIX + "/nastavniki/" in kept
    never = {photo, css.split("?")[0], form, f"{ADMIN}/vhod/", f"{ADMIN}/",
             PREFIX + "/net-takoi-stranicy/", "/"}
    assert not kept & never, kept & never


def test_only_get_and_head_are_replayed(seeded_app):
    client = seeded_app.test_client()
    for _ in range(2):
        page_text(client, NEWS_LIST)
    with through_flask(seeded_app) as seen:
        assert client.post(NEWS_LIST).status_code == 405
        assert client.options(NEWS_LIST).status_code == 200
    assert seen == [NEWS_LIST, NEWS_LIST]


# -- auto, on, off -------------------------------------------------------------------------------


def _second_request_through_flask(app) -> bool:
    client = app.test_client()
    page_text(client, NEWS_LIST)
    with through_flask(app) as seen:
        page_text(client, NEWS_LIST)
    app.extensions["mentoring"].engine.dispose()
    return seen == [NEWS_LIST]


def test_auto_is_on_and_says_so(seeded_database_uri, tmp_path, caplog):
    app = make_app(seeded_database_uri, tmp_path)
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        assert not _second_request_through_flask(app)
    said = [r.getMessage() for r in caplog.records if "WSGI" in r.getMessage()]
    assert len(said) == 1 and "включены" in said[0]


def test_a_hosts_before_request_turns_auto_off(seeded_database_uri, tmp_path, caplog):
    app = make_app(seeded_database_uri, tmp_path)

    @app.before_request  # registered after init_app: the first request decides
    def count_visits():
        pass

    with caplog.at_level(logging.INFO, logger=app.logger.name):
        assert _second_request_through_flask(app)
    said = [r.getMessage() for r in caplog.records if "WSGI" in r.getMessage()]
    assert len(said) == 1 and "выключены" in said[0] and "count_visits" in said[0]


def test_a_hosts_url_value_preprocessor_turns_auto_off(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path)
    app.url_value_preprocessor(lambda endpoint, values: None)
    assert _second_request_through_flask(app)


def test_true_turns_it_on_whatever_the_host_has(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE_WSGI=True)
    app.before_request(lambda: None)
    assert not _second_request_through_flask(app)


def test_false_turns_it_off(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE_WSGI=False)
    assert not isinstance(app.wsgi_app, wsgi.Replayer)
    assert _second_request_through_flask(app)


def test_flask_wtfs_csrf_check_keeps_auto_on(seeded_database_uri, tmp_path):
    from flask_wtf import CSRFProtect

    app = Flask("host_with_csrf", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="host", TESTING=True, MENTORING_DATABASE_URI=seeded_database_uri,
                      MENTORING_UPLOAD_FOLDER=str(tmp_path / "uploads"))
    CSRFProtect(app)
    Mentoring(app)
    assert not _second_request_through_flask(app)


def test_no_middleware_without_the_response_cache(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE=False)
    assert not isinstance(app.wsgi_app, wsgi.Replayer)
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize("value", ["yes", 1, 0])
def test_a_wrong_setting_is_refused_in_russian(database_uri, tmp_path, value):
    from mentoring_site.config import ConfigError

    with pytest.raises(ConfigError, match="MENTORING_RESPONSE_CACHE_WSGI должен быть None"):
        make_app(database_uri, tmp_path, MENTORING_RESPONSE_CACHE_WSGI=value)


def test_a_failing_version_read_falls_through_to_flask(seeded_app, monkeypatch):
    client = seeded_app.test_client()
    first = page_text(client, NEWS_LIST)

    def broken(_state):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(wsgi.stamps, "peek_key", broken)
    with through_flask(seeded_app) as seen:
        assert page_text(client, NEWS_LIST) == first
    assert seen == [NEWS_LIST]


# -- behind a proxy ------------------------------------------------------------------------------


def test_inside_the_proxy_fix_and_keyed_by_the_corrected_request(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path, MENTORING_TRUSTED_PROXIES=1)
    assert isinstance(app.wsgi_app, ProxyFix) and isinstance(app.wsgi_app.app, wsgi.Replayer)
    client = app.test_client()
    https, http = {"X-Forwarded-Proto": "https"}, {"X-Forwarded-Proto": "http"}
    for _ in range(2):
        secure, plain = client.get(NEWS_LIST, headers=https), client.get(NEWS_LIST, headers=http)
    with through_flask(app) as seen:
        assert wire(client.get(NEWS_LIST, headers=https)) == wire(secure)
        assert wire(client.get(NEWS_LIST, headers=http)) == wire(plain)
    assert seen == []
    store = app.extensions["mentoring"].responses
    schemes = sorted(key.split("|")[2] for key in store._items if key.split("|")[1] == "replay")
    assert schemes == ["http", "https"]
    app.extensions["mentoring"].engine.dispose()


def test_inside_a_proxy_fix_the_host_put_there_first(seeded_database_uri, tmp_path):
    app = Flask("host_behind_proxy", instance_path=str(tmp_path))
    app.config.update(SECRET_KEY="host", TESTING=True, MENTORING_DATABASE_URI=seeded_database_uri,
                      MENTORING_UPLOAD_FOLDER=str(tmp_path / "uploads"))
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]
    Mentoring(app)
    assert isinstance(app.wsgi_app, ProxyFix) and isinstance(app.wsgi_app.app, wsgi.Replayer)
    assert not _second_request_through_flask(app)
