"""Nothing the rules hide appears in any API answer, feed, calendar, the sitemap or the widget.

The same hidden things as tests/test_leaks.py (people without consent, fields without
consent, students' last names, drafts, scheduled and unpublished items, cases of
unfinished programmes, hidden programmes), searched in every open-data answer of the
seeded demo, each collection read to its last page.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.models import Person
from tests.conftest import SEED_TODAY
from tests.leak_checks import (  # noqa: F401 - the shared checks, run on the open data
    corpus_of,
    read_with_hidden_things,
    test_fields_without_consent_appear_nowhere,
    test_hidden_items_appear_nowhere,
    test_hidden_people_appear_nowhere,
    test_hidden_programs_honors_and_private_files_appear_nowhere,
    test_questionnaire_answers_appear_nowhere,
    test_registrations_and_their_addresses_appear_nowhere,
    test_students_show_neither_a_last_name_nor_a_page,
)

# Both databases: hidden personal data must reach no open data on either
# (see tests/conftest.py).
pytestmark = pytest.mark.both_databases

PREFIX = "/nastavnichestvo"
API = PREFIX + "/api/v1"


def _unfold_ics(text: str) -> str:
    text = re.sub(r"\r\n[ \t]", "", text)
    return text.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace(
        "\\;", ";").replace("\\\\", "\\")


def read_everything(client) -> dict[str, str]:
    """Every open-data answer, as the text a consumer ends up with."""
    out: dict[str, str] = {}
    index = client.get(f"{API}/").get_json()
    for name, url in index["collections"].items():
        url = url.removeprefix("http://localhost")
        variants = {"documents": ["", "in_force=false"], "news": ["", "kind=announcement"],
                    "programs": ["", "status=completed", "status=ended_early"]}
        for extra in variants.get(name, [""]):
            next_url = f"{url}?per_page=100" + (f"&{extra}" if extra else "")
            while next_url:
                resp = client.get(next_url)
                assert resp.status_code == 200, next_url
                data = resp.get_json()
                out[next_url] = json.dumps(data, ensure_ascii=False)
                links = data.get("links") if isinstance(data, dict) else None
                next_url = links["next"].removeprefix("http://localhost") if links and \
                    links.get("next") else None
    for path in ("/feeds/novosti.atom", "/feeds/luchshie-praktiki.atom", "/sitemap.xml",
                 "/vidzhet/?n=10", "/vidzhet/fragment.html?n=10"):
        out[path] = unescape(unescape(client.get(PREFIX + path).get_data(as_text=True)))
    out["/feeds/anonsy.ics"] = _unfold_ics(
        client.get(PREFIX + "/feeds/anonsy.ics").get_data(as_text=True))
    # JSON text escapes nothing but quotes and backslashes with ensure_ascii=False; the
    # HTML inside it still has entities: unescape so «&quot;» hides no name.
    return {k: unescape(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def _texts(module_seeded_app):
    """Read once per module and backend: the tests that change the data take their own app."""
    return read_with_hidden_things(module_seeded_app, read_everything)


@pytest.fixture
def corpus(module_seeded_app, _texts):
    yield from corpus_of(module_seeded_app, _texts)


def test_the_reading_covers_every_kind_of_answer(corpus):
    everything, _ = corpus
    assert len(everything) >= 15
    joined = "\n".join(everything.values())
    for marker in ("/lyudi/", "/luchshie-praktiki/", "/programmy/", "/novosti/", "/media/",
                   "BEGIN:VEVENT", "<entry>", "<urlset"):
        assert marker in joined, marker


def test_people_in_the_banks_carry_exactly_their_public_fields(corpus):
    everything, sess = corpus
    by_id = {p.id: p for p in sess.scalars(sa.select(Person)).all()}
    items = [item for url, body in everything.items()
             if "/api/v1/mentors" in url or "/api/v1/mentees" in url
             for item in json.loads(body)["items"]]
    assert len(items) > 5
    for item in items:
        public = rules.public_person(by_id[item["id"]], SEED_TODAY)
        assert public is not None and item["name"] == public.name
        for field in ("position", "subjects", "qualification", "experience_years"):
            assert item[field] == getattr(public, field), (public.name, field)
        for field in ("bio", "awards", "photo"):
            assert (item[field + "_html" if field != "photo" else field] is None) == (
                getattr(public, field) is None), (public.name, field)


def test_levels_go_only_with_completed_programmes_and_their_named_mentees(corpus):
    """The demo publishes levels (issue 10): a level only for a completed programme, a
    mentee's only for a mentee the answer names, never points; the summary only counts."""
    everything, _ = corpus
    programs = {item["id"]: item for url, body in everything.items()
                if "/api/v1/programs" in url for item in json.loads(body)["items"]}
    with_levels = [p for p in programs.values() if p["effectiveness"]]
    assert len(with_levels) >= 2
    for p in programs.values():
        if p["effectiveness"] is None:
            continue
        assert p["status"]["value"] == "completed", p["slug"]
        assert set(p["effectiveness"]) == {"sheet", "level", "counts", "mentees"}
        for m in p["effectiveness"]["mentees"]:
            assert set(m) == {"person", "level"} and m["person"] in p["mentees"], p["slug"]
    [summary] = [json.loads(body) for url, body in everything.items() if url.startswith(
        f"{API}/summary")]
    counts = summary["effectiveness"]
    assert sum(c["count"] for c in counts) == sum(
        1 for p in with_levels if p["effectiveness"]["level"])
    assert all(set(c) == {"level", "min_total", "max_total", "count"} for c in counts)
