"""The README's nginx recipe (docs/nginx.conf), run for real in front of the demo section.

What a visitor meets through the shared cache: an ordinary page kept and served again, the
visually-impaired version never taken from it, the management and the curator's cookie never
in it, a person's photo not kept, gzip, static files from disk with a long life; on a host
whose layout shows its Flask-Login user, the anonymous page kept once and a signed-in user
(session or remember cookie) never answered from it. nginx is the
Debian package (scripts/test.sh installs it); without it the module skips, or fails under CI
(MENTORING_REQUIRE_NGINX=1).
"""

from __future__ import annotations

import gzip
import http.client
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import today
from mentoring_site.models import Person
from tests.browser import serve_app
from tests.nginx_support import Nginx, find_nginx

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nginx")]

SECTION = "/nastavnichestvo"
NEWS = f"{SECTION}/novosti/"
VI_COOKIE = "mentoring_vi=v1.size-3.scheme-wb"
VI_PAGE = 'class="mentoring m-vi '  # the section's wrapper in the VI version


def _nginx() -> str:
    binary = find_nginx()
    if binary is None:
        if os.environ.get("MENTORING_REQUIRE_NGINX") == "1":
            pytest.fail("nginx is required (MENTORING_REQUIRE_NGINX=1): apt-get install nginx",
                        pytrace=False)
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return binary


@pytest.fixture(scope="module")
def site(module_seeded_app, tmp_path_factory) -> Iterator[str]:
    """The seeded section behind nginx: nginx's address."""
    binary = _nginx()
    folder = tmp_path_factory.mktemp("nginx")
    static = folder / "site-static"
    static.mkdir()
    (static / "site.css").write_text("body { color: #222; }\n" * 200, encoding="utf-8")
    with serve_app(module_seeded_app) as app_server:
        nginx = Nginx(folder / "nginx", app_server.url.removeprefix("http://"), static)
        nginx.start(binary)
        try:
            yield nginx.url
        finally:
            nginx.stop()


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.raw = response.read()

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache-Status", "")

    @property
    def text(self) -> str:
        body = self.raw
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", errors="replace")


def get(site: str, path: str, **headers: str) -> Answer:
    host, port = site.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        return Answer(conn.getresponse())
    finally:
        conn.close()


def shown_photo(app) -> str:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for person in sess.scalars(sa.select(Person).where(Person.photo_id.is_not(None))):
            if rules.shows_photo(person, today()):
                return f"{SECTION}/media/{person.photo.stored_name}"
    raise AssertionError("the demo shows no photo")


def test_the_section_answers_through_nginx(site):
    answer = get(site, NEWS)
    assert answer.status == 200
    assert "Новости" in answer.text
    assert '<div class="mentoring">' in answer.text and VI_PAGE not in answer.text


def test_an_ordinary_page_is_kept_and_served_again(site):
    path = f"{SECTION}/luchshie-praktiki/"
    first, second = get(site, path), get(site, path)
    assert first.status == second.status == 200
    assert first.cache in {"MISS", "EXPIRED", "REVALIDATED"}
    assert second.cache == "HIT"
    assert second.raw == first.raw


def test_an_ordinary_page_says_a_shared_cache_may_keep_it(site):
    answer = get(site, NEWS)
    parts = {p.strip().split("=")[0] for p in answer.headers.get("Cache-Control", "").split(",")}
    assert {"public", "s-maxage"} <= parts
    assert "cookie" not in answer.headers.get("Vary", "").lower()


def test_a_visually_impaired_visitor_never_gets_the_kept_page(site):
    get(site, NEWS), get(site, NEWS)  # the ordinary page, kept if the app allows it
    answer = get(site, NEWS, Cookie=VI_COOKIE)
    assert answer.status == 200
    assert answer.cache == "BYPASS"
    assert VI_PAGE in answer.text and "m-vi--size-3" in answer.text
    assert "mentoring-vi.css" in answer.text
    after = get(site, NEWS)
    assert VI_PAGE not in after.text  # nor is the VI page kept for others


def test_a_visually_impaired_page_says_it_is_private(site):
    answer = get(site, NEWS, Cookie=VI_COOKIE)
    parts = {p.strip() for p in answer.headers.get("Cache-Control", "").split(",")}
    assert "private" in parts or "no-store" in parts


def test_the_management_is_never_kept(site):
    path = f"{SECTION}/admin/vhod/"
    first, second = get(site, path), get(site, path)
    assert first.status == second.status == 200
    assert first.cache == second.cache == ""  # the cache is not even asked
    assert "no-store" in second.headers["Cache-Control"]


@pytest.mark.parametrize("cookie", ["mentoring_admin=x", "mentoring_admin_pending=x",
                                    "session=x"])
def test_a_signed_in_request_bypasses_the_cache(site, cookie):
    get(site, NEWS), get(site, NEWS)
    answer = get(site, NEWS, Cookie=cookie)
    assert answer.status == 200
    assert answer.cache == "BYPASS"


def test_a_person_photo_is_not_kept(site, module_seeded_app):
    path = shown_photo(module_seeded_app)
    first, second = get(site, path), get(site, path)
    assert first.status == second.status == 200
    assert first.headers["Content-Type"].startswith("image/")
    assert second.cache != "HIT"
    assert second.headers["Cache-Control"] == "no-cache"


def test_pages_are_compressed_for_clients_that_ask(site):
    answer = get(site, NEWS, **{"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Новости" in answer.text
    plain = get(site, NEWS)
    assert "Content-Encoding" not in plain.headers


def test_the_section_stylesheet_comes_from_disk_for_a_year(site):
    page = get(site, NEWS).text
    start = page.index(f"{SECTION}/static/mentoring.css")
    href = page[start:page.index('"', start)].replace("&amp;", "&")
    answer = get(site, href, **{"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/css")
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.cache == ""  # nginx read the file; the app was not asked
    shipped = Path(__file__).resolve().parent.parent / "themes/default/static/mentoring.css"
    assert answer.text == shipped.read_text(encoding="utf-8")


def test_the_site_static_files_are_served_by_nginx(site):
    answer = get(site, "/static/site.css", **{"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "max-age=604800" in answer.headers["Cache-Control"]
    assert get(site, f"{SECTION}/static/../../etc/passwd").status in {400, 404}


# -- a host whose layout shows its Flask-Login user ---------------------------------------------


#: Flask-Login 0.6.3 dates its remember cookie with datetime.utcnow(), deprecated on Python 3.12+.
UTCNOW = "ignore:datetime.datetime.utcnow:DeprecationWarning"


@pytest.fixture
def login_site(database_uri, tmp_path) -> Iterator[tuple[str, dict[str, str]]]:
    """tests/host_site (Flask-Login, its layout showing the user) behind the recipe: nginx's
    address and the cookies of a signed-in user who asked to be remembered."""
    from mentoring_site.migrate import upgrade
    from tests.host_site import HostUser, create_host_app

    binary = _nginx()
    app, db = create_host_app(database_uri, tmp_path)
    upgrade(app)
    with app.app_context():
        db.create_all()
        db.session.add(HostUser(id=7, name="Ирина Хостова"))
        db.session.commit()
    signing = app.test_client()
    assert signing.post("/vhod/7?remember=1").status_code == 200
    cookies = {name: signing.get_cookie(name).value for name in ("session", "remember_token")}
    static = tmp_path / "site-static"
    static.mkdir()
    with serve_app(app) as app_server:
        nginx = Nginx(tmp_path / "nginx", app_server.url.removeprefix("http://"), static)
        nginx.start(binary)
        try:
            yield nginx.url, cookies
        finally:
            nginx.stop()
            app.extensions["mentoring"].engine.dispose()


@pytest.mark.filterwarnings(UTCNOW)
def test_a_flask_login_hosts_anonymous_page_is_kept_once(login_site):
    """Flask-Login reads the session on every page, so every page says «Vary: Cookie»: nginx
    keeps the anonymous page for requests without cookies, and no copy per visitor with
    another cookie (a counter's), whom the app answers from its own cache."""
    site, _ = login_site
    first, second = get(site, NEWS), get(site, NEWS)
    assert first.cache in {"MISS", "EXPIRED"} and second.cache == "HIT"
    assert second.raw == first.raw and "Войти" in second.text
    assert "cookie" in ",".join(second.headers.get_all("Vary") or []).lower()
    assert "s-maxage" in second.headers["Cache-Control"]
    for _ in range(2):
        counted = get(site, NEWS, Cookie="_ym_uid=1700000000123456789")
        assert counted.status == 200 and counted.cache == "MISS"  # asked, never kept
        assert counted.text == first.text
    assert get(site, NEWS).cache == "HIT"


@pytest.mark.filterwarnings(UTCNOW)
@pytest.mark.parametrize("which", ["session", "remember_token"])
def test_a_flask_login_user_bypasses_the_cache_and_is_never_kept(login_site, which):
    site, cookies = login_site
    get(site, NEWS), get(site, NEWS)
    for _ in range(2):
        answer = get(site, NEWS, Cookie=f"{which}={cookies[which]}")
        assert answer.status == 200 and answer.cache == "BYPASS"
        assert "Вы вошли: Ирина Хостова" in answer.text
        assert "private" in answer.headers["Cache-Control"]
    after = get(site, NEWS)
    assert after.cache == "HIT" and "Ирина Хостова" not in after.text
