"""Nothing the rules hide appears in any API answer, feed, calendar, the sitemap or the widget.

The same hidden things as tests/test_leaks.py (people without consent, fields without
consent, students' last names, drafts, scheduled and unpublished items, cases of
unfinished programmes, hidden programmes), searched in every open-data answer of the
seeded demo, each collection read to its last page.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.db import utcnow
from mentoring_site.models import (
    Case,
    Document,
    Honor,
    Material,
    MediaFile,
    MediaKind,
    NewsItem,
    Page,
    Person,
    PersonKind,
    Program,
)
from tests import factories
from tests.conftest import SEED_TODAY

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


def _add_a_shy_mentor(sess) -> None:
    """A teacher in the bank whose consent covers the name and position only."""
    shy = factories.person(consented=False, slug="skromnyi", photo=_own_photo(),
                           bio="Секретная биография наставника", awards="Секретная награда")
    shy.consents.append(factories.consent(signed_on=SEED_TODAY - timedelta(days=1),
                                          allow_bio=False, allow_photo=False,
                                          allow_awards=False, allow_experience=False))
    sess.add(shy)
    sess.commit()



def _own_photo() -> MediaFile:
    return MediaFile(stored_name="sekretnoe-foto.jpg", original_name="foto.jpg",
                     content_type="image/jpeg", size=1, kind=MediaKind.IMAGE)


@pytest.fixture
def answers(seeded_app):
    with seeded_app.app_context():
        _add_a_shy_mentor(seeded_app.extensions["mentoring"].session())
    everything = read_everything(seeded_app.test_client())
    with seeded_app.app_context():
        yield everything, seeded_app.extensions["mentoring"].session()


def _where(answers: dict[str, str], text: str) -> list[str]:
    return [url for url, body in answers.items() if text in body]


def test_the_reading_covers_every_kind_of_answer(answers):
    everything, _ = answers
    assert len(everything) >= 15
    joined = "\n".join(everything.values())
    for marker in ("/lyudi/", "/luchshie-praktiki/", "/programmy/", "/novosti/", "/media/",
                   "BEGIN:VEVENT", "<entry>", "<urlset"):
        assert marker in joined, marker


def test_hidden_people_appear_nowhere(answers):
    everything, sess = answers
    hidden = sess.scalars(sa.select(Person).where(sa.not_(rules.person_clause(SEED_TODAY)))).all()
    assert len(hidden) >= 3
    for person in hidden:
        assert not _where(everything, person.full_name), person.full_name
        assert not _where(everything, f"{person.last_name} {person.first_name}")
        assert not _where(everything, f"/lyudi/{person.slug}/"), person.slug
        if person.photo:
            assert not _where(everything, person.photo.stored_name)


def test_students_never_show_their_last_name_or_a_page(answers):
    everything, sess = answers
    students = sess.scalars(sa.select(Person).where(Person.kind == PersonKind.STUDENT)).all()
    assert students
    for s in students:
        assert not _where(everything, s.last_name), s.last_name
        assert not _where(everything, f"/lyudi/{s.slug}/")
    shown = [s for s in students if rules.public_person(s, SEED_TODAY)]
    assert shown and all(_where(everything, rules.display_name(s)) for s in shown)


def test_fields_without_consent_appear_nowhere(answers):
    everything, sess = answers
    checked = 0
    for person in sess.scalars(sa.select(Person)).all():
        consent = rules.consent_in_force(person, SEED_TODAY)
        if consent is None:
            continue
        if not consent.allow_bio and person.bio:
            checked += 1
            assert not _where(everything, person.bio.strip()[:60]), person.full_name
        if not consent.allow_awards and person.awards:
            checked += 1
            assert not _where(everything, person.awards.strip()[:60]), person.full_name
        if not consent.allow_photo and person.photo:
            checked += 1
            assert not _where(everything, person.photo.stored_name), person.full_name
    assert checked >= 3


def test_people_in_the_banks_carry_exactly_their_public_fields(answers):
    everything, sess = answers
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


@pytest.mark.parametrize(
    "model", [Case, NewsItem, Document, Material, Page], ids=lambda m: m.__name__
)
def test_hidden_items_appear_nowhere(answers, model):
    everything, sess = answers
    now = utcnow()
    clause = rules.case_clause(now) if model is Case else rules.published_clause(model, now)
    hidden = sess.scalars(sa.select(model).where(sa.not_(clause))).all()
    assert hidden, f"the demo has no hidden {model.__name__}"
    for item in hidden:
        assert not _where(everything, item.title), item.title
        assert not _where(everything, f"/{item.slug}/"), item.slug


def test_hidden_programs_honors_and_private_files_appear_nowhere(answers):
    everything, sess = answers
    for prog in sess.scalars(sa.select(Program).where(Program.is_public.is_(False))).all():
        assert not _where(everything, prog.title), prog.title
    honors = sess.scalars(sa.select(Honor)).all()
    hidden = [h for h in honors if rules.public_person(h.person, SEED_TODAY) is None]
    assert hidden
    for h in hidden:
        assert not _where(everything, h.person.full_name)
    private = sess.scalars(sa.select(MediaFile).where(MediaFile.is_private.is_(True))).all()
    assert private, "the demo should keep a signed consent"
    for media in private:
        assert not _where(everything, media.stored_name)
