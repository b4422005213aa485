"""The data version (``datastamp``): every write a public answer can show moves it, in the
writer's own transaction, on SQLite and PostgreSQL, through our session and a host's
Flask-SQLAlchemy one; writes no public answer can show leave it alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from mentoring_site import datastamp
from mentoring_site.clock import now_utc
from mentoring_site.db import metadata
from mentoring_site.models import LoginThrottle, MailMessage, NewsItem, Status
from mentoring_site.outbox import enqueue
from tests import factories as f
from tests.host_site import create_host_app

pytestmark = pytest.mark.both_databases


def _version(app) -> int:
    with app.extensions["mentoring"].engine.connect() as conn:
        return datastamp.read(conn)[0]


def test_every_table_is_watched_or_excused_with_a_reason():
    import mentoring_site.models  # noqa: F401  (every model on the MetaData)

    ours = {t for t in metadata.tables if t.startswith("mentoring_")}
    assert set(datastamp.UNWATCHED) <= ours, set(datastamp.UNWATCHED) - ours
    assert all(len(reason) > 20 for reason in datastamp.UNWATCHED.values())
    for name in ours:
        assert datastamp.watched(name) is (name not in datastamp.UNWATCHED), name
    # what the public reads is watched, whatever the list says one day
    for name in ("mentoring_news", "mentoring_person", "mentoring_consent", "mentoring_case",
                 "mentoring_registration", "mentoring_registry_snapshot",
                 "mentoring_section_info", "mentoring_media"):
        assert datastamp.watched(name), name


def test_one_bump_per_transaction_and_none_for_a_rollback(app, db):
    start = _version(app)
    item = f.news(title="Новость")
    db.add(item)
    db.flush()
    item.title = "Новость, правка"
    db.flush()
    db.commit()
    assert _version(app) == start + 1
    item.summary = "Другое"
    db.rollback()
    db.add(f.news(title="Передумали"))
    db.flush()
    db.rollback()
    assert _version(app) == start + 1
    db.delete(db.get(NewsItem, item.id))
    db.commit()
    assert _version(app) == start + 2


def test_a_read_or_an_unchanged_object_moves_nothing(app, db):
    db.add(f.news(title="Новость"))
    db.commit()
    start = _version(app)
    item = db.scalars(sa.select(NewsItem)).one()
    item.title = item.title  # set to what it was: nothing to write
    db.commit()
    assert _version(app) == start


def test_bulk_and_textual_statements_move_it(app, db):
    db.add(f.news(title="Новость"))
    db.commit()
    start = _version(app)
    db.execute(sa.update(NewsItem).values(status=Status.DRAFT))
    db.commit()
    assert _version(app) == start + 1
    db.execute(sa.text("UPDATE mentoring_news SET title = 'Текстом'"))
    db.commit()
    assert _version(app) == start + 2
    db.execute(sa.delete(NewsItem))
    db.commit()
    assert _version(app) == start + 3


def test_writes_no_public_answer_shows_leave_it(app, db):
    start = _version(app)
    db.add(LoginThrottle(key="ip:1.2.3.4", failures=1))
    db.commit()
    db.execute(sa.delete(LoginThrottle))
    db.commit()
    enqueue(db, "a@example.ru", "Тема", "Текст")
    db.commit()
    db.execute(sa.update(MailMessage).values(attempts=2))
    db.commit()
    assert _version(app) == start


def test_a_savepoint_rolled_back_does_not_hide_a_later_change(app, db):
    start = _version(app)
    nested = db.begin_nested()
    db.add(f.news(title="В точке сохранения"))
    db.flush()
    nested.rollback()
    db.add(f.news(title="После неё"))
    db.commit()
    assert _version(app) == start + 1
    assert [n.title for n in db.scalars(sa.select(NewsItem))] == ["После неё"]


def test_the_change_and_the_version_commit_together(app, db):
    """Another connection sees neither before the commit, and both after it."""
    start = _version(app)
    db.add(f.news(title="Вместе"))
    db.flush()
    engine = app.extensions["mentoring"].engine
    if engine.dialect.name == "postgresql":  # SQLite's writer holds the lock: no reader test
        with engine.connect() as other:
            assert datastamp.read(other)[0] == start
            assert other.scalar(sa.select(sa.func.count()).select_from(NewsItem)) == 0
    db.commit()
    with engine.connect() as other:
        assert datastamp.read(other)[0] == start + 1
        assert other.scalar(sa.select(sa.func.count()).select_from(NewsItem)) == 1


def test_through_the_hosts_flask_sqlalchemy_session(database_uri, tmp_path):
    from mentoring_site.migrate import upgrade

    app, host_db = create_host_app(database_uri, tmp_path)
    upgrade(app)
    with app.app_context():
        host_db.create_all()
    start = _version(app)
    with app.app_context():
        assert app.extensions["mentoring"].shares_host_session
        host_db.session.add(f.news(title="Через сессию сайта",
                                   published_at=now_utc() - timedelta(hours=1)))
        host_db.session.commit()
    assert _version(app) == start + 1
    client = app.test_client()
    assert "Через сессию сайта" in client.get("/nastavnichestvo/novosti/").get_data(as_text=True)
    with app.app_context():
        host_db.session.execute(sa.update(NewsItem).values(title="Переименована"))
        host_db.session.commit()
    page = client.get("/nastavnichestvo/novosti/").get_data(as_text=True)
    assert "Переименована" in page and "Через сессию сайта" not in page
    app.extensions["mentoring"].engine.dispose()
