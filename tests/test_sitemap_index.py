"""A large section's sitemap becomes a sitemap index of parts (issue 13: 10,000 rows were
one file of 3.6 s and 4.8 MB). Every address of the single sitemap appears in exactly one
part; the index and the parts follow the sitemaps.org protocol (the parts checked against
its XSD when scripts/test.sh has fetched it)."""

from __future__ import annotations

import os
import re
from xml.etree import ElementTree as ET

import pytest

from mentoring_site.config import ConfigError
from tests.conftest import make_app

PREFIX = "/nastavnichestvo"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PER_FILE = 4


@pytest.fixture
def small_parts(seeded_database_uri, tmp_path):
    app = make_app(seeded_database_uri, tmp_path / "parts",
                   MENTORING_SITEMAP_URLS_PER_FILE=PER_FILE)
    yield app.test_client()
    app.extensions["mentoring"].engine.dispose()


def _urlset_locs(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    assert root.tag == f"{NS}urlset"
    return [url.find(f"{NS}loc").text for url in root]


def _xsd():
    path = os.environ.get("MENTORING_SITEMAP_XSD", "")
    if not path or not os.path.isfile(path):
        return None
    from lxml import etree

    return etree.XMLSchema(etree.parse(path))


@pytest.mark.both_databases
def test_every_address_is_in_exactly_one_part_of_the_index(seeded_app, small_parts):
    single = seeded_app.test_client().get(f"{PREFIX}/sitemap.xml")
    assert single.status_code == 200
    expected = _urlset_locs(single.data)
    assert len(expected) > PER_FILE  # the seeded section does need parts

    resp = small_parts.get(f"{PREFIX}/sitemap.xml")
    assert resp.status_code == 200 and resp.mimetype == "application/xml"
    assert resp.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    index = ET.fromstring(resp.data)
    assert index.tag == f"{NS}sitemapindex" and not index.attrib
    parts = []
    for entry in index:
        assert entry.tag == f"{NS}sitemap"
        assert [child.tag for child in entry] == [f"{NS}loc"]
        loc = entry[0].text
        assert re.fullmatch(r"http://localhost/nastavnichestvo/sitemap/[a-z]+-\d+\.xml", loc)
        parts.append(loc)
    assert 0 < len(parts) <= 50_000 and len(set(parts)) == len(parts)

    schema = _xsd()
    found: list[str] = []
    for loc in parts:
        part = small_parts.get(loc.removeprefix("http://localhost"))
        assert part.status_code == 200, loc
        locs = _urlset_locs(part.data)
        assert 0 < len(locs) <= PER_FILE, loc
        if schema is not None:
            from lxml import etree

            assert schema.validate(etree.fromstring(part.data)), schema.error_log
        found += locs
    assert sorted(found) == sorted(expected)
    assert len(set(found)) == len(found)


@pytest.mark.parametrize("path", [
    "/sitemap/lyudi-999.xml", "/sitemap/lyudi-0.xml", "/sitemap/razdely-99.xml",
    "/sitemap/neizvestno-1.xml", "/sitemap/lyudi-99999999999999999999.xml",
    "/sitemap/lyudi-１.xml",
])
def test_a_part_that_does_not_exist_is_404(small_parts, path):
    assert small_parts.get(PREFIX + path).status_code == 404


def test_a_small_section_keeps_one_sitemap(client):
    root = ET.fromstring(client.get(f"{PREFIX}/sitemap.xml").data)
    assert root.tag == f"{NS}urlset"


@pytest.mark.parametrize("value", [0, -5, 50_001, "5000", True])
def test_the_setting_is_checked(tmp_path, value):
    with pytest.raises(ConfigError, match="MENTORING_SITEMAP_URLS_PER_FILE"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path,
                 MENTORING_SITEMAP_URLS_PER_FILE=value)


def test_the_index_validates_against_the_siteindex_schema(small_parts):
    """The sitemaps.org siteindex.xsd, when MENTORING_SITEINDEX_XSD names it (no package
    that scripts/test.sh can fetch ships it: the npm «sitemap» has sitemap.xsd only)."""
    path = os.environ.get("MENTORING_SITEINDEX_XSD", "")
    if not path or not os.path.isfile(path):
        pytest.skip("no siteindex.xsd (MENTORING_SITEINDEX_XSD)")
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(path))
    index = etree.fromstring(small_parts.get(f"{PREFIX}/sitemap.xml").data)
    assert schema.validate(index), schema.error_log
