"""The section's CSP widened per directive for a host's layout (issue 14, item 17)."""

from __future__ import annotations

import logging

import pytest

from mentoring_site.config import ConfigError
from mentoring_site.csp import widen
from tests.admin_support import ADMIN
from tests.conftest import make_app

CDN = "https://cdn.jsdelivr.net"


def _directives(header: str) -> dict[str, list[str]]:
    return {p.split()[0]: p.split()[1:] for p in header.split(";") if p.strip()}


def test_widening_adds_sources_and_keeps_the_rest():
    policy = "default-src 'self'; img-src 'self'; object-src 'none'"
    got = _directives(widen(policy, {"img-src": ["data:"], "font-src": [CDN]}))
    assert got["img-src"] == ["'self'", "data:"]
    assert got["font-src"] == ["'self'", CDN]  # from default-src, as the browser would
    assert got["object-src"] == ["'none'"]


def test_a_host_layout_gets_its_cdn_and_the_admin_stays_strict(app, tmp_path):
    host = make_app(app.config["MENTORING_DATABASE_URI"], tmp_path / "host",
                    MENTORING_CSP_EXTRA={"style-src": [CDN], "script-src": ["'unsafe-inline'"]})
    try:
        client = host.test_client()
        page = _directives(client.get("/nastavnichestvo/").headers["Content-Security-Policy"])
        assert page["style-src"] == ["'self'", CDN]
        assert page["script-src"] == ["'self'", "'unsafe-inline'"]
        assert page["object-src"] == ["'none'"] and page["frame-ancestors"] == ["'self'"]
        admin = client.get(f"{ADMIN}/vhod/").headers["Content-Security-Policy"]
        assert CDN not in admin and "'unsafe-inline'" not in admin
    finally:
        host.extensions["mentoring"].engine.dispose()


@pytest.mark.parametrize(("extra", "message"), [
    ({"style-src": "https://cdn.example.ru"}, "списком источников"),
    ({"style-src": ["https://x.ru; script-src *"]}, "не должно быть пробелов"),
    ({"style-src": ["https://x.ru;"]}, "«;»"),
    ({"frame-ancestors": ["*"]}, "расширять нельзя"),
    ({"base-uri": ["*"]}, "расширять нельзя"),
    ({"script-src": ["javascript:alert(1)"]}, "не источник CSP"),
    (["style-src"], "словарём"),
])
def test_a_bad_extra_stops_the_start_with_a_russian_message(tmp_path, extra, message):
    with pytest.raises(ConfigError, match=message):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path, MENTORING_CSP_EXTRA=extra)


def test_the_start_explains_the_strict_policy_in_a_host_layout(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    (tmp_path / "templates").mkdir()
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path,
                   MENTORING_BASE_TEMPLATE="base.html")
    app.extensions["mentoring"].engine.dispose()
    assert "MENTORING_CSP_EXTRA" in caplog.text
