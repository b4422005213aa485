"""The office's leak walk: every public page of the office demo's site, and nothing private.

Issue 12, «Done when»: the office's pages pass the leak walk. The office demo
(``municipal.demo.build``) is served as ``python -m mentoring_site municipal`` serves it (a
real server on loopback, the demo schools read over HTTP), then a few hidden things are
added through the same rules the admin and the schools' API use, each with a marker no
public text may hold. The walk reads every public address of the office's app: each
parameterless GET rule of its url_map (registry pages, League, management mentoring, their
CSV and JSON, the office's section), one address per school or member for the rules that
take one, every link and GET-form choice on the pages it reads, and the section's open data
(tests/test_open_data_leaks.read_everything). Then it asserts, from the database rather
than from a list typed here, that nothing private appears anywhere:

- the League: applications and refused organisations, their notes and reasons, contacts
  the office did not mark public;
- management mentoring: programmes in draft or submitted state, their plans, and every
  team member's name, phone and e-mail;
- private files; the schools' keys (the raw key and its stored digest).
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from mentoring_site.clock import today
from mentoring_site.demo.pictures import pdf_document
from mentoring_site.media.storage import store_document
from mentoring_site.models import MediaFile
from mentoring_site.models.league import LeagueKey, LeagueMember, LeagueState
from mentoring_site.models.management import MgmtMember, MgmtProgram, MgmtTeam, TeamKind
from mentoring_site.models.registry import RegistrySchool
from mentoring_site.municipal import demo as office_demo
from mentoring_site.municipal import league
from mentoring_site.municipal import rules as office_rules
from tests.test_open_data_leaks import read_everything

pytestmark = pytest.mark.xdist_group("officedemo")

# Markers: each hidden thing added here carries one, so a leak is found by a plain search.
APPLICATION = {"name": "Заявкина Маркер-3a1f Ивановна", "position": "Должность-маркер-3a1f",
               "phone": "+7 (000) 555-31-01", "email": "zayavka-3a1f@example.ru"}
APPLICATION_NOTE = "Примечание-маркер-3a1f: опыт школы для управления"
REFUSED = "АНО «Отклонённая-маркер-7c2e»"
REFUSED_NOTE = "Примечание-маркер-7c2e: только для управления"
REFUSED_REASON = "Причина-маркер-7c2e: нет опыта наставничества"
REFUSED_CONTACT = {"name": "Отказова Маркер-7c2e Петровна", "position": None,
                   "phone": "+7 (000) 555-72-02", "email": "otkaz-7c2e@example.ru"}
QUIET = "Колледж «Тихая гавань»"  # included by an order, its contact not published
QUIET_CONTACT = {"name": "Тихонова Маркер-9d4b Сергеевна", "position": "Должность-маркер-9d4b",
                 "phone": "+7 (000) 555-94-03", "email": "tihonova-9d4b@example.ru"}
QUIET_NOTE = "Примечание-маркер-9d4b: включённой, но не публичное"
TEAM_MEMBER = {"name": "Командная Маркер-5e6a Олеговна", "position": "Должность-маркер-5e6a",
               "phone": "+7 (000) 555-56-04", "email": "komanda-5e6a@example.ru"}
DRAFT = "Черновик-маркер-2b8d: программа, которую видит только управление"
PRIVATE_FILE = "chastnyi-fail-marker-4f0c.pdf"

SKIP = ("/static/", "/dlya-slabovidyashchih/", "/admin/")
HREF = re.compile(r'(?:href|src)="([^"#]+)')
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
TEXT_TYPES = ("application/json", "application/xml", "application/atom+xml")


# -- the office demo, served, read, and given its hidden things ---------------------------------


def _add_hidden_things(demo, site: str) -> dict[str, str]:
    """The markers' rows, through the rules the admin and the API use; the schools' raw keys
    are returned (only their digests are stored)."""
    app = demo.app
    client = app.test_client()
    keys: dict[str, str] = {}
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        schools = sess.scalars(sa.select(RegistrySchool).order_by(RegistrySchool.position)).all()
        for school in schools:
            keys[school.key] = league.issue_key(sess, school)
        directions = league.directions(sess)
        refused = league.save_member(
            sess, LeagueMember(), organisation=REFUSED, school=None, chosen=directions[:1],
            contact=league.clean_contact(*REFUSED_CONTACT.values()), contacts_public=True,
            note=REFUSED_NOTE)
        league.reject(refused, REFUSED_REASON)
        folder = app.extensions["mentoring"].upload_folder
        quiet = league.save_member(
            sess, LeagueMember(), organisation=QUIET, school=None, chosen=directions[1:2],
            contact=league.clean_contact(*QUIET_CONTACT.values()), contacts_public=False,
            note=QUIET_NOTE)
        order = store_document(sess, folder, pdf_document("Приказ", ["О Лиге"]),
                               original_name="prikaz-tihiy.pdf", content_type="application/pdf")
        league.include(quiet, "77-о", today(app.config["MENTORING_TIMEZONE"]), order.id)
        store_document(sess, folder, pdf_document("Служебная записка", ["Только управлению"]),
                       original_name=PRIVATE_FILE, content_type="application/pdf",
                       private=True)
        experienced = sess.scalars(sa.select(MgmtTeam).where(
            MgmtTeam.kind == TeamKind.EXPERIENCED)).first()
        assert experienced is not None, "the demo should keep an experienced team"
        sess.add(MgmtMember(team_id=experienced.id, **TEAM_MEMBER))
        sess.add(MgmtProgram(title=DRAFT, coordinator="Координатор-маркер-2b8d",
                             teams=[experienced]))
        third, direction = schools[2].key, directions[2].name
        sess.commit()
    # an application as a school sends it: over the API, with the school's key
    body = {"directions": [direction], "note": APPLICATION_NOTE, "contact": APPLICATION}
    sent = client.post("/api/liga/zayavki", data=json.dumps(body, ensure_ascii=False),
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {keys[third]}"})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    return keys


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The office demo as ``python -m mentoring_site municipal`` starts it, schools read."""
    later = office_demo._Later()
    server = make_server("127.0.0.1", 0, later, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    site = f"http://127.0.0.1:{server.server_port}"
    demo = office_demo.build(tmp_path_factory.mktemp("office-demo"), site)
    later.app = demo.wsgi
    thread.start()
    try:
        with demo.app.app_context():
            reports = demo.app.extensions["municipal"].aggregate()
        assert len(reports) == len(office_demo.SCHOOLS)
        keys = _add_hidden_things(demo, site)
        yield demo, keys
    finally:
        server.shutdown()
        server.server_close()
        office_demo.close(demo)


# -- the walk ---------------------------------------------------------------------------------


def _form_choices(html: str) -> list[str]:
    """The addresses a GET form's selects lead to, one choice at a time."""
    return [f"{unescape(action)}?{name}={unescape(value)}"
            for action, body in GET_FORM.findall(html)
            for name, options in SELECT.findall(body)
            for value in OPTION.findall(options)]


def _starts(app) -> list[str]:
    """Every public GET rule: as is when it takes nothing, else once per school or member."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        school_keys = list(sess.scalars(sa.select(RegistrySchool.key)))
        member_ids = list(sess.scalars(sa.select(LeagueMember.id)))
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "admin" in rule.endpoint \
                or any(s in rule.rule for s in SKIP):
            continue
        if not rule.arguments:
            urls.append(rule.rule)
        elif rule.endpoint == "municipal.mgmt_school_programs":
            urls += [f"/api/upravlencheskoe-nastavnichestvo/{k}.json" for k in school_keys]
        elif rule.endpoint == "municipal.league_order":
            urls += [f"/liga/{i}/prikaz" for i in member_ids]
    return sorted(urls)


def _text(response) -> str:
    if response.mimetype == "application/json":  # as a reader gets it, letters unescaped
        text = json.dumps(response.get_json(), ensure_ascii=False)
        return unescape(unescape(text))
    if response.mimetype.startswith("text/") or response.mimetype in TEXT_TYPES:
        text = response.get_data(as_text=True)
        # JSON and HTML keep entities inside; twice: a feed's HTML inside XML
        return unescape(unescape(text))
    response.close()
    return ""  # a file: its address is what the checks look for


def walk(app, site: str) -> tuple[dict[str, str], dict[str, int]]:
    """Every public address of the office's app: ``(texts by address, status by address)``."""
    client = app.test_client()
    adapter = app.url_map.bind("localhost")
    texts: dict[str, str] = {}
    statuses: dict[str, int] = {}
    linked: set[str] = set()
    queue = deque(_starts(app))
    while queue:
        url = queue.popleft()
        if url in statuses:
            continue
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200:
            response.close()
            continue
        texts[url] = text = _text(response)
        if not response.mimetype.startswith("text/html"):
            continue
        for href in [*HREF.findall(text), *_form_choices(text)]:
            for own in ("http://localhost", site):
                href = href.removeprefix(own)
            if not href.startswith("/") or href.startswith("//") or any(s in href for s in SKIP):
                continue  # another site (a school's section), mail, or not a page to read
            try:
                adapter.match(urlsplit(href).path, method="GET")
            except Exception:  # noqa: BLE001 - not the office's (a school mounted beside it)
                continue
            linked.add(href)
            if href not in statuses:
                queue.append(href)
    texts.update({f"api:{k}": v for k, v in read_everything(client).items()})
    broken = {url: statuses[url] for url in linked if statuses[url] != 200}
    assert not broken, broken  # every link on a public page leads somewhere
    return texts, statuses


@pytest.fixture(scope="module")
def walked(office):
    demo, _keys = office
    return walk(demo.app, demo.site)


@pytest.fixture
def corpus(office, walked):
    demo, keys = office
    with demo.app.app_context():
        yield walked[0], demo.app.extensions["mentoring"].session(), keys


def nowhere(texts: dict[str, str], needle: str) -> list[str]:
    """The addresses whose text shows ``needle`` (an empty list is what the tests want)."""
    return [url for url, text in texts.items() if needle in text]


def _public_contacts(sess) -> set[str]:
    """What the office chose to publish: the contacts of members included with «публиковать
    контакт» (the same person may also sit in a management team)."""
    shown = set()
    for m in league.published(sess):
        if m.contacts_public:
            shown |= {v for v in (m.contact_name, m.contact_phone, m.contact_email) if v}
    return shown


# -- the tests --------------------------------------------------------------------------------


def test_the_walk_reaches_every_public_page_of_the_office(office, walked):
    demo, _keys = office
    texts, statuses = walked
    adapter = demo.app.url_map.bind("localhost")
    reached = {adapter.match(urlsplit(u).path, method="GET")[0]
               for u, status in statuses.items() if status == 200}
    public = {r.endpoint for r in demo.app.url_map.iter_rules()
              if "GET" in r.methods and r.endpoint.split(".")[0] in ("municipal",
                                                                      "municipal_api")
              and r.endpoint != "municipal.static"}
    assert public <= reached, sorted(public - reached)
    for endpoint in ("mentoring.index", "mentoring.documents", "mentoring.news",
                     "mentoring.news_item", "mentoring.materials", "mentoring_api.summary",
                     "mentoring_api.calendar", "mentoring.media"):
        assert endpoint in reached, endpoint
    # the registry read the demo schools: their mentors and cases are on the pages
    assert "обновлён" in texts["/"] and len(texts) > 60
    assert any("?shkola=" in url for url in texts)  # the filters' choices were followed


def test_league_applications_refusals_notes_and_reasons_appear_nowhere(corpus):
    texts, sess, _keys = corpus
    hidden = sess.scalars(sa.select(LeagueMember).where(
        LeagueMember.state != LeagueState.INCLUDED)).all()
    states = {m.state for m in hidden}
    assert states == {LeagueState.APPLICATION, LeagueState.REJECTED}, states
    assert len(hidden) >= 4  # the demo's two, and the marker's two
    league_pages = {u: t for u, t in texts.items() if u.startswith(("/liga", "/api/liga"))}
    assert "/liga/" in league_pages and "/liga.csv" in league_pages
    for m in hidden:
        if m.school_id is None:  # a registry school's name is public as a school, not here
            assert not nowhere(texts, m.organisation), m.organisation
        assert not nowhere(league_pages, m.organisation), m.organisation
        for value in (m.reject_reason, m.note):
            if value:
                assert not nowhere(texts, value), value
    for m in sess.scalars(sa.select(LeagueMember)):  # a note is the office's, always
        if m.note:
            assert not nowhere(texts, m.note), m.note
    for marker in ("маркер-3a1f", "маркер-7c2e", APPLICATION["phone"], "otkaz-7c2e"):
        assert not nowhere(texts, marker), marker


def test_league_contacts_not_marked_public_appear_nowhere(corpus):
    texts, sess, _keys = corpus
    public = _public_contacts(sess)
    assert public, "the demo should publish one League contact"
    assert all(nowhere(texts, value) for value in public)  # and the walk sees them
    checked = 0
    for m in sess.scalars(sa.select(LeagueMember)):
        if m.state is LeagueState.INCLUDED and m.contacts_public:
            continue
        for value in (m.contact_name, m.contact_phone, m.contact_email):
            if value and value not in public:
                checked += 1
                assert not nowhere(texts, value), (m.organisation, value)
    assert checked >= 9
    assert QUIET in texts["/liga/"]  # the member is public, its contact is not
    for marker in ("маркер-9d4b", "tihonova-9d4b", QUIET_CONTACT["phone"]):
        assert not nowhere(texts, marker), marker


def test_management_drafts_submissions_and_team_members_appear_nowhere(corpus):
    texts, sess, _keys = corpus
    programs = sess.scalars(sa.select(MgmtProgram)).all()
    shown = [p for p in programs if office_rules.is_mgmt_program_public(p)]
    hidden = [p for p in programs if not office_rules.is_mgmt_program_public(p)]
    assert shown and len(hidden) >= 3  # the demo's draft and submitted ones, the marker's
    public_texts = {p.title for p in shown} | {i.title for p in shown for i in p.items}
    for p in shown:
        assert nowhere(texts, p.title), p.title  # the walk does see the public ones
    for p in hidden:
        assert not nowhere(texts, p.title), p.title
        assert not nowhere(texts, f"programma-{p.id}"), p.id
        for item in p.items:
            if item.title not in public_texts:
                assert not nowhere(texts, item.title), item.title
    public = _public_contacts(sess)
    members = sess.scalars(sa.select(MgmtMember)).all()
    assert len(members) >= 7
    checked = 0
    for member in members:
        for value in (member.name, member.phone, member.email):
            if value and value not in public:
                checked += 1
                assert not nowhere(texts, value), value
    assert checked >= 10
    for marker in ("маркер-5e6a", "komanda-5e6a", "маркер-2b8d"):
        assert not nowhere(texts, marker), marker


def test_private_files_appear_nowhere_and_are_not_served(office, corpus):
    texts, sess, _keys = corpus
    private = sess.scalars(sa.select(MediaFile).where(MediaFile.is_private.is_(True))).all()
    assert private
    client = office[0].app.test_client()
    for media in private:
        assert not nowhere(texts, media.stored_name), media.original_name
        assert not nowhere(texts, media.original_name), media.original_name
        response = client.get(f"/nastavnichestvo/media/{media.stored_name}")
        assert response.status_code == 404
        response.close()


def test_orders_of_members_not_included_are_not_served(corpus, walked):
    _texts, sess, _keys = corpus
    statuses = walked[1]
    for m in sess.scalars(sa.select(LeagueMember)):
        expected = 200 if m.state is LeagueState.INCLUDED and m.order_file_id else 404
        assert statuses[f"/liga/{m.id}/prikaz"] == expected, (m.organisation, m.state)


def test_the_schools_keys_appear_nowhere(corpus):
    texts, sess, keys = corpus
    digests = list(sess.scalars(sa.select(LeagueKey.digest)))
    assert len(keys) == len(office_demo.SCHOOLS) and len(digests) == len(keys)
    for raw in keys.values():
        assert not nowhere(texts, raw)
        assert not nowhere(texts, raw.removeprefix(league.KEY_PREFIX)[:16])
    for digest in digests:
        assert not nowhere(texts, digest)
