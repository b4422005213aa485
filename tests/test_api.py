"""The JSON API: its OpenAPI document, pagination, validators and 304, CORS, absolute URLs."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openapi_spec_validator import validate
from werkzeug.http import http_date, parse_date

from mentoring_site import cache, queries, rules
from mentoring_site.clock import now_utc
from mentoring_site.models import (
    AuditEntry,
    Case,
    Consent,
    Person,
    PersonKind,
    Program,
    ProgramStatus,
)
from mentoring_site.queries import open_data

API = "/nastavnichestvo/api/v1"
COLLECTIONS = ["documents", "materials", "programs", "mentors", "mentees", "cases", "honors",
               "news"]


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


def test_the_openapi_document_is_valid_3_1(client):
    resp = client.get(f"{API}/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)
    assert doc["servers"] == [{"url": "http://localhost/nastavnichestvo/api/v1"}]
    assert {f"/{c}" for c in COLLECTIONS} | {"/", "/summary"} == set(doc["paths"])


def test_the_index_links_every_collection(client):
    data = client.get(f"{API}/").get_json()
    assert set(data["collections"]) == {"summary", *COLLECTIONS}
    for url in data["collections"].values():
        assert url.startswith("http://localhost/nastavnichestvo/api/v1/")
        assert client.get(url.removeprefix("http://localhost")).status_code == 200


@pytest.mark.both_databases
def test_summary_has_the_school_the_curator_and_the_figures(seeded_app, client):
    data = client.get(f"{API}/summary").get_json()
    assert data["school"] == "МБОУ «Тестовая школа № 1»"
    assert data["curator"]["name"]
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        clock = queries.Clock.current("Europe/Moscow")
        figures = queries.figures(sess, clock)
        more = queries.registry_figures(sess, clock)
    assert data["figures"] == {
        "mentors": figures.mentors, "mentees": figures.mentees,
        "active_programs": figures.active_programs,
        "completed_programs": figures.completed_programs,
        **asdict(more),
    }
    assert data["feeds"]["news"] == "http://localhost/nastavnichestvo/feeds/novosti.atom"


def test_registry_figures_count_what_the_section_holds(seeded_app, client):
    """The registry's further counts, checked against the records one by one."""
    figures = client.get(f"{API}/summary").get_json()["figures"]
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        clock = queries.Clock.current("Europe/Moscow")
        programs = [p for p in sess.scalars(sa.select(Program)) if rules.is_program_public(p)]
        mentees = list(sess.scalars(sa.select(Person).where(Person.in_mentee_bank.is_(True))))
        running = [p for p in programs if p.status is ProgramStatus.ACTIVE]
        cases = [c for c in sess.scalars(sa.select(Case)) if rules.is_case_public(c, clock.now)]
        groups = sum(p.is_group for p in running)
    assert figures["planned_programs"] == sum(p.status is ProgramStatus.PLANNED
                                              for p in programs)
    assert figures["ended_early_programs"] == sum(p.status is ProgramStatus.ENDED_EARLY
                                                  for p in programs)
    assert figures["groups"] == groups
    assert figures["pairs"] == len(running) - figures["groups"]
    assert figures["mentees_pupils"] == sum(m.kind is PersonKind.STUDENT for m in mentees)
    assert figures["mentees_teachers"] + figures["mentees_pupils"] == figures["mentees"]
    assert figures["cases"] == len(cases) > 0
    assert 0 <= figures["young_specialists_with_mentor"] <= figures["young_specialists"]


@pytest.mark.both_databases
@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_collection_pages_through_all_its_items(client, name):
    first = client.get(f"{API}/{name}?per_page=2").get_json()
    assert first["total"] > 0, name
    assert first["pages"] == -(-first["total"] // 2)
    seen = [item.get("id") for item in first["items"]]
    url = first["links"]["next"]
    while url:
        page = client.get(url.removeprefix("http://localhost")).get_json()
        seen += [item.get("id") for item in page["items"]]
        url = page["links"]["next"]
    assert len(seen) == first["total"]
    assert len(set(seen)) == len(seen), name


def test_a_page_past_the_end_is_empty_not_an_error(client):
    resp = client.get(f"{API}/cases?page=999")
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["items"] == [] and data["links"]["next"] is None
    assert data["links"]["prev"].endswith(f"page={data['pages']}&per_page=12")


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "page=-1", "page=100001", "per_page=0", "per_page=101",
    "page=１", "status=archived", "kind=event", "in_force=yes",
])
def test_bad_arguments_answer_400_with_a_russian_message(client, query):
    name = {"status": "programs", "kind": "news", "in_force": "documents"}.get(
        query.split("=")[0], "cases")
    resp = client.get(f"{API}/{name}?{query}")
    assert resp.status_code == 400
    assert "Параметр" in resp.get_json()["error"]


@pytest.mark.both_databases
def test_filters_select_what_the_pages_select(client):
    repealed = client.get(f"{API}/documents?in_force=false").get_json()["items"]
    assert repealed and all(not d["in_force"] for d in repealed)
    assert all(d["in_force"] for d in client.get(f"{API}/documents").get_json()["items"])
    done = client.get(f"{API}/programs?status=completed").get_json()["items"]
    assert done and all(p["status"]["value"] == "completed" for p in done)
    news = client.get(f"{API}/news?kind=announcement").get_json()["items"]
    assert news and all(n["kind"]["value"] == "announcement" and n["event"] for n in news)


@pytest.mark.both_databases
def test_etag_and_if_none_match_answer_304(seeded_app, client):
    first = client.get(f"{API}/cases")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Last-Modified"]
    again = client.get(f"{API}/cases", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    weak = client.get(f"{API}/cases", headers={"If-None-Match": f"W/{etag}, \"other\""})
    assert weak.status_code == 304
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        case = sess.scalars(sa.select(Case).where(rules.case_clause(now_utc()))).first()
        case.title = "Новое название кейса"
        sess.commit()
    changed = client.get(f"{API}/cases", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Новое название кейса" in changed.get_data(as_text=True)


@pytest.mark.both_databases
def test_if_modified_since_answers_304_until_something_changes(seeded_app, client):
    first = client.get(f"{API}/news")
    stamp = first.headers["Last-Modified"]
    assert client.get(f"{API}/news", headers={"If-Modified-Since": stamp}).status_code == 304
    earlier = http_date(parse_date(stamp) - timedelta(seconds=1))
    assert client.get(f"{API}/news", headers={"If-Modified-Since": earlier}).status_code == 200
    if (now_utc() - parse_date(stamp).replace(tzinfo=None)).total_seconds() < 1.5:
        time.sleep(1.5)  # Last-Modified has one-second resolution
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        public = sess.scalars(sa.select(Case).where(rules.case_clause(now_utc()))).first()
        public.summary = "Правка"  # a public case: a hidden one's edit moves nothing
        sess.commit()
    assert client.get(f"{API}/news", headers={"If-Modified-Since": stamp}).status_code == 200


@pytest.mark.both_databases
def test_last_change_sees_deletions_and_the_rules_clocks(seeded_app):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        now = datetime(2099, 1, 1, 12, 0)
        clock = queries.Clock(now=now, today=date(2099, 1, 1))
        before = open_data.last_change(sess, clock, "Europe/Moscow")
        assert before < now - timedelta(days=1000)
        sess.add(AuditEntry(at=now - timedelta(hours=1), actor="t", action="delete",
                            item_kind="case", changes={AuditEntry.HID_PUBLIC: [True, False]}))
        sess.flush()
        assert open_data.last_change(sess, clock, "Europe/Moscow") == now - timedelta(hours=1)
        consent = sess.scalars(sa.select(Consent)).first()
        consent.withdrawn_on = date(2099, 1, 1)
        sess.flush()
        # Local midnight of 1 January in Moscow is 21:00 UTC on 31 December; the edit
        # stamp of the consent is today's date, so the audit entry is still the latest.
        assert open_data.last_change(sess, clock, "Europe/Moscow") == now - timedelta(hours=1)
        late = queries.Clock(now=now + timedelta(days=400), today=date(2100, 2, 5))
        consent.valid_until, consent.withdrawn_on = date(2100, 2, 1), None
        sess.flush()
        assert open_data.last_change(sess, late, "UTC") == datetime(2100, 2, 2)


def test_cors_allows_get_from_anywhere(client):
    resp = client.get(f"{API}/summary", headers={"Origin": "https://uo.example.ru"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in resp.headers["Access-Control-Expose-Headers"]
    pre = client.options(f"{API}/mentors", headers={
        "Origin": "https://uo.example.ru", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in pre.headers["Access-Control-Allow-Headers"]
    assert client.post(f"{API}/summary").status_code == 405


@pytest.mark.parametrize("path", [f"{API}/summary", f"{API}/cases", "/nastavnichestvo/sitemap.xml",
                                  "/nastavnichestvo/feeds/novosti.atom"])
def test_absolute_urls_ignore_a_forged_host(seeded_app, client, path):
    forged = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in forged
    assert "http://localhost/nastavnichestvo/" in forged
    seeded_app.config["MENTORING_SITE_URL"] = "https://school7.example.ru"
    cache.forget(seeded_app)  # settings changed after start: what was stored is forgotten
    body = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in body and "localhost" not in body
    assert "https://school7.example.ru/nastavnichestvo/" in body
