"""Numbers in URLs: ``"²".isdigit()`` is true and ``int("²")`` raises, and a 20-digit id
overflows the database — each gave a 500 (issue 14, items 6–7). ``urls.small_int`` is the
one parser; these pages use it."""

from __future__ import annotations

import pytest

from mentoring_site.urls import small_int
from tests.admin_support import ADMIN, signed_in

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
