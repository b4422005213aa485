"""The response cache on a host with Flask-Login (issue 13): its context processor reads the
session on every rendered page, so before this every section page was private and built
afresh. A page made by reading a session the request did not bring (no session or remember
cookie, nothing written, nobody signed in) is the same for every such request: stored,
answered from the slow path and replayed before Flask, to those requests only. A signed-in
host user always gets their own page, built afresh and never stored.

Each test runs twice: answered by the slow path (the replay off: no statement, no template
rendered) and by the WSGI replay (Flask not reached at all)."""

from __future__ import annotations

import gzip
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import request_started, session, template_rendered

from mentoring_site.clock import now_utc
from mentoring_site.public import accessibility as a11y
from tests import factories as f
from tests.host_site import HostUser, create_host_app

PREFIX = "/nastavnichestvo"
NEWS_LIST = f"{PREFIX}/novosti/"
PAGES = [PREFIX + "/", NEWS_LIST, PREFIX + "/nastavniki/", PREFIX + "/programmy/"]
FEED = PREFIX + "/feeds/novosti.atom"
NAME = "Ирина Хостова"
ANONYMOUS = "Войти</a>"
SIGNED_IN = f"Вы вошли: {NAME}"
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture(params=["slow", "replay"])
def way(request) -> str:
    return request.param


def _host(database_uri, tmp_path, way, **config):
    from mentoring_site.migrate import upgrade

    app, db = create_host_app(database_uri, tmp_path, **config)
    upgrade(app)
    with app.app_context():
        db.create_all()
        db.session.add(HostUser(id=7, name=NAME))
        db.session.commit()
    if way == "slow":
        app.extensions["mentoring"].replay_on = False
    return app, db


@pytest.fixture
def host(database_uri, tmp_path, way):
    app, db = _host(database_uri, tmp_path, way)
    yield app, db
    app.extensions["mentoring"].engine.dispose()


@contextmanager
def built(app):
    """What the app did while the block ran: paths Flask answered, SQL statements sent
    (SQLite's «BEGIN» left out) and templates rendered. A replay leaves all three empty;
    an answer from the slow path's entry, the last two."""
    from sqlalchemy import event

    seen = {"flask": [], "sql": [], "templates": []}

    def _started(_sender, **_extra):
        from flask import request

        seen["flask"].append(request.path)

    def _rendered(_sender, template, **_extra):
        seen["templates"].append(template.name)

    def _sql(_conn, _cursor, statement, *_rest):
        if not statement.startswith("BEGIN"):
            seen["sql"].append(statement)

    engine = app.extensions["mentoring"].engine
    request_started.connect(_started, app)
    template_rendered.connect(_rendered, app)
    event.listen(engine, "before_cursor_execute", _sql)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _sql)
        template_rendered.disconnect(_rendered, app)
        request_started.disconnect(_started, app)


def from_cache(seen, way) -> bool:
    """The answers in the block came from the cache, the way under test."""
    if way == "replay":
        return seen["flask"] == []
    return seen["sql"] == [] and seen["templates"] == []


def wire(resp) -> tuple[str, list[tuple[str, str]], bytes]:
    return resp.status, list(resp.headers.to_wsgi_list()), resp.get_data()


def _text(client, url: str, **kwargs) -> str:
    resp = client.get(url, **kwargs)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def _sign_in(app, *, remember: bool = False):
    client = app.test_client()
    resp = client.post("/vhod/7" + ("?remember=1" if remember else ""))
    assert resp.status_code == 200
    assert client.get_cookie("session") is not None
    return client


def stored_bodies(app) -> list[bytes]:
    """Every body the section's store holds (entries and replays), unzipped."""
    bodies = []
    for value in list(app.extensions["mentoring"].responses._items.values()):
        for body in (value.body, getattr(value, "gzipped", None)):
            if body:
                bodies.append(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
    return bodies


def _nothing_of_the_user_stored(app) -> None:
    assert not [b for b in stored_bodies(app) if NAME.encode() in b]


# -- an anonymous visitor --------------------------------------------------------------------


def test_an_anonymous_visitors_second_request_is_a_hit_and_the_same(host, way):
    app, _ = host
    visitor = app.test_client()
    for url in [*PAGES, FEED]:
        for headers in ({}, GZIP):
            first = visitor.get(url, headers=headers)
            assert first.status_code == 200, url
            with built(app) as seen:
                again = visitor.get(url, headers=headers)
            assert from_cache(seen, way), (url, seen)
            assert wire(again) == wire(first), (url, headers)
        if url != FEED:
            assert ANONYMOUS in _text(visitor, url), url


def test_an_anonymous_answer_is_public_and_varies_on_cookie(host, way):
    app, _ = host
    visitor = app.test_client()
    for _ in range(2):  # built, then from the cache
        resp = visitor.get(NEWS_LIST)
        assert resp.headers["Cache-Control"] == \
            "public, max-age=0, s-maxage=10, must-revalidate"
        assert "Cookie" in resp.headers["Vary"] and "Accept-Encoding" in resp.headers["Vary"]
        assert "Set-Cookie" not in resp.headers
        assert resp.headers["ETag"]
    with built(app) as seen:
        matched = visitor.get(NEWS_LIST, headers={"If-None-Match": resp.headers["ETag"]})
    assert matched.status_code == 304 and from_cache(seen, way)


def test_other_cookies_get_the_stored_page_too(host, way):
    """A counter's or a poll's cookie leaves the session empty: the same page."""
    app, _ = host
    visitor, counted = app.test_client(), app.test_client()
    counted.set_cookie("_ym_uid", "1700000000123456789")
    first = visitor.get(NEWS_LIST)
    visitor.get(NEWS_LIST)
    with built(app) as seen:
        again = counted.get(NEWS_LIST)
    assert from_cache(seen, way)
    assert again.get_data() == first.get_data()


# -- a signed-in host user -------------------------------------------------------------------


@pytest.mark.parametrize("curator_check", [None, lambda user: False],
                         ids=["own-accounts", "host-curators"])
def test_a_signed_in_user_always_gets_a_fresh_page_never_stored(database_uri, tmp_path, way,
                                                                 curator_check):
    app, _ = _host(database_uri, tmp_path, way, MENTORING_CURATOR_CHECK=curator_check)
    visitor = app.test_client()
    for url in PAGES:
        for _ in range(2):
            assert ANONYMOUS in _text(visitor, url)  # the anonymous page, stored
    user = _sign_in(app)
    for url in PAGES:
        for _ in range(2):
            with built(app) as seen:
                resp = user.get(url)
            page = resp.get_data(as_text=True)
            assert SIGNED_IN in page and ANONYMOUS not in page, url
            assert seen["templates"] and seen["flask"] == [url], url  # built afresh
            assert resp.headers["Cache-Control"] == "private, no-cache", url
            assert "Cookie" in resp.headers["Vary"], url
    _nothing_of_the_user_stored(app)
    for url in PAGES:
        with built(app) as seen:
            page = _text(visitor, url)
        assert NAME not in page and ANONYMOUS in page, url
        assert from_cache(seen, way), url
    # signed out: the session is emptied (written), so that answer is not stored either
    user.post("/vyhod/")
    assert ANONYMOUS in _text(user, NEWS_LIST)
    app.extensions["mentoring"].engine.dispose()


def test_a_user_first_on_a_cold_cache_leaves_nothing(host, way):
    app, _ = host
    user = _sign_in(app)
    for url in PAGES:
        assert SIGNED_IN in _text(user, url)
    assert stored_bodies(app) == []
    visitor = app.test_client()
    for url in PAGES:
        page = _text(visitor, url)
        assert NAME not in page and ANONYMOUS in page, url


#: Flask-Login 0.6.3 dates its remember cookie with datetime.utcnow(), deprecated on Python 3.12+.
UTCNOW = "ignore:datetime.datetime.utcnow:DeprecationWarning"


@pytest.mark.filterwarnings(UTCNOW)
def test_the_remember_cookie_alone_signs_in_and_is_never_answered_from_the_cache(host, way):
    """«Запомнить меня»: the browser was closed, the session cookie went, the remember cookie
    stayed. Flask-Login signs the user back in from it (writing the session): their page."""
    app, _ = host
    visitor = app.test_client()
    for _ in range(2):
        _text(visitor, NEWS_LIST)
    user = _sign_in(app, remember=True)
    assert user.get_cookie("remember_token") is not None
    user.delete_cookie("session")
    with built(app) as seen:
        resp = user.get(NEWS_LIST)
    assert SIGNED_IN in resp.get_data(as_text=True)
    assert seen["templates"]
    assert resp.headers["Cache-Control"] == "private, no-cache"
    assert user.get_cookie("session") is not None  # the new session
    _nothing_of_the_user_stored(app)
    assert NAME not in _text(visitor, NEWS_LIST)


def test_a_user_loaded_from_the_request_keeps_session_pages_out(host, way):
    """A host whose Flask-Login also loads users from the request (a token, a proxy's
    header): any request may be someone's, so no page read through it is stored."""
    app, db = host
    manager = app.login_manager

    @manager.request_loader
    def by_token(req):
        return db.session.get(HostUser, 7) if req.headers.get("X-Token") == "t" else None

    token, visitor = app.test_client(), app.test_client()
    for _ in range(2):
        assert SIGNED_IN in _text(token, NEWS_LIST, headers={"X-Token": "t"})
        assert ANONYMOUS in _text(visitor, NEWS_LIST)
    assert stored_bodies(app) == []
    with built(app) as seen:
        assert SIGNED_IN in _text(token, NEWS_LIST, headers={"X-Token": "t"})
    assert seen["templates"]


# -- what is never stored --------------------------------------------------------------------


def test_a_layout_that_writes_the_session_is_never_stored(host, way):
    """A layout writing the session on every page (a CSRF token for its search form, a visit
    counter) gives every visitor a cookie of their own: nothing is stored."""
    app, _ = host
    app.context_processor(lambda: {"visits": session.setdefault("visits", 1)})
    visitor = app.test_client()
    for _ in range(2):
        with built(app) as seen:
            resp = visitor.get(NEWS_LIST)
        assert resp.status_code == 200 and seen["templates"]
        assert resp.headers["Cache-Control"] == "private, no-cache"
    fresh = app.test_client().get(NEWS_LIST)
    assert "Set-Cookie" in fresh.headers
    assert stored_bodies(app) == []


def test_a_request_with_a_session_cookie_is_never_stored(host, way):
    """Even an empty or foreign session cookie: the answer is made for that cookie."""
    app, _ = host
    stranger = app.test_client()
    stranger.set_cookie("session", "not-a-signed-session")
    for _ in range(2):
        with built(app) as seen:
            assert ANONYMOUS in _text(stranger, NEWS_LIST)
        assert seen["templates"]
    assert stored_bodies(app) == []


# -- fresh after a change, and the visually impaired ------------------------------------------


def test_after_a_data_change_the_anonymous_page_is_fresh(host, way):
    app, db = host
    visitor = app.test_client()
    for _ in range(2):
        assert "Свежая новость" not in _text(visitor, NEWS_LIST)
    with app.app_context():
        db.session.add(f.news(title="Свежая новость", published_at=now_utc() - timedelta(hours=1)))
        db.session.commit()
    with built(app) as seen:
        page = _text(visitor, NEWS_LIST)
    assert "Свежая новость" in page and ANONYMOUS in page
    assert seen["templates"]
    with built(app) as seen:
        assert _text(visitor, NEWS_LIST) == page
    assert from_cache(seen, way)


def test_a_vi_visitor_still_gets_their_page(host, way):
    app, _ = host
    visitor, vi = app.test_client(), app.test_client()
    vi.set_cookie(a11y.COOKIE, "v1.size-4", path=PREFIX + "/")
    for _ in range(2):
        assert "m-vi--size-4" not in _text(visitor, NEWS_LIST)
        resp = vi.get(NEWS_LIST)
        assert "m-vi--size-4" in resp.get_data(as_text=True)
        assert resp.headers["Cache-Control"] == "private, no-cache"
    assert "m-vi--size-4" not in _text(visitor, NEWS_LIST)
