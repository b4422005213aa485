"""The admin's content screens: create, edit, preview, stale edits, refusals, delete."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from mentoring_site.models import AuditEntry, Honor, NewsItem, Status
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token

NEWS = f"{ADMIN}/novosti"


def _news_form(client, url, **fields):
    data = {"csrf_token": token(client, url), "kind": "news", "status": "published",
            "title": "Семинар наставников", "summary": "Кратко", "body": "Текст новости",
            "published_at": "", "unpublish_at": "", "event_starts_at": "", "event_ends_at": "",
            "event_place": "", "version": ""}
    data.update(fields)
    return client.post(url, data=data)


def _rows(app, model):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return list(sess.scalars(sa.select(model)))


def test_create_news_publishes_it_and_logs_it(app):
    client = signed_in(app)
    resp = _news_form(client, f"{NEWS}/novaya/")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    [item] = _rows(app, NewsItem)
    assert item.slug == "seminar-nastavnikov" and item.status is Status.PUBLISHED
    assert client.get(f"/nastavnichestvo/novosti/{item.slug}/").status_code == 200
    [entry] = _rows(app, AuditEntry)
    assert entry.action == "create" and entry.actor == "Kurator"
    assert entry.changes["title"] == [None, "Семинар наставников"]
    listing = client.get(f"{NEWS}/?q=Семинар").get_data(as_text=True)
    assert "Семинар наставников" in listing


def test_future_publication_appears_by_itself(app):
    client = signed_in(app)
    later = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert _news_form(client, f"{NEWS}/novaya/", published_at=later).status_code == 302
    [item] = _rows(app, NewsItem)
    assert client.get(f"/nastavnichestvo/novosti/{item.slug}/").status_code == 404
    assert "Выйдет" in client.get(f"{NEWS}/").get_data(as_text=True)


def test_announcement_needs_its_date(app):
    client = signed_in(app)
    resp = _news_form(client, f"{NEWS}/novaya/", kind="announcement")
    assert resp.status_code == 200
    assert "У анонса должны быть дата и время мероприятия." in resp.get_data(as_text=True)
    assert _rows(app, NewsItem) == []


def test_preview_renders_markdown_safely_and_saves_nothing(app):
    client = signed_in(app)
    body = "## Итоги\n\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n**важно**"
    resp = _news_form(client, f"{NEWS}/novaya/", body=body, preview="1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and _rows(app, NewsItem) == []
    preview = html.split("Так текст будет выглядеть на сайте:")[1]
    assert "<h2>Итоги</h2>" in preview and "<strong>важно</strong>" in preview
    assert "<script" not in preview and "<img" not in preview
    assert "&lt;script&gt;" in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the typed text stays in the box


def test_control_characters_are_refused_at_the_field(app):
    client = signed_in(app)
    resp = _news_form(client, f"{NEWS}/novaya/", title="Новость\x00")
    assert resp.status_code == 200
    assert "управляющие символы" in resp.get_data(as_text=True)
    assert _rows(app, NewsItem) == []


def test_a_stale_edit_is_refused_and_keeps_the_typed_text(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.news(title="Исходный заголовок"))
        sess.commit()
    [item] = _rows(app, NewsItem)
    first, second = signed_in(app), signed_in(app, login_name="zavuch2")
    url = f"{NEWS}/{item.id}/"
    first_token = token(first, url)  # both open the form at version 1
    ok = _news_form(second, url, title="Правка второго куратора", version="1")
    assert ok.status_code == 302
    stale = first.post(url, data={
        "csrf_token": first_token, "kind": "news", "status": "published", "title":
        "Правка первого куратора", "summary": "", "body": "Долгий текст первого куратора",
        "version": "1"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "изменил другой пользователь" in html
    assert "Долгий текст первого куратора" in html and "Правка первого куратора" in html
    [item] = _rows(app, NewsItem)
    assert item.title == "Правка второго куратора" and item.version == 2


def test_honor_without_consent_is_refused_naming_the_person(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.person(consented=False, last_name="Несогласова", first_name="Ирина",
                          middle_name=""))
        sess.commit()
        pid = sess.scalar(sa.select(sa.func.max(f.Person.id)))
    client = signed_in(app)
    url = f"{ADMIN}/nashi-nastavniki/novaya/"
    resp = client.post(url, data={
        "csrf_token": token(client, url), "title": "Лучший наставник", "year": "2026",
        "person_id": str(pid), "partner_id": "0", "citation": "", "status": "published",
        "version": ""})
    html = resp.get_data(as_text=True)
    assert "Несогласова Ирина" in html and "нет действующего согласия" in html
    assert _rows(app, Honor) == []
    resp = client.post(url, data={
        "csrf_token": token(client, url), "title": "Лучший наставник", "year": "2026",
        "person_id": str(pid), "partner_id": "0", "citation": "", "status": "draft",
        "version": ""})
    assert resp.status_code == 302  # a draft may wait for the consent


@pytest.mark.both_databases
def test_delete_asks_first_and_logs_it(app):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.news(title="Удаляемая"))
        sess.commit()
    [item] = _rows(app, NewsItem)
    client = signed_in(app)
    url = f"{NEWS}/{item.id}/udalit/"
    page = client.get(url)
    assert "Удалить «Удаляемая»?" in page.get_data(as_text=True)
    assert len(_rows(app, NewsItem)) == 1
    assert client.post(url, data={"csrf_token": token(client, url)}).status_code == 302
    assert _rows(app, NewsItem) == []
    assert [e.action for e in _rows(app, AuditEntry)] == ["delete"]


def test_every_list_and_empty_form_renders(app):
    client = signed_in(app)
    for part in ("novosti", "dokumenty", "materialy", "stranitsy", "nashi-nastavniki"):
        assert client.get(f"{ADMIN}/{part}/").status_code == 200, part
        assert client.get(f"{ADMIN}/{part}/novaya/").status_code == 200, part
    assert client.get(f"{ADMIN}/novosti/999/").status_code == 404


def test_dashboard_lists_what_needs_attention(seeded_app):
    client = signed_in(seeded_app)
    html = client.get(f"{ADMIN}/").get_data(as_text=True)
    assert "Кейс можно опубликовать только после завершения программы" in html
    assert "Участники программ без действующего согласия" in html


@pytest.mark.both_databases
def test_journal_shows_changes_and_restores_an_earlier_text(app):
    client = signed_in(app)
    _news_form(client, f"{NEWS}/novaya/", body="Первая редакция текста")
    [item] = _rows(app, NewsItem)
    url = f"{NEWS}/{item.id}/"
    assert _news_form(client, url, body="Испорченный текст", version="1").status_code == 302
    journal = client.get(f"{ADMIN}/zhurnal/?vid=news&id={item.id}").get_data(as_text=True)
    assert "Первая редакция текста" in journal and "Испорченный текст" in journal
    update = [e for e in _rows(app, AuditEntry) if e.action == "update"][0]
    resp = client.post(f"{ADMIN}/zhurnal/{update.id}/vosstanovit/",
                       data={"csrf_token": token(client, f"{ADMIN}/zhurnal/")})
    assert resp.status_code == 302
    [item] = _rows(app, NewsItem)
    assert item.body == "Первая редакция текста"
    assert [e.action for e in _rows(app, AuditEntry)][-1] == "restore"
    by_actor = client.get(f"{ADMIN}/zhurnal/?kto=Kurator").get_data(as_text=True)
    assert "восстановление" in by_actor


def test_admin_saves_and_the_journal_restore_are_heard_and_follow_the_slug(app):
    """The screens go down the one save path: a host hears each committed change, nothing
    for a refused one, and a restored title takes its address back (the other answers 301)."""
    from mentoring_site import content_deleted, content_saved

    heard = []

    def hear(sender, **values):
        heard.append((sender, values))

    content_saved.connect(hear, sender=app)
    content_deleted.connect(hear, sender=app)
    try:
        client = signed_in(app)
        _news_form(client, f"{NEWS}/novaya/", title="Семинар наставников")
        [item] = _rows(app, NewsItem)
        assert heard == [(app, {"kind": "news", "id": item.id, "action": "create"})]
        url = f"{NEWS}/{item.id}/"
        assert _news_form(client, url, title="Семинар", version="7").status_code == 409
        assert len(heard) == 1  # a stale edit: nothing saved, nothing heard
        assert _news_form(client, url, title="Семинар", version="1").status_code == 302
        update = [e for e in _rows(app, AuditEntry) if e.action == "update"][0]
        client.post(f"{ADMIN}/zhurnal/{update.id}/vosstanovit/",
                    data={"csrf_token": token(client, f"{ADMIN}/zhurnal/")})
        [item] = _rows(app, NewsItem)
        assert (item.title, item.slug) == ("Семинар наставников", "seminar-nastavnikov")
        old = client.get("/nastavnichestvo/novosti/seminar/")
        assert old.status_code == 301 and old.headers["Location"].endswith(f"/{item.slug}/")
        assert heard[-1] == (app, {"kind": "news", "id": item.id, "action": "restore"})
        client.post(f"{url}udalit/", data={"csrf_token": token(client, f"{url}udalit/")})
        assert heard[-1] == (app, {"kind": "news", "id": item.id})
    finally:
        content_saved.disconnect(hear)
        content_deleted.disconnect(hear)


def test_the_section_intro_and_curator_are_edited_in_place(app):
    client = signed_in(app)
    url = f"{ADMIN}/o-razdele/"
    resp = client.post(url, data={
        "csrf_token": token(client, url), "intro": "Мы **наставляем** молодых учителей.",
        "curator_name": "Вымыслова Ирина Петровна", "curator_position": "Заместитель директора",
        "curator_phone": "+7 000 000-00-00", "curator_email": "kurator@school.example",
        "curator_hours": "Пн—Пт", "version": ""})
    assert resp.status_code == 302
    home = client.get("/nastavnichestvo/").get_data(as_text=True)
    assert "<strong>наставляем</strong>" in home and "Вымыслова Ирина Петровна" in home
    again = client.get(url).get_data(as_text=True)
    assert "Вымыслова Ирина Петровна" in again  # the same record, not a new one


def test_an_expired_form_comes_back_with_the_text_intact(app, monkeypatch):
    """A long article typed for more than an hour: the token has expired, nothing is lost."""
    import time as real_time

    client = signed_in(app)
    url = f"{NEWS}/novaya/"
    old_token = token(client, url)
    later = real_time.time() + 2 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    resp = client.post(url, data={
        "csrf_token": old_token, "kind": "news", "status": "published",
        "title": "Итоги года", "summary": "", "body": "Очень длинный текст статьи",
        "version": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "нажмите «Сохранить» ещё раз" in html
    assert "Очень длинный текст статьи" in html and "Итоги года" in html
    assert _rows(app, NewsItem) == []
    fresh = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert fresh != old_token


@pytest.mark.both_databases
def test_a_renamed_public_item_moves_its_address_and_the_old_one_answers_301(app):
    from mentoring_site.models import SlugHistory

    client = signed_in(app)
    assert _news_form(client, f"{NEWS}/novaya/").status_code == 302
    [item] = _rows(app, NewsItem)
    old = "/nastavnichestvo/novosti/seminar-nastavnikov/"
    assert client.get(old).status_code == 200
    url = f"{NEWS}/{item.id}/"
    # a fix that keeps the words of the title keeps the address
    assert _news_form(client, url, title="Семинар  наставников!", version="1").status_code == 302
    [item] = _rows(app, NewsItem)
    assert item.slug == "seminar-nastavnikov" and _rows(app, SlugHistory) == []
    assert _news_form(client, url, title="Городской семинар наставников",
                      version=str(item.version)).status_code == 302
    [item] = _rows(app, NewsItem)
    assert item.slug == "gorodskoi-seminar-nastavnikov"
    moved = client.get(old)
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/novosti/gorodskoi-seminar-nastavnikov/")
    # deleting it frees the old addresses: they answer 404, not a redirect to nowhere
    delete_url = f"{NEWS}/{item.id}/udalit/"
    assert client.post(delete_url, data={"csrf_token": token(client, delete_url)}
                       ).status_code == 302
    assert _rows(app, SlugHistory) == []
    assert client.get(old).status_code == 404


def test_a_draft_renamed_leaves_no_old_address(app):
    from mentoring_site.models import SlugHistory

    client = signed_in(app)
    assert _news_form(client, f"{NEWS}/novaya/", status="draft").status_code == 302
    [item] = _rows(app, NewsItem)
    assert _news_form(client, f"{NEWS}/{item.id}/", status="draft", title="Другое название",
                      version="1").status_code == 302
    [item] = _rows(app, NewsItem)
    assert item.slug == "drugoe-nazvanie" and _rows(app, SlugHistory) == []


@pytest.mark.both_databases
def test_a_renamed_item_never_takes_another_items_address(app):
    client = signed_in(app)
    assert _news_form(client, f"{NEWS}/novaya/", title="Первая").status_code == 302
    assert _news_form(client, f"{NEWS}/novaya/", title="Вторая").status_code == 302
    second = next(i for i in _rows(app, NewsItem) if i.title == "Вторая")
    assert _news_form(client, f"{NEWS}/{second.id}/", title="Первая",
                      version="1").status_code == 302
    slugs = sorted(i.slug for i in _rows(app, NewsItem))
    assert slugs == ["pervaia", "pervaia-2"]
    assert client.get("/nastavnichestvo/novosti/vtoraia/").status_code == 301


@pytest.mark.both_databases
def test_every_list_filter_narrows_the_list(seeded_app):
    """Each filter of each list, each value: the rows shown are exactly the matching ones."""
    from mentoring_site.admin.crud import KINDS

    client = signed_in(seeded_app)
    checked = 0
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        for kind in KINDS.values():
            for key, list_filter in kind.filters.items():
                url = f"{ADMIN}/{kind.url}/"
                assert f'name="{key}"' in client.get(url).get_data(as_text=True)
                for value in list_filter.options:
                    expected = sess.scalar(sa.select(sa.func.count()).select_from(
                        kind.model).where(list_filter.where(value)))
                    html = client.get(url, query_string={key: value}).get_data(as_text=True)
                    found = re.search(r"Найдено записей: (\d+)", html)
                    assert (int(found[1]) if found else 0) == expected, (kind.name, key, value)
                    checked += 1
    assert checked >= 15
