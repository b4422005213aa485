"""Old slugs of public objects answer 301 to the current page; hidden objects stay 404."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mentoring_site import permalinks, rules
from mentoring_site.clock import now_utc
from mentoring_site.models import (
    Case,
    NewsItem,
    Page,
    Person,
    PersonKind,
    Program,
    SlugHistory,
    Status,
)
from tests.conftest import SEED_TODAY

# Both databases: old slugs are found, and kept unique, in SQL (see tests/conftest.py).
pytestmark = pytest.mark.both_databases

PREFIX = "/nastavnichestvo"
URLS = {
    "case": PREFIX + "/luchshie-praktiki/{}/",
    "news": PREFIX + "/novosti/{}/",
    "program": PREFIX + "/programmy/{}/",
    "person": PREFIX + "/lyudi/{}/",
    "page": PREFIX + "/{}/",
}


def _public(sess, kind: str):
    now = now_utc()
    clause = {
        "case": rules.case_clause(now),
        "news": rules.published_clause(NewsItem, now),
        "program": rules.program_clause(),
        "person": sa.and_(rules.person_clause(SEED_TODAY), Person.kind != PersonKind.STUDENT),
        "page": rules.published_clause(Page, now),
    }[kind]
    model = permalinks.KINDS[kind][0]
    return sess.scalars(sa.select(model).where(clause).order_by(model.id)).first()


def _rename(sess, obj, new_slug: str) -> str:
    old = obj.slug
    obj.slug = new_slug
    sess.flush()
    permalinks.record_slug_change(sess, permalinks.kind_of(obj), obj.id, old)
    sess.commit()
    return old


@pytest.mark.parametrize("kind", sorted(URLS))
def test_an_old_slug_answers_301_to_the_new_page(seeded_app, kind):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        obj = _public(sess, kind)
        assert obj is not None, kind
        old = _rename(sess, obj, "novyi-adres")
    resp = client.get(URLS[kind].format(old))
    assert resp.status_code == 301
    assert resp.headers["Location"] == URLS[kind].format("novyi-adres")
    assert client.get(URLS[kind].format("novyi-adres")).status_code == 200


def test_every_old_slug_goes_straight_to_the_newest(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        case = _public(sess, "case")
        first = _rename(sess, case, "vtoroi")
        _rename(sess, case, "tretii")
        _rename(sess, case, "tretii")  # saving again without a change records nothing new
        rows = sess.scalars(sa.select(SlugHistory.old_slug).where(SlugHistory.kind == "case"))
        assert sorted(rows) == sorted([first, "vtoroi"])
    for old in (first, "vtoroi"):
        resp = client.get(URLS["case"].format(old))
        assert resp.status_code == 301
        assert resp.headers["Location"].endswith("/tretii/")


def test_renaming_back_leaves_no_loop(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        news = _public(sess, "news")
        first = _rename(sess, news, "vremennyi")
        _rename(sess, news, first)
        rows = sess.scalars(sa.select(SlugHistory).where(SlugHistory.kind == "news")).all()
        assert [(r.old_slug, r.object_id) for r in rows] == [("vremennyi", news.id)]
    assert client.get(URLS["news"].format(first)).status_code == 200
    assert client.get(URLS["news"].format("vremennyi")).status_code == 301


def test_an_old_slug_of_a_hidden_object_is_a_plain_404(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        case = _public(sess, "case")
        old = _rename(sess, case, "skrytyi-keis")
        case.status = Status.DRAFT
        sess.commit()
    resp = client.get(URLS["case"].format(old))
    assert resp.status_code == 404
    assert "skrytyi-keis" not in resp.get_data(as_text=True)


def test_an_old_slug_taken_by_another_object_shows_that_object(seeded_app):
    client = seeded_app.test_client()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        first, second = sess.scalars(
            sa.select(Case).where(rules.case_clause(now_utc())).order_by(Case.id).limit(2)
        ).all()
        old = _rename(sess, first, "pervyi-novyi")
        second_title = second.title
        _rename(sess, second, old)
    resp = client.get(URLS["case"].format(old))
    assert resp.status_code == 200
    assert second_title in resp.get_data(as_text=True)


def test_history_of_a_deleted_object_is_forgotten(seeded_app):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        program = _public(sess, "program")
        _rename(sess, program, "udalyaemaya")
        permalinks.forget_object(sess, "program", program.id)
        assert not sess.scalar(sa.select(sa.func.count()).select_from(SlugHistory))


def test_kinds_and_the_sqlalchemy_free_helpers():
    assert permalinks.kind_of(Case) == "case"
    assert permalinks.kind_of(Program(title="x")) == "program"
    with pytest.raises(permalinks.UnknownKind):
        permalinks.kind_of(SlugHistory)
    assert permalinks.slug_moved("a", "b", was_public=True)
    assert not permalinks.slug_moved("a", "b", was_public=False)
    assert not permalinks.slug_moved("a", "a", was_public=True)
    assert not permalinks.slug_moved(None, "a", was_public=True)


def test_record_refuses_an_unknown_kind(db):
    with pytest.raises(permalinks.UnknownKind):
        permalinks.record_slug_change(db, "material", 1, "x")
