"""Control characters are refused at flush on SQLite and PostgreSQL alike; text survives.

PostgreSQL refuses NUL in text and XML feeds refuse most C0 controls, while SQLite stores
anything: without the ``before_flush`` check in ``db.py`` the same input would save on one
backend and crash on the other. The curator gets a Russian message and loses nothing saved.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from mentoring_site.db import BadText
from mentoring_site.models import Consent, NewsItem, Person
from tests import factories

# Both databases: PostgreSQL checks UTF-8 and stores text that SQLite does not
# (see tests/conftest.py).
pytestmark = pytest.mark.both_databases

BAD_CHARS = ["\x00", "\x01", "\x1b", "\x7f"]


def _text_fields(model) -> list[str]:
    """Every free-text column of a model (enums are strings too, but not typed by people)."""
    return [
        c.key
        for c in model.__table__.columns
        if isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum)
    ]


def _snapshot(db) -> dict[str, list[tuple]]:
    """All rows of the tables these tests write, read with SQL (not the identity map)."""
    out = {}
    for model in (Person, Consent, NewsItem):
        table = model.__table__
        out[table.name] = [tuple(r) for r in db.execute(sa.select(table).order_by(table.c.id))]
    return out


def _assert_russian_message(exc: BadText) -> None:
    message = str(exc)
    assert re.search(r"[А-Яа-яЁё]{4}", message), message
    assert "управляющие символы" in message


def _row_with(model, field: str, value: str):
    """A new Person (with its Consent) or NewsItem whose one text field holds ``value``."""
    if model is Person:
        return factories.person(**{field: value})
    if model is Consent:
        return factories.person(consented=False, consents=[factories.consent(**{field: value})])
    return factories.news(**{field: value})


def _saved_rows(db) -> tuple[Person, NewsItem]:
    person = factories.person(bio="Исходная биография")
    item = factories.news(body="Исходный текст новости")
    db.add_all([person, item])
    db.commit()
    return person, item


def test_fields_under_test_are_found():
    assert {"last_name", "bio", "slug", "awards"} <= set(_text_fields(Person))
    assert {"title", "summary", "body", "event_place"} <= set(_text_fields(NewsItem))
    assert "kind" not in _text_fields(Person)


def test_new_rows_with_control_characters_are_refused(db):
    _saved_rows(db)
    before = _snapshot(db)

    cases = [(model, f) for model in (Person, Consent, NewsItem) for f in _text_fields(model)]
    for bad in BAD_CHARS:
        for model, field in cases:
            # no error on add: the check runs at flush
            db.add(_row_with(model, field, f"Текст{bad}дальше"))
            with pytest.raises(BadText) as info:
                db.flush()
            assert info.value.field == field, (model.__name__, field, bad)
            _assert_russian_message(info.value)
            db.rollback()

    assert _snapshot(db) == before


def test_changing_a_saved_row_to_bad_text_keeps_the_saved_text(db):
    person, item = _saved_rows(db)
    person_id, item_id = person.id, item.id
    before = _snapshot(db)

    for bad in BAD_CHARS:
        person = db.get(Person, person_id)
        person.bio = f"Новая{bad}биография"
        with pytest.raises(BadText) as info:
            db.commit()  # commit flushes first; nothing reaches the database
        assert info.value.field == "bio", repr(bad)
        _assert_russian_message(info.value)
        db.rollback()

        item = db.get(NewsItem, item_id)
        item.title = "Заголовок"  # a good change beside a bad one: neither is saved
        item.event_place = f"Актовый зал{bad}"
        with pytest.raises(BadText) as info:
            db.flush()
        assert info.value.field == "event_place", repr(bad)
        db.rollback()

        assert _snapshot(db) == before, repr(bad)

    db.expunge_all()
    assert db.get(Person, person_id).bio == "Исходная биография"
    assert db.get(NewsItem, item_id).body == "Исходный текст новости"
    # and the session is still usable afterwards
    person = db.get(Person, person_id)
    person.bio = "Исправленная биография"
    db.commit()
    assert db.scalar(sa.select(Person.bio).where(Person.id == person_id)) == (
        "Исправленная биография"
    )


def test_tab_newline_and_cr_are_text(db):
    text = "Строка 1\tтабуляция\nстрока 2\r\nстрока 3\rконец"
    person = factories.person(bio=text, awards=text, position="Учитель\tматематики")
    item = factories.news(summary=text, body=text, event_place="Каб.\t12")
    db.add_all([person, item])
    db.commit()
    person_id, item_id = person.id, item.id
    db.expunge_all()
    assert db.execute(
        sa.select(Person.bio, Person.awards, Person.position).where(Person.id == person_id)
    ).one() == (text, text, "Учитель\tматематики")
    assert db.execute(
        sa.select(NewsItem.summary, NewsItem.body, NewsItem.event_place)
        .where(NewsItem.id == item_id)
    ).one() == (text, text, "Каб.\t12")


LONG_RUSSIAN = (
    "Наставничество — универсальная технология передачи опыта и знаний. «Ёлки-палки», "
    "сказал Ёжиков, и́ско́нно ударе́ние 👩‍🏫🧑‍🎓🎓✨📚🇷🇺 — «Лучшая пара» 2026 г.; №13; "
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎 ½ ∞ ≠ ≤ €\n"
)


def test_long_russian_text_with_emoji_round_trips(db):
    body = LONG_RUSSIAN * 400  # about 60 000 characters, many of them outside the BMP
    title = ("Лучший наставник 🏆 " * 20)[:300]  # exactly the column's limit, in characters
    assert len(title) == 300
    last_name = "Ёлкина-Щукина 👩‍🏫"
    person = factories.person(bio=body, awards=body, last_name=last_name)
    item = factories.news(title=title, summary=LONG_RUSSIAN, body=body)
    db.add_all([person, item])
    db.commit()
    person_id, item_id = person.id, item.id
    db.expunge_all()

    assert db.execute(
        sa.select(Person.bio, Person.awards, Person.last_name).where(Person.id == person_id)
    ).one() == (body, body, last_name)
    assert db.execute(
        sa.select(NewsItem.title, NewsItem.summary, NewsItem.body).where(NewsItem.id == item_id)
    ).one() == (title, LONG_RUSSIAN, body)
    assert db.get(NewsItem, item_id).title == title


def test_lone_surrogate_is_refused_like_a_control_character(db):
    # json.loads('"\\ud800"') gives such a string: a JSON request body can carry one.
    person = factories.person(bio="Текст\ud800дальше")
    db.add(person)
    with pytest.raises(BadText) as info:
        db.flush()
    assert info.value.field == "bio"
