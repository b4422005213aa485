"""Issue 14, the web items: caching of personal data, validators that say nothing of
drafts, headers on 404/405, the VI settings by POST, the journal in words, texts, and
where the demo keeps its files."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.http import parse_date

from mentoring_site import editing, rules
from mentoring_site.clock import now_utc, today
from mentoring_site.models import NewsItem, Person, Status
from tests import factories

API = "/nastavnichestvo/api/v1"
SECTION = "/nastavnichestvo"
NEWS = editing.RecordKind(name="news", model=NewsItem)
PEOPLE = editing.RecordKind(name="person", model=Person, slug_source=rules.slug_text)


@pytest.fixture
def client(seeded_app):
    return seeded_app.test_client()


# -- 10. personal data never outlives a consent in a shared cache ------------------------------


def _shown_photo(app) -> str:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        for person in sess.scalars(sa.select(Person).where(Person.photo_id.is_not(None))):
            if rules.shows_photo(person, today()):
                return person.photo.stored_name
    raise AssertionError("the demo shows no photo")


def _revalidated(cache_control: str, shared_seconds: int = 10) -> bool:
    """A browser asks before every use, and a shared cache (the school's nginx) keeps a copy
    for MENTORING_SHARED_CACHE_SECONDS at most (issue 13), so a withdrawn consent is gone
    from every cache within seconds."""
    parts = dict((p.strip().split("=") + [""])[:2] for p in cache_control.split(","))
    if "no-cache" in parts or "no-store" in parts:
        return True
    if "private" in parts:
        return False
    return (parts.get("max-age") == "0" and "must-revalidate" in parts
            and 0 < int(parts.get("s-maxage", "-1")) <= shared_seconds)


def test_a_person_photo_is_revalidated_on_every_use(seeded_app, client):
    seeded_app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 31536000  # a host that caches its files
    resp = client.get(f"{SECTION}/media/{_shown_photo(seeded_app)}")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-cache", resp.headers["Cache-Control"]
    assert "Expires" not in resp.headers and resp.headers["ETag"]
    again = client.get(f"{SECTION}/media/{_shown_photo(seeded_app)}",
                       headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/mentors", "/summary", "/news", "/honors"])
def test_open_data_is_revalidated_on_every_use(client, path):
    resp = client.get(API + path)
    assert resp.status_code == 200
    assert _revalidated(resp.headers["Cache-Control"]), resp.headers["Cache-Control"]
    assert resp.headers["ETag"] and resp.headers["Last-Modified"]


def test_feeds_and_sitemap_are_revalidated_on_every_use(client):
    for path in ("/sitemap.xml", "/feeds/novosti.atom"):
        resp = client.get(SECTION + path)
        assert resp.status_code == 200, path
        assert _revalidated(resp.headers["Cache-Control"]), (path, resp.headers["Cache-Control"])


# -- 11. Last-Modified and ETag come from what is public ---------------------------------------

WATCHED = [f"{API}/news", f"{API}/summary", f"{API}/mentors", f"{SECTION}/sitemap.xml",
           f"{SECTION}/feeds/novosti.atom"]


def _validators(client) -> dict[str, tuple[str, str]]:
    out = {}
    for url in WATCHED:
        resp = client.get(url)
        assert resp.status_code == 200, url
        out[url] = (resp.headers["ETag"], resp.headers["Last-Modified"])
    return out


def _past_the_second(stamps: dict[str, tuple[str, str]]) -> None:
    """Last-Modified has one-second resolution: let a second pass so a move would show."""
    latest = max(parse_date(lm).replace(tzinfo=None) for _, lm in stamps.values())
    wait = 1.2 - (now_utc() - latest).total_seconds()
    if wait > 0:
        time.sleep(wait)


def test_hidden_edits_move_no_validator_and_publishing_does(seeded_app, client):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        draft = factories.news(status=Status.DRAFT, title="Черновик о секретном")
        hidden = factories.person(consented=False, last_name="Скрытова")
        sess.add_all([draft, hidden])
        sess.commit()
        draft_id, hidden_id = draft.id, hidden.id
    before = _validators(client)
    _past_the_second(before)
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        editing.save_record(sess, NEWS, draft_id, {"title": "Черновик, правка"}, actor="t")
        editing.save_record(sess, PEOPLE, hidden_id, {"last_name": "Скрытова-Иванова"},
                            actor="t")
        extra = factories.news(status=Status.DRAFT, title="Ещё черновик")
        sess.add(extra)
        sess.commit()
        editing.delete_record(sess, NEWS, extra.id, actor="t")
    assert _validators(client) == before  # nothing public changed: nothing moved

    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        editing.save_record(sess, NEWS, draft_id,
                            {"status": Status.PUBLISHED, "published_at": None}, actor="t")
    published = _validators(client)
    for url in (f"{API}/news", f"{SECTION}/sitemap.xml", f"{SECTION}/feeds/novosti.atom"):
        assert published[url][0] != before[url][0], url
        assert parse_date(published[url][1]) > parse_date(before[url][1]), url

    _past_the_second(published)
    with seeded_app.app_context():  # taken down again: the public saw it, so it moves
        sess = seeded_app.extensions["mentoring"].session()
        editing.save_record(sess, NEWS, draft_id, {"status": Status.DRAFT}, actor="t")
    hidden_again = _validators(client)
    assert parse_date(hidden_again[f"{API}/news"][1]) > parse_date(published[f"{API}/news"][1])


def test_deleting_a_public_item_moves_last_modified(seeded_app, client):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        item = factories.news(title="Новость на день",
                              published_at=now_utc() - timedelta(days=3000))
        sess.add(item)
        sess.commit()
        item_id = item.id
    before = _validators(client)
    _past_the_second(before)
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        editing.delete_record(sess, NEWS, item_id, actor="t")
    after = _validators(client)
    assert parse_date(after[f"{API}/news"][1]) > parse_date(before[f"{API}/news"][1])


# -- 12. answers no view made still carry the section's headers --------------------------------


def _has_section_headers(resp) -> bool:
    return ("Content-Security-Policy" in resp.headers
            and resp.headers.get("X-Content-Type-Options") == "nosniff")


@pytest.mark.parametrize("method, path, code", [
    ("GET", f"{SECTION}/net-takoi-stranicy/a/b", 404),
    ("GET", f"{SECTION}/api/v1/net-takogo", 404),
    ("DELETE", f"{SECTION}/", 405),
    ("POST", f"{API}/news", 405),
    ("PUT", f"{SECTION}/admin/", 405),
    ("GET", f"{SECTION}/admin/net/takogo/ekrana", 404),
])
def test_unrouted_answers_carry_csp_and_nosniff(client, method, path, code):
    resp = client.open(path, method=method)
    assert resp.status_code == code
    assert _has_section_headers(resp), dict(resp.headers)
    if "/admin" in path:
        assert resp.headers["Cache-Control"] == "no-store"


def test_the_hosts_own_unmatched_paths_are_left_alone(client):
    resp = client.get("/net-takoi-stranicy-u-shkoly")
    assert resp.status_code == 404
    assert "Content-Security-Policy" not in resp.headers


# -- 22. the demo keeps its files in the user's data folder --------------------------------------


def test_the_demo_writes_into_the_users_data_folder_not_the_checkout(tmp_path, monkeypatch):
    import mentoring_site
    from mentoring_site.demo import create_app

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    package = Path(mentoring_site.__file__).resolve().parent
    app = create_app(database="sqlite://")
    folder = Path(app.instance_path)
    assert folder == tmp_path / "data" / "mentoring-site" / "demo"
    assert (folder / "secret_key").exists()
    assert Path(app.extensions["mentoring"].upload_folder).is_relative_to(folder)
    assert not folder.is_relative_to(package.parent)


def test_without_xdg_the_data_folder_is_under_home(tmp_path, monkeypatch):
    from mentoring_site.config import user_data_folder

    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_data_folder("demo") == str(tmp_path / ".local" / "share" / "mentoring-site"
                                           / "demo")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # ignored, as the spec says
    assert user_data_folder("demo").startswith(str(tmp_path))


def test_the_demo_prints_the_folder_it_uses(tmp_path, monkeypatch, capsys):
    from mentoring_site import __main__ as main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("flask.Flask.run", lambda *a, **k: None)
    assert main.main(["demo", "--database", "sqlite://"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "mentoring-site" / "demo") in out


# -- 21. texts -------------------------------------------------------------------------------


def test_the_section_texts_page_is_headed_by_its_name_not_an_id(seeded_app):
    from tests.admin_support import ADMIN, signed_in

    html = signed_in(seeded_app).get(f"{ADMIN}/o-razdele/").get_data(as_text=True)
    assert "<h1>О разделе и куратор</h1>" in html
    assert "<h1>1</h1>" not in html and "<title>1 " not in html


def test_a_pair_is_named_without_declining_a_name(seeded_app, client):
    html = client.get(f"{SECTION}/nashi-nastavniki/").get_data(as_text=True)
    assert "В паре с" not in html
    assert "Пара: " in html  # the demo honours a pair


def test_the_consent_message_says_nothing_of_a_gender():
    person = factories.person(consented=False, first_name="Мария", last_name="Иванова")
    message = rules.person_publication_problem(person, factories.TODAY)
    assert message is not None
    for word in (" о нём", " его ", " его.", " ему "):
        assert word not in message, word


def test_one_clause_of_the_polozhenie_is_cited_for_publishing_results(seeded_app):
    """The district's model Положение (../shared/seeds, part 8): results after completion is
    п. 8.2; the admin and the public page cite the same clause."""
    import mentoring_site

    package = Path(mentoring_site.__file__).resolve().parent
    texts = [p.read_text(encoding="utf-8") for p in package.rglob("*")
             if p.suffix in (".py", ".html", ".toml") and p.is_file()]
    assert not any("п. 8.3" in t or "Положение 8.3" in t or "8.2 / 8.3" in t for t in texts)
    with seeded_app.app_context():
        from mentoring_site.models import Program, ProgramStatus
        sess = seeded_app.extensions["mentoring"].session()
        active = sess.scalars(sa.select(Program).where(
            Program.status != ProgramStatus.COMPLETED)).first()
        assert "п. 8.2" in (rules.case_publication_problem(active) or "")


def test_the_journal_does_not_show_the_hidden_mark(seeded_app):
    from tests.admin_support import ADMIN, signed_in

    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        item = factories.news(title="Новость, которую удалят")
        sess.add(item)
        sess.commit()
        editing.delete_record(sess, NEWS, item.id, actor="t")
    html = signed_in(seeded_app).get(f"{ADMIN}/zhurnal/").get_data(as_text=True)
    assert "Новость, которую удалят" in html and "_hid_public" not in html
