"""The save path (``editing.py``) without HTTP: create, update, a stale edit, files kept
only with a committed save, the slug followed with a 301 left behind, delete, the
journal's restore, and the signals a host hears after each commit (and never else)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from mentoring_site import content_deleted, content_saved, editing, lifecycle
from mentoring_site.models import (
    AuditEntry,
    DocKind,
    DocLevel,
    Document,
    MediaFile,
    NewsItem,
    NewsKind,
    SlugHistory,
    Status,
)
from tests.test_uploads import _pdf

NEWS = editing.RecordKind(name="news", model=NewsItem)
DOCUMENT = editing.RecordKind(name="document", model=Document)
ACTOR = "Куратор"


def _news(**values):
    return {"kind": NewsKind.NEWS, "status": Status.PUBLISHED, "title": "Открытый урок",
            "summary": "Кратко", "body": "Текст", "published_at": None, **values}


def _document(**values):
    return {"title": "Положение о наставничестве", "level": DocLevel.LOCAL,
            "kind": DocKind.REGULATION, "issued_on": date(2024, 9, 1),
            "status": Status.PUBLISHED, "published_at": None, **values}


def _pdf_upload(name="polozhenie.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(_pdf()), filename=name, content_type="application/pdf")


def _stored(app) -> set[str]:
    folder = Path(app.extensions["mentoring"].upload_folder)
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.exists() else set()


@pytest.fixture
def heard(app):
    """Every signal the section sends for this app: (signal name, sender, values)."""
    seen: list[tuple[str, object, dict]] = []

    def saved(sender, **values):
        seen.append(("saved", sender, values))

    def deleted(sender, **values):
        seen.append(("deleted", sender, values))

    content_saved.connect(saved, sender=app)
    content_deleted.connect(deleted, sender=app)
    yield seen
    content_saved.disconnect(saved)
    content_deleted.disconnect(deleted)


def test_create_and_update_commit_journal_and_signal(app, db, heard):
    news = editing.save_record(db, NEWS, None, _news(), actor=ACTOR)
    assert news.id and news.slug == "otkrytyi-urok" and news.published_at is not None
    assert heard == [("saved", app, {"kind": "news", "id": news.id, "action": "create"})]

    editing.save_record(db, NEWS, news.id, {"summary": "Иначе"}, actor=ACTOR,
                        version=news.version)
    db.rollback()  # nothing pending: the save committed
    assert db.get(NewsItem, news.id).summary == "Иначе"
    entries = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.item_kind, e.actor) for e in entries] == [
        ("create", "news", ACTOR), ("update", "news", ACTOR)]
    assert entries[-1].changes == {"summary": ["Кратко", "Иначе"]}
    assert heard[-1] == ("saved", app, {"kind": "news", "id": news.id, "action": "update"})


def test_a_stale_edit_is_a_conflict_and_changes_nothing(app, db, heard):
    news = editing.save_record(db, NEWS, None, _news(), actor=ACTOR)
    stale = news.version
    editing.save_record(db, NEWS, news.id, {"body": "Первая правка"}, actor=ACTOR, version=stale)
    heard.clear()
    with pytest.raises(editing.Conflict) as refused:
        editing.save_record(db, NEWS, news.id, {"body": "Вторая правка"}, actor=ACTOR,
                            version=stale)
    assert "изменил другой пользователь" in str(refused.value)
    db.rollback()
    assert db.get(NewsItem, news.id).body == "Первая правка"
    assert heard == []
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 2


def test_a_refused_save_rolls_back_and_sends_nothing(app, db, heard):
    def no_drafts(_sess, obj):
        return [("status", "Черновики запрещены.")] if obj.status is Status.DRAFT else []

    strict = editing.RecordKind(name="news", model=NewsItem, problems=no_drafts)
    with pytest.raises(editing.Refused) as refused:
        editing.save_record(db, strict, None, _news(status=Status.DRAFT), actor=ACTOR)
    assert refused.value.problems == [("status", "Черновики запрещены.")]
    assert str(refused.value).startswith("Запись не сохранена: ")
    with pytest.raises(editing.Refused) as bad_text:  # a NUL the database may not hold
        editing.save_record(db, NEWS, None, _news(body="a\x00b"), actor=ACTOR)
    assert bad_text.value.field == "body"
    assert db.scalar(sa.select(sa.func.count(NewsItem.id))) == 0
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
    assert heard == []


def test_a_file_is_kept_only_with_a_committed_save(app, db, heard):
    doc = editing.save_record(db, DOCUMENT, None, _document(), actor=ACTOR,
                              files={"file": editing.FileChange("document", _pdf_upload())})
    first = doc.file.stored_name
    assert _stored(app) == {first}

    # a replacement refused (not a document): the old file stays, no new one appears
    bad = FileStorage(io.BytesIO(b"#!/bin/sh\necho hi\n"), filename="virus.pdf")
    with pytest.raises(editing.BadFile) as refused:
        editing.save_record(db, DOCUMENT, doc.id, {"number": "12"}, actor=ACTOR,
                            files={"file": editing.FileChange("document", bad)})
    assert refused.value.relation == "file" and refused.value.field == "file"
    # a good replacement in a save rolled back later (a NUL in the title): no orphan file
    with pytest.raises(editing.Refused):
        editing.save_record(db, DOCUMENT, doc.id, {"title": "Положение\x00"}, actor=ACTOR,
                            files={"file": editing.FileChange("document", _pdf_upload())})
    assert _stored(app) == {first}
    assert db.scalar(sa.select(sa.func.count(MediaFile.id))) == 1
    assert db.get(Document, doc.id).number == ""
    assert len(heard) == 1

    # a good replacement committed: the new file in, the old one gone with its row
    editing.save_record(db, DOCUMENT, doc.id, {}, actor=ACTOR,
                        files={"file": editing.FileChange("document", _pdf_upload("new.pdf"))})
    doc = db.get(Document, doc.id)
    assert doc.file.original_name == "new.pdf" and _stored(app) == {doc.file.stored_name}
    editing.save_record(db, DOCUMENT, doc.id, {}, actor=ACTOR,
                        files={"file": editing.FileChange("document", remove=True)})
    assert db.get(Document, doc.id).file is None and _stored(app) == set()
    assert db.scalar(sa.select(sa.func.count(MediaFile.id))) == 0


def test_the_slug_follows_the_title_and_the_old_address_answers_301(app, heard):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        news = editing.save_record(sess, NEWS, None, _news(), actor=ACTOR)
        news_id = news.id
        editing.save_record(sess, NEWS, news_id, {"title": "Открытый урок!"}, actor=ACTOR)
        assert sess.get(NewsItem, news_id).slug == "otkrytyi-urok"  # a comma keeps it
        editing.save_record(sess, NEWS, news_id, {"title": "Урок математики"}, actor=ACTOR)
        assert sess.get(NewsItem, news_id).slug == "urok-matematiki"
        assert sess.scalars(sa.select(SlugHistory.old_slug)).all() == ["otkrytyi-urok"]
    resp = app.test_client().get("/nastavnichestvo/novosti/otkrytyi-urok/")
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith("/novosti/urok-matematiki/")


def test_a_draft_leaves_no_old_address(app, db):
    news = editing.save_record(db, NEWS, None, _news(status=Status.DRAFT), actor=ACTOR)
    editing.save_record(db, NEWS, news.id, {"title": "Другое"}, actor=ACTOR)
    assert db.get(NewsItem, news.id).slug == "drugoe"
    assert db.scalar(sa.select(sa.func.count(SlugHistory.id))) == 0


def test_delete_goes_the_same_way(app, db, heard):
    news = editing.save_record(db, NEWS, None, _news(), actor=ACTOR)
    news_id = news.id
    editing.save_record(db, NEWS, news_id, {"title": "Новое название"}, actor=ACTOR)
    guarded = editing.RecordKind(name="news", model=NewsItem,
                                 delete_problem=lambda _s, _o: "Нельзя удалить.")
    with pytest.raises(editing.Refused, match="Нельзя удалить."):
        editing.delete_record(db, guarded, news_id, actor=ACTOR)
    assert [h[0] for h in heard] == ["saved", "saved"]

    editing.delete_record(db, NEWS, news_id, actor=ACTOR)
    assert db.get(NewsItem, news_id) is None
    assert db.scalar(sa.select(sa.func.count(SlugHistory.id))) == 0  # old slugs freed
    last = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.item_id, last.item_title) == ("delete", news_id, "Новое название")
    assert heard[-1] == ("deleted", app, {"kind": "news", "id": news_id})
    with pytest.raises(editing.Gone):
        editing.delete_record(db, NEWS, news_id, actor=ACTOR)


def test_a_restore_from_the_journal_is_a_save(app, db, heard):
    news = editing.save_record(db, NEWS, None, _news(), actor=ACTOR)
    news_id = news.id
    editing.save_record(db, NEWS, news_id, {"title": "Урок математики", "body": "Новый"},
                        actor=ACTOR)
    change = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert editing.restorable(NEWS, change)

    restored = editing.restore(db, NEWS, change.id, actor="Завуч")
    assert (restored.title, restored.body) == ("Открытый урок", "Текст")
    assert restored.slug == "otkrytyi-urok"  # the slug followed the restored title
    history = db.scalars(sa.select(SlugHistory.old_slug)).all()
    assert history == ["urok-matematiki"]
    last = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.actor) == ("restore", "Завуч")
    assert last.changes["title"] == ["Урок математики", "Открытый урок"]
    assert heard[-1] == ("saved", app, {"kind": "news", "id": news_id, "action": "restore"})

    created = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "create")).one()
    with pytest.raises(editing.Refused, match="нельзя восстановить"):
        editing.restore(db, NEWS, created.id, actor=ACTOR)
    editing.delete_record(db, NEWS, news_id, actor=ACTOR)
    with pytest.raises(editing.Gone, match="уже удалена"):
        editing.restore(db, NEWS, change.id, actor=ACTOR)


def test_an_action_on_a_record_page_is_journaled_and_heard(app, db, heard):
    news = editing.save_record(db, NEWS, None, _news(), actor=ACTOR)
    news_id = news.id

    def refuse(_sess, _obj):
        raise lifecycle.LifecycleError("Так нельзя по Положению.")

    with pytest.raises(editing.Refused, match="Так нельзя"):
        editing.change_record(db, NEWS, news_id, refuse, actor=ACTOR)
    assert len(heard) == 1

    def shorten(_sess, obj):
        obj.summary = "Коротко"
        return "краткое описание сокращено"

    editing.change_record(db, NEWS, news_id, shorten, actor=ACTOR)
    last = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.changes == {"действие": [None, "краткое описание сокращено"]}
    assert heard[-1] == ("saved", app, {"kind": "news", "id": news_id, "action": "update"})
