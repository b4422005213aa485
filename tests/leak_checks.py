"""The leak checks shared by the pages and the open data: one list of hidden things.

Each test here takes a ``corpus`` fixture: ``(texts by address, session)``, the texts as a
reader ends up with them (entities decoded). tests/test_leaks.py gives every page of the
demo section a visitor can reach; tests/test_open_data_leaks.py gives every API answer,
feed, calendar, the sitemap and the widget. Both import these tests by name, so a new
hidden thing added here is checked on both sides at once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
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


def nowhere(texts: dict[str, str], needle: str) -> list[str]:
    """The addresses whose text shows ``needle`` (an empty list is what the tests want)."""
    return [url for url, text in texts.items() if needle in text]


def add_a_shy_mentor(sess) -> None:
    """A teacher in the bank whose consent covers the name and position only."""
    photo = MediaFile(stored_name="sekretnoe-foto.jpg", original_name="foto.jpg",
                      content_type="image/jpeg", size=1, kind=MediaKind.IMAGE)
    shy = factories.person(consented=False, slug="skromnyi", photo=photo,
                           bio="Секретная биография наставника", awards="Секретная награда")
    shy.consents.append(factories.consent(signed_on=SEED_TODAY - timedelta(days=1),
                                          allow_bio=False, allow_photo=False,
                                          allow_awards=False, allow_experience=False))
    sess.add(shy)
    sess.commit()


#: A questionnaire answer no public page, feed or API answer may ever show.
ANSWER_MARKER = "Ответ-маркер-7f3c9e: секретный запрос наставляемого"


def add_a_submitted_answer(sess) -> None:
    """An answer to an open questionnaire, with the marker in every text field."""
    from mentoring_site.models import Answer, Questionnaire

    form = sess.scalars(sa.select(Questionnaire).where(
        Questionnaire.slug == "anketa-nastavlyaemogo")).one()
    form.is_open = True
    sess.add(Answer(questionnaire=form, consent_text=ANSWER_MARKER + " (согласие)",
                    consent_number=1,
                    answers={str(q.id): {"question": q.text, "kind": q.kind.value,
                                         "value": ANSWER_MARKER} for q in form.questions}))
    sess.commit()


#: A registration for an event, and its e-mail address, that nothing public may show.
REGISTRATION_MARKER = "Регистрация-маркер-5b1d: секретная заявка"
REGISTRATION_EMAIL = "reg-marker-5b1d@example.ru"
DAY_DETAILS_MARKER = "Ссылка-маркер-5b1d: только в письме в день мероприятия"


def add_a_registration(sess) -> None:
    """The demo's next announcement takes registrations; one registration with the marker
    in every field, accepted, with its letters queued."""
    from mentoring_site.clock import now_local
    from mentoring_site.models import (
        EventRegistration,
        MailMessage,
        NewsKind,
        Registration,
        RegistrationStatus,
    )

    item = sess.scalars(sa.select(NewsItem).where(
        NewsItem.kind == NewsKind.ANNOUNCEMENT, NewsItem.event_starts_at > now_local(
            "Europe/Moscow")).order_by(NewsItem.event_starts_at)).first()
    assert item is not None, "the demo should keep an upcoming announcement"
    # the demo may open this announcement's registration itself (one per announcement)
    event = sess.scalar(sa.select(EventRegistration).where(EventRegistration.news_id == item.id))
    if event is None:
        event = EventRegistration(news_id=item.id, is_open=True, capacity=40)
        sess.add(event)
    event.day_details = DAY_DETAILS_MARKER
    sess.add(Registration(news_id=item.id, name=REGISTRATION_MARKER,
                          organisation=REGISTRATION_MARKER, email=REGISTRATION_EMAIL,
                          comment=REGISTRATION_MARKER, consent_text=REGISTRATION_MARKER,
                          consent_number=1, status=RegistrationStatus.ACCEPTED))
    sess.add(MailMessage(to=REGISTRATION_EMAIL, subject=REGISTRATION_MARKER,
                         body=DAY_DETAILS_MARKER))
    sess.commit()


def read_with_hidden_things(seeded_app, read) -> dict[str, str]:
    """The shy mentor, a submitted answer and a registration added, then ``read(client)``
    taken: the texts of a ``corpus`` (made once per module and backend: tests only read it)."""
    with seeded_app.app_context():
        add_a_shy_mentor(seeded_app.extensions["mentoring"].session())
        add_a_submitted_answer(seeded_app.extensions["mentoring"].session())
        add_a_registration(seeded_app.extensions["mentoring"].session())
    return read(seeded_app.test_client())


def corpus_of(seeded_app, texts: dict[str, str]):
    """The ``corpus`` fixture's body: the texts and a session of their app, per test."""
    with seeded_app.app_context():
        yield texts, seeded_app.extensions["mentoring"].session()


def test_hidden_people_appear_nowhere(corpus):
    texts, sess = corpus
    hidden = sess.scalars(sa.select(Person).where(sa.not_(rules.person_clause(SEED_TODAY)))).all()
    assert len(hidden) >= 3  # no consent, withdrawn, expired
    for person in hidden:
        assert not nowhere(texts, person.full_name), person.full_name
        assert not nowhere(texts, f"{person.last_name} {person.first_name}"), person.full_name
        assert not nowhere(texts, f"/lyudi/{person.slug}/"), person.slug
        if person.photo:
            assert not nowhere(texts, person.photo.stored_name), person.full_name


def test_students_show_neither_a_last_name_nor_a_page(corpus):
    texts, sess = corpus
    students = sess.scalars(sa.select(Person).where(Person.kind == PersonKind.STUDENT)).all()
    assert students
    for s in students:
        assert not nowhere(texts, s.last_name), s.last_name
        assert not nowhere(texts, f"/lyudi/{s.slug}/"), s.slug
    shown = [s for s in students if rules.public_person(s, SEED_TODAY)]
    assert shown, "the demo should show a consenting student"
    assert all(nowhere(texts, rules.display_name(s)) for s in shown)


def _shared_position(sess, person) -> bool:
    """A position such as «Учитель математики» may belong to someone else in the text."""
    return bool(sess.scalar(sa.select(sa.func.count()).where(
        Person.position == person.position, Person.id != person.id)))


def test_fields_without_consent_appear_nowhere(corpus):
    texts, sess = corpus
    checked = 0
    for person in sess.scalars(sa.select(Person)).all():
        consent = rules.consent_in_force(person, SEED_TODAY)
        if consent is None:
            continue
        for allowed, value in ((consent.allow_bio, person.bio),
                               (consent.allow_awards, person.awards)):
            if not allowed and value:
                checked += 1
                assert not nowhere(texts, value.strip()[:60]), person.full_name
        if not consent.allow_photo and person.photo:
            checked += 1
            assert not nowhere(texts, person.photo.stored_name), person.full_name
        if not consent.allow_position and person.position and not _shared_position(sess,
                                                                                   person):
            checked += 1
            for url in nowhere(texts, person.full_name):
                assert person.position not in texts[url], url
    assert checked >= 3


@pytest.mark.parametrize(
    "model", [Case, NewsItem, Document, Material, Page], ids=lambda m: m.__name__
)
def test_hidden_items_appear_nowhere(corpus, model):
    texts, sess = corpus
    now = now_utc()
    clause = rules.case_clause(now) if model is Case else rules.published_clause(model, now)
    hidden = sess.scalars(sa.select(model).where(sa.not_(clause))).all()
    assert hidden, f"the demo has no hidden {model.__name__}"
    for item in hidden:
        assert not nowhere(texts, item.title), item.title
        assert not nowhere(texts, f"/{item.slug}/"), item.slug


def test_hidden_programs_honors_and_private_files_appear_nowhere(corpus):
    texts, sess = corpus
    for prog in sess.scalars(sa.select(Program).where(Program.is_public.is_(False))).all():
        assert not nowhere(texts, prog.title), prog.title
    honors = sess.scalars(sa.select(Honor)).all()
    hidden = [h for h in honors if rules.public_person(h.person, SEED_TODAY) is None]
    assert hidden
    for h in hidden:
        assert not nowhere(texts, h.person.full_name), h.person.full_name
    private = sess.scalars(sa.select(MediaFile).where(MediaFile.is_private.is_(True))).all()
    assert private, "the demo should keep a signed consent"
    for media in private:
        assert not nowhere(texts, media.stored_name), media.original_name


def test_questionnaire_answers_appear_nowhere(corpus):
    texts, _sess = corpus
    assert not nowhere(texts, "Ответ-маркер-7f3c9e")
    assert not nowhere(texts, "v.sokolova@example.ru")  # the demo's own sample answer
    assert not nowhere(texts, "p.ershov@example.ru")


def test_registrations_and_their_addresses_appear_nowhere(corpus):
    texts, _sess = corpus
    for needle in ("Регистрация-маркер-5b1d", "reg-marker-5b1d", "Ссылка-маркер-5b1d"):
        assert not nowhere(texts, needle), needle
