"""Numbers in URLs: ``"²".isdigit()`` is true and ``int("²")`` raises, and a 20-digit id
overflows the database — each gave a 500 (issue 14, items 6–7). ``urls.small_int`` is the
one parser; these pages use it."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from mentoring_site.urls import MAX_ID, small_int
from tests.admin_support import ADMIN, signed_in, token

PREFIX = "/nastavnichestvo"
HOSTILE = ["²", "①", "¹", "١", "１", "9" * 20, "-1", "1.0", " 1", "", "0x1"]


@pytest.mark.parametrize("raw", HOSTILE)
def test_small_int_refuses_what_is_not_a_plain_number(raw):
    assert small_int(raw, lo=1) is None


def test_small_int_reads_plain_numbers_within_bounds():
    assert small_int("7") == 7 and small_int("0") == 0
    assert small_int("0", lo=1) is None and small_int("100", hi=99) is None
    assert small_int(None) is None and small_int(7) is None


@pytest.mark.parametrize("raw", HOSTILE)
@pytest.mark.parametrize("path", ["novosti/", "programmy/", "nastavniki/", "dokumenty/"])
def test_public_lists_answer_404_never_500(app, path, raw):
    resp = app.test_client().get(f"{PREFIX}/{path}", query_string={"page": raw})
    assert resp.status_code in (200, 404), (path, raw)


@pytest.mark.parametrize("raw", HOSTILE)
def test_admin_lists_and_journal_never_500(app, raw):
    client = signed_in(app)
    for path in ("novosti/", "zhurnal/", "otvety/"):
        resp = client.get(f"{ADMIN}/{path}", query_string={"page": raw, "anketa": raw,
                                                            "item": raw, "kind": "news"})
        assert resp.status_code == 200, (path, raw, resp.status_code)


# -- every route of the url_map --------------------------------------------------------------
#
# Werkzeug's ``<int:…>`` matches ``\d+``: Unicode digits («١» was read as 1) and numbers of any
# length, which SQLite refuses to bind (over 2**63) and PostgreSQL's ``integer`` overflows
# (over 2**31 - 1). Every id in our URLs is ``<mentoring_id:…>`` (urls.IdConverter): a plain
# number the database can hold, or the answer is a 404.

_PATH_HOSTILE = ["²", "①", "١", "１", "9" * 20, str(MAX_ID), str(MAX_ID + 1), str(2**63), "-1",
                 "0", "0" * 30]
_ARG = re.compile(r"<(?:(?P<conv>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")
_NUMBERS = ("int", "mentoring_id")
_PLAIN = {"slug": "net-takoy", "name": "0" * 32 + ".pdf", "fmt": "docx", "filename": "x.css",
          "token": "x"}


def _our_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX)]


def _path(rule, number: str) -> str:
    def one(match: re.Match) -> str:
        if match["conv"] in _NUMBERS:
            return number
        return _PLAIN.get(match["name"], "x")
    return _ARG.sub(one, rule.rule)


def _walk(client, csrf: str) -> list[str]:
    bad = []
    for rule in _our_rules(client.application):
        if any(m["conv"] in _NUMBERS for m in _ARG.finditer(rule.rule)):
            for raw in _PATH_HOSTILE:
                url = _path(rule, raw)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    resp = client.open(url, method=method, data={"csrf_token": csrf})
                    if resp.status_code != 404:
                        bad.append(f"{method} {url} -> {resp.status_code}")
        if "GET" in rule.methods:
            url = _path(rule, "1")
            for raw in ("²", "①", "¹", "9" * 20, str(2**63)):
                resp = client.get(url, query_string={"page": raw, "id": raw})
                if resp.status_code >= 500:
                    bad.append(f"GET {url}?page={raw} -> {resp.status_code}")
    return bad


def test_every_id_in_our_urls_is_bounded(app):
    """No rule of ours uses Werkzeug's unbounded ``int`` converter."""
    loose = [r.rule for r in _our_rules(app)
             if any(isinstance(c, IntegerConverter) for c in r._converters.values())]
    assert not loose, loose
    assert small_int(str(MAX_ID)) == MAX_ID and small_int(str(MAX_ID + 1)) is None


@pytest.mark.both_databases
def test_every_route_answers_hostile_numbers_with_a_404(app):
    """Public and admin (signed in), GET and POST (with a valid CSRF token): a hostile
    number in the path is a 404; in ``?page=`` or ``?id=`` never a 500."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is counted, not raised
    client = signed_in(app)
    csrf = token(client, f"{ADMIN}/novosti/novaya/")
    bad = _walk(client, csrf)
    assert not bad, "\n".join(bad)


def test_a_hosts_own_converter_of_our_name_is_not_replaced(tmp_path):
    from flask import Flask
    from werkzeug.routing import BaseConverter

    from mentoring_site import Mentoring

    host = Flask("host", instance_path=str(tmp_path))
    host.config.update(SECRET_KEY="x", MENTORING_DATABASE_URI=f"sqlite:///{tmp_path}/m.db")
    host.url_map.converters["mentoring_id"] = BaseConverter
    with pytest.raises(RuntimeError, match="конвертер адресов"):
        Mentoring(host)
