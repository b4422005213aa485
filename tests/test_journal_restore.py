"""The journal's «Восстановить» (issue 14, item 8) is a save like any other: it puts back
the texts a curator writes and nothing else (never the status, the kind or the address),
through ``editing.save_record``'s checks, and a refusal is a Russian message, never a 500."""

from __future__ import annotations

import pytest

from mentoring_site.models import AuditEntry, NewsItem, Status
from mentoring_site.models.content import NewsKind
from tests.admin_support import ADMIN, signed_in, token
from tests.test_admin_content import NEWS, _news_form, _rows

pytestmark = pytest.mark.both_databases


def _restore(client, entry_id: int):
    return client.post(f"{ADMIN}/zhurnal/{entry_id}/vosstanovit/",
                       data={"csrf_token": token(client, f"{ADMIN}/zhurnal/")},
                       follow_redirects=True)


def _last_update(app) -> AuditEntry:
    return [e for e in _rows(app, AuditEntry) if e.action == "update"][-1]


def _news(app, item_id: int) -> NewsItem:
    return next(n for n in _rows(app, NewsItem) if n.id == item_id)


def test_restore_gives_back_texts_but_never_status_kind_or_address(app):
    client = signed_in(app)
    _news_form(client, f"{NEWS}/novaya/", title="Семинар наставников", body="Первый текст")
    [item] = _rows(app, NewsItem)
    url = f"{NEWS}/{item.id}/"
    assert _news_form(client, url, title="Семинар", body="Испорченный текст", status="draft",
                      kind="announcement", event_starts_at="2030-05-01T10:00",
                      version="1").status_code == 302
    entry = _last_update(app)
    assert {"status", "kind", "slug", "title", "body"} <= set(entry.changes)
    resp = _restore(client, entry.id)
    assert resp.status_code == 200
    item = _news(app, item.id)
    assert (item.title, item.body) == ("Семинар наставников", "Первый текст")
    assert item.status is Status.DRAFT and item.kind is NewsKind.ANNOUNCEMENT
    assert item.slug == "seminar-nastavnikov"  # the slug followed the title, as in a save
    restored = _rows(app, AuditEntry)[-1]
    assert restored.action == "restore" and not {"status", "kind"} & set(restored.changes)


def test_an_address_taken_meanwhile_is_told_and_nothing_is_lost(app):
    """The old title's address now belongs to another item: the restore does not take it
    (a 500 on the unique slug before), the other item keeps it, and the curator is told."""
    client = signed_in(app)
    _news_form(client, f"{NEWS}/novaya/", title="Семинар наставников", body="Первый текст")
    [first] = _rows(app, NewsItem)
    assert _news_form(client, f"{NEWS}/{first.id}/", title="Семинар", body="Второй текст",
                      version="1").status_code == 302
    entry = _last_update(app)
    _news_form(client, f"{NEWS}/novaya/", title="Другая новость", body="Чужой текст")
    other = next(n for n in _rows(app, NewsItem) if n.id != first.id)
    with app.app_context():  # another item is at the old address now (a rename, an import)
        sess = app.extensions["mentoring"].session()
        sess.get(NewsItem, other.id).slug = "seminar-nastavnikov"
        sess.commit()
    resp = _restore(client, entry.id)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    first, other = _news(app, first.id), _news(app, other.id)
    assert (first.title, first.body) == ("Семинар наставников", "Первый текст")
    assert first.slug not in ("seminar-nastavnikov", "seminar")
    assert (other.slug, other.body) == ("seminar-nastavnikov", "Чужой текст")
    assert "адрес" in html and first.slug in html
    assert client.get(f"/nastavnichestvo/novosti/{first.slug}/").status_code == 200
    assert client.get("/nastavnichestvo/novosti/seminar-nastavnikov/").get_data(
        as_text=True).count("Чужой текст") == 1


def test_a_name_taken_meanwhile_is_refused_with_a_message_and_nothing_changes(app):
    """A catalog's unique name goes through the kind's own check, as in a save."""
    import sqlalchemy as sa

    from mentoring_site import editing
    from mentoring_site.admin.crud import KINDS
    from mentoring_site.models import Direction

    kind = KINDS["direction"].record
    with app.test_request_context():
        sess = app.extensions["mentoring"].session()
        first, second = sess.scalars(sa.select(Direction).order_by(Direction.id).limit(2))
        old_name, first_id, second_id = first.name, first.id, second.id
        editing.save_record(sess, kind, first_id, {"name": "Новое направление"}, actor="Завуч")
        editing.save_record(sess, kind, second_id, {"name": old_name}, actor="Завуч")
    entry = [e for e in _rows(app, AuditEntry) if e.item_kind == "direction"][0]
    client = signed_in(app)
    html = _restore(client, entry.id).get_data(as_text=True)
    assert "уже есть в списке" in html
    names = {d.id: d.name for d in _rows(app, Direction)}
    assert (names[first_id], names[second_id]) == ("Новое направление", old_name)
