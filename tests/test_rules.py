"""Publication rules, one rule per test; the SQL clause and the Python predicate agree."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from mentoring_site import rules
from mentoring_site.clock import now_utc
from mentoring_site.models import (
    Case,
    NewsItem,
    Person,
    PersonKind,
    ProgramStatus,
    Status,
)
from tests import factories as f
from tests.factories import TODAY

# Both databases: every rule is also an SQL clause; dates, zones, NULLs and booleans
# compare differently in the two dialects (see tests/conftest.py).
pytestmark = pytest.mark.both_databases


def _visible_news(db, now: datetime) -> set[str]:
    sql = set(db.scalars(sa.select(NewsItem.slug).where(rules.published_clause(NewsItem, now))))
    py = {n.slug for n in db.scalars(sa.select(NewsItem)) if rules.is_published(n, now)}
    assert sql == py
    return sql


def _visible_cases(db, now: datetime) -> set[str]:
    sql = set(db.scalars(sa.select(Case.slug).where(rules.case_clause(now))))
    py = {c.slug for c in db.scalars(sa.select(Case)) if rules.is_case_public(c, now)}
    assert sql == py
    return sql


def _visible_people(db, today) -> set[str]:
    sql = set(db.scalars(sa.select(Person.slug).where(rules.person_clause(today))))
    py = {p.slug for p in db.scalars(sa.select(Person)) if rules.public_person(p, today)}
    assert sql == py
    return sql


def test_draft_is_never_public(db):
    db.add(f.news(slug="draft", status=Status.DRAFT, published_at=now_utc() - timedelta(days=5)))
    db.commit()
    assert _visible_news(db, now_utc()) == set()


def test_future_item_appears_by_itself_at_its_time(db):
    when = now_utc() + timedelta(hours=2)
    db.add(f.news(slug="later", published_at=when))
    db.commit()
    assert _visible_news(db, now_utc()) == set()
    assert _visible_news(db, when + timedelta(seconds=1)) == {"later"}


def test_unpublish_date_hides_item_by_itself(db):
    end = now_utc() + timedelta(days=1)
    db.add(f.news(slug="until", unpublish_at=end))
    db.commit()
    assert _visible_news(db, now_utc()) == {"until"}
    assert _visible_news(db, end) == set()


def test_case_of_running_program_is_hidden_even_when_published(db):
    db.add(f.case(f.program(db, status=ProgramStatus.ACTIVE), slug="running"))
    db.commit()
    assert _visible_cases(db, now_utc()) == set()


def test_case_of_completed_program_is_public(db):
    db.add(f.case(f.program(db, status=ProgramStatus.COMPLETED), slug="done"))
    db.commit()
    assert _visible_cases(db, now_utc()) == {"done"}


def test_ending_a_program_early_does_not_publish_its_cases(db):
    db.add(f.case(f.program(db, status=ProgramStatus.ENDED_EARLY), slug="early"))
    db.commit()
    assert _visible_cases(db, now_utc()) == set()


def test_draft_case_of_completed_program_is_hidden(db):
    prog = f.program(db, status=ProgramStatus.COMPLETED)
    db.add(f.case(prog, slug="draft", status=Status.DRAFT))
    db.commit()
    assert _visible_cases(db, now_utc()) == set()


def test_case_of_hidden_program_is_hidden(db):
    prog = f.program(db, status=ProgramStatus.COMPLETED, is_public=False)
    db.add(f.case(prog, slug="c"))
    db.commit()
    assert _visible_cases(db, now_utc()) == set()


def test_person_without_consent_is_hidden(db):
    db.add(f.person(slug="nobody", consented=False))
    db.commit()
    assert _visible_people(db, TODAY) == set()


def test_consent_in_force_shows_person(db):
    db.add(f.person(slug="yes"))
    db.commit()
    assert _visible_people(db, TODAY) == {"yes"}


def test_expired_consent_hides_person_at_once(db):
    p = f.person(slug="expired", consented=False)
    p.consents.append(f.consent(valid_until=TODAY - timedelta(days=1)))
    db.add(p)
    db.commit()
    assert _visible_people(db, TODAY) == set()
    assert _visible_people(db, TODAY - timedelta(days=1)) == {"expired"}


def test_withdrawn_consent_hides_person_from_the_withdrawal_day(db):
    p = f.person(slug="withdrawn", consented=False)
    p.consents.append(f.consent(withdrawn_on=TODAY))
    db.add(p)
    db.commit()
    assert _visible_people(db, TODAY) == set()
    assert _visible_people(db, TODAY - timedelta(days=1)) == {"withdrawn"}


def test_consent_signed_in_the_future_is_not_yet_in_force(db):
    p = f.person(slug="soon", consented=False)
    p.consents.append(f.consent(signed_on=TODAY + timedelta(days=1)))
    db.add(p)
    db.commit()
    assert _visible_people(db, TODAY) == set()


def test_consent_without_name_shows_nothing(db):
    p = f.person(slug="noname", consented=False)
    p.consents.append(f.consent(allow_name=False))
    db.add(p)
    db.commit()
    assert _visible_people(db, TODAY) == set()


def test_only_consented_fields_are_shown(db):
    p = f.person(slug="partial", consented=False)
    p.consents.append(
        f.consent(allow_position=True, allow_photo=False, allow_bio=False,
                  allow_experience=False, allow_awards=False)
    )
    db.add(p)
    db.commit()
    shown = rules.public_person(p, TODAY)
    assert shown.name == p.full_name
    assert shown.position == "Учитель математики"
    assert shown.bio is None and shown.photo is None
    assert shown.experience_years is None and shown.awards is None


def test_newest_consent_in_force_decides_the_fields(db):
    p = f.person(slug="two", consented=False)
    p.consents.append(f.consent(signed_on=TODAY - timedelta(days=100), allow_bio=True))
    p.consents.append(f.consent(signed_on=TODAY - timedelta(days=10), allow_bio=False))
    db.add(p)
    db.commit()
    assert rules.public_person(p, TODAY).bio is None


@pytest.mark.parametrize("allow_all", [True, False])
def test_student_appears_as_first_name_and_initial_only(db, allow_all):
    p = f.person(slug="pupil", kind=PersonKind.STUDENT, last_name="Королёва",
                 first_name="Мария", middle_name="Ивановна", consented=False)
    p.consents.append(f.consent(allow_bio=allow_all, allow_photo=allow_all,
                                allow_experience=allow_all, allow_awards=allow_all))
    db.add(p)
    db.commit()
    shown = rules.public_person(p, TODAY)
    assert shown.name == "Мария К."
    assert shown.bio is None and shown.photo is None and shown.experience_years is None


def test_person_page_clause_agrees_with_has_page(db):
    db.add_all([f.person(slug="teacher"), f.person(slug="pupil", kind=PersonKind.STUDENT),
                f.person(slug="hidden", consented=False)])
    db.commit()
    sql = set(db.scalars(sa.select(Person.slug).where(rules.person_page_clause(TODAY))))
    py = {p.slug for p in db.scalars(sa.select(Person))
          if (shown := rules.public_person(p, TODAY)) and shown.has_page}
    assert sql == py == {"teacher"}


def test_photo_follows_the_newest_consent_only(db):
    """An older consent that allowed the photo does not keep serving it."""
    from mentoring_site.models import MediaFile, MediaKind
    from mentoring_site.queries import Clock, NotFound, public_media

    photo = MediaFile(stored_name="p.jpg", original_name="p.jpg", content_type="image/jpeg",
                      size=1, kind=MediaKind.IMAGE, alt_text="Фото")
    p = f.person(slug="changed-mind", consented=False, photo=photo)
    p.consents.append(f.consent(signed_on=TODAY - timedelta(days=100), allow_photo=True))
    p.consents.append(f.consent(signed_on=TODAY - timedelta(days=10), allow_photo=False))
    db.add(p)
    db.commit()
    assert rules.public_person(p, TODAY).photo is None
    with pytest.raises(NotFound):
        public_media(db, Clock(now=now_utc(), today=TODAY), "p.jpg")


def test_the_last_update_counts_the_banks_but_not_hidden_people(db):
    """«Раздел обновлён» (home page, API summary, the municipal registry) moves when a
    shown mentor's card changes, and says nothing about a person the public cannot see."""
    from mentoring_site import queries

    clock = queries.Clock.current("Europe/Moscow")
    shown, hidden = f.person(), f.person(consented=False)
    db.add_all([shown, hidden])
    db.commit()
    before = queries.figures(db, clock).last_updated
    assert before is not None
    hidden.updated_at = shown.updated_at + timedelta(days=1)
    db.commit()
    assert queries.figures(db, clock).last_updated == before
    shown.updated_at = before + timedelta(hours=1)
    db.commit()
    assert queries.figures(db, clock).last_updated == before + timedelta(hours=1)
