"""gzip for the section's text answers (issue 13): smaller pages, the same content, the
304s kept, the host's own answers and the files on disk left alone."""

from __future__ import annotations

import gzip

import pytest

from tests.conftest import make_app

GZIP = {"Accept-Encoding": "gzip, deflate"}


@pytest.mark.parametrize("url", ["/nastavnichestvo/", "/nastavnichestvo/api/v1/mentors",
                                 "/nastavnichestvo/feeds/novosti.atom",
                                 "/nastavnichestvo/sitemap.xml"])
def test_text_answers_are_gzipped_for_clients_that_accept_it(seeded_app, url):
    client = seeded_app.test_client()
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    for answer in (plain, packed):
        assert "Accept-Encoding" in answer.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2


@pytest.mark.parametrize("gzip_first", [False, True])
def test_without_the_response_cache_each_client_gets_its_own_form(seeded_database_uri, tmp_path,
                                                                   gzip_first):
    """An answer not kept is zipped only when the client takes gzip: the other client still
    gets the plain page with the strong ETag, the gzip one the same bytes zipped."""
    app = make_app(seeded_database_uri, tmp_path, MENTORING_RESPONSE_CACHE=False)
    client = app.test_client()
    url = "/nastavnichestvo/novosti/"
    try:
        if gzip_first:
            packed, plain = client.get(url, headers=GZIP), client.get(url)
        else:
            plain, packed = client.get(url), client.get(url, headers=GZIP)
    finally:
        app.extensions["mentoring"].engine.dispose()
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] == "W/" + plain.headers["ETag"]
    for answer in (plain, packed):
        assert "Accept-Encoding" in answer.headers["Vary"]


def test_a_compressed_answer_still_gets_its_304(seeded_app):
    client = seeded_app.test_client()
    url = "/nastavnichestvo/api/v1/mentors"
    first = client.get(url, headers=GZIP)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and not again.data


def test_small_answers_files_and_the_hosts_pages_are_left_alone(seeded_app, tmp_path):
    client = seeded_app.test_client()
    small = client.get("/nastavnichestvo/api/v1/summary", headers=GZIP)
    if len(small.get_data()) < 1024:
        assert "Content-Encoding" not in small.headers
    css = client.get("/nastavnichestvo/static/mentoring.css", headers=GZIP)
    assert css.status_code == 200
    assert "Content-Encoding" not in css.headers  # a file from disk: the web server's job
    css.close()
    host = make_app(seeded_app.config["MENTORING_DATABASE_URI"], tmp_path / "h",
                    MENTORING_COMPRESS=False)
    try:
        off = host.test_client().get("/nastavnichestvo/", headers=GZIP)
        assert "Content-Encoding" not in off.headers
    finally:
        host.extensions["mentoring"].engine.dispose()
