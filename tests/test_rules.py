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
    NewsKind,
    Person,
    PersonKind,
    Program,
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


# -- publication state: one function, the admin's labels, SQL and Python agree ------------


def test_publication_state_names_the_four_states_and_sql_agrees(db):
    from mentoring_site.rules import PublicationState as S

    now = now_utc()
    db.add_all([
        f.news(slug="draft", status=Status.DRAFT),
        f.news(slug="scheduled", published_at=now + timedelta(hours=2)),
        f.news(slug="live", unpublish_at=now + timedelta(days=1)),
        f.news(slug="taken-down", unpublish_at=now - timedelta(minutes=1)),
        f.news(slug="draft-in-future", status=Status.DRAFT, published_at=now + timedelta(days=1)),
    ])
    db.commit()
    sql = dict(db.execute(
        sa.select(NewsItem.slug, rules.publication_state_clause(NewsItem, now))).all())
    py = {n.slug: rules.publication_state(n, now) for n in db.scalars(sa.select(NewsItem))}
    assert py == {"draft": S.DRAFT, "scheduled": S.SCHEDULED, "live": S.LIVE,
                  "taken-down": S.TAKEN_DOWN, "draft-in-future": S.DRAFT}
    assert {k: S(v) for k, v in sql.items()} == py
    assert {s for s, state in py.items() if state is S.LIVE} == _visible_news(db, now)
    assert [s.label for s in S] == ["Черновик", "Выйдет", "На сайте", "Снято с сайта"]


# -- programmes: results and the early end -----------------------------------------------


def _program_flags(db) -> tuple[dict, dict]:
    from mentoring_site.models import Program

    def both(clause, predicate):
        sql = set(db.scalars(sa.select(Program.slug).where(clause)))
        py = {p.slug for p in db.scalars(sa.select(Program)) if predicate(p)}
        assert sql == py
        return sql

    return (both(rules.results_clause(), rules.results_public),
            both(rules.early_end_clause(), rules.early_end_public))


def test_results_only_after_completion_and_early_end_only_when_ended_early(db):
    db.add_all([f.program(db, slug=status.value, status=status, results="Итоги")
                for status in ProgramStatus])
    db.add(f.program(db, slug="hidden", status=ProgramStatus.COMPLETED, is_public=False))
    db.add(f.program(db, slug="hidden-early", status=ProgramStatus.ENDED_EARLY, is_public=False))
    db.commit()
    results, early = _program_flags(db)
    assert results == {"completed"}
    assert early == {"ended_early"}


def test_program_card_carries_the_flags_the_page_and_api_read(db):
    from mentoring_site.queries.graph import card_parts
    from mentoring_site.queries.programs import program_card

    done = f.program(db, status=ProgramStatus.COMPLETED)
    early = f.program(db, status=ProgramStatus.ENDED_EARLY)
    running = f.program(db, status=ProgramStatus.ACTIVE)
    db.add_all([done, early, running])
    db.commit()
    parts = card_parts(db, [done, early, running])
    flags = {p.status: (c.results_public, c.early_end_public)
             for p in (done, early, running) for c in [program_card(p, parts[p.id], TODAY)]}
    assert flags == {ProgramStatus.COMPLETED: (True, False),
                     ProgramStatus.ENDED_EARLY: (False, True),
                     ProgramStatus.ACTIVE: (False, False)}


# -- honours ------------------------------------------------------------------------------


def test_honor_is_public_only_while_its_person_is_shown(db):
    from mentoring_site.models import Honor

    shown, hidden = f.person(slug="shown"), f.person(slug="hidden", consented=False)
    db.add_all([f.honor(shown, title="a"), f.honor(hidden, title="b", partner=shown),
                f.honor(shown, title="c", status=Status.DRAFT)])
    db.commit()
    now = now_utc()
    sql = set(db.scalars(sa.select(Honor.title).where(rules.honor_clause(now, TODAY))))
    py = {h.title for h in db.scalars(sa.select(Honor)) if rules.is_honor_public(h, now, TODAY)}
    assert sql == py == {"a"}


# -- aggregate counts --------------------------------------------------------------------


def test_counts_include_people_without_consent_but_not_hidden_programmes(db):
    from mentoring_site import queries
    from mentoring_site.models import Program, Role

    db.add_all([f.person(in_mentor_bank=True), f.person(in_mentor_bank=True, consented=False),
                f.person(in_mentor_bank=False, in_mentee_bank=True, consented=False)])
    db.add_all([f.program(db, status=ProgramStatus.ACTIVE),
                f.program(db, status=ProgramStatus.ACTIVE, is_public=False),
                f.program(db, status=ProgramStatus.COMPLETED)])
    db.commit()
    for role in Role:
        sql = db.scalar(sa.select(sa.func.count()).where(rules.counted_in_bank_clause(role)))
        py = sum(rules.is_counted_in_bank(p, role) for p in db.scalars(sa.select(Person)))
        assert sql == py
    for status in ProgramStatus:
        sql = db.scalar(sa.select(sa.func.count()).where(rules.counted_program_clause(status)))
        py = sum(rules.is_program_counted(p, status) for p in db.scalars(sa.select(Program)))
        assert sql == py
    figures = queries.figures(db, queries.Clock(now=now_utc(), today=TODAY))
    assert (figures.mentors, figures.mentees) == (2, 1)
    assert (figures.active_programs, figures.completed_programs) == (1, 1)


# -- media -------------------------------------------------------------------------------


def test_a_file_is_served_only_while_something_public_shows_it(db):
    from mentoring_site.models import MediaFile, MediaKind
    from mentoring_site.queries import Clock, NotFound, public_media

    def file(name, **kw):
        return MediaFile(stored_name=name, original_name=name, content_type="image/jpeg",
                         size=1, kind=MediaKind.IMAGE, **kw)

    live, draft, scan = file("live.jpg"), file("draft.jpg"), file("scan.jpg", is_private=True)
    db.add_all([f.news(image=live), f.news(image=draft, status=Status.DRAFT),
                f.news(image=scan)])
    db.commit()
    clock = Clock(now=now_utc(), today=TODAY)
    shown = {m.stored_name for m in (live, draft, scan)
             if rules.is_servable_media(m)
             and db.scalar(sa.select(rules.media_shown_clause(m.id, clock.now)))}
    assert shown == {"live.jpg"}
    assert public_media(db, clock, "live.jpg") is live
    for name in ("draft.jpg", "scan.jpg"):
        with pytest.raises(NotFound):
            public_media(db, clock, name)


def test_a_students_address_carries_no_surname():
    pupil = f.person(kind=PersonKind.STUDENT, first_name="Мария", last_name="Королёва")
    teacher = f.person(first_name="Анна", last_name="Вымыслова", middle_name=None)
    assert "Королёва" not in rules.slug_text(pupil)
    assert rules.slug_text(teacher) == teacher.full_name


def test_a_partners_page_does_not_list_an_honour_the_honours_page_hides(db):
    from mentoring_site import queries

    clock = queries.Clock(now=now_utc(), today=TODAY)
    partner, hidden = f.person(slug="partner"), f.person(slug="hidden", consented=False)
    db.add_all([f.honor(hidden, title="Лучшая пара", partner=partner),
                f.honor(partner, title="Лучший наставник")])
    db.commit()
    assert [c.honor.title for c in queries.honors(db, clock, 1, 10).items] == [
        "Лучший наставник"]
    assert [h.title for h in queries.person_page(db, clock, "partner").honors] == [
        "Лучший наставник"]


def test_the_last_update_says_nothing_about_a_case_not_yet_public(db):
    from mentoring_site import queries

    clock = queries.Clock(now=now_utc(), today=TODAY)
    done = f.case(f.program(db, status=ProgramStatus.COMPLETED))
    running = f.case(f.program(db, status=ProgramStatus.ACTIVE))
    db.add_all([done, running])
    db.commit()
    before = queries.figures(db, clock).last_updated
    running.updated_at = before + timedelta(hours=1)
    db.commit()
    assert queries.figures(db, clock).last_updated == before


# -- questionnaires -------------------------------------------------------------------------


def test_a_questionnaire_is_open_until_the_end_of_its_deadline_day(db):
    from mentoring_site.models import Questionnaire

    db.add_all([
        Questionnaire(slug="open", title="Открыта", is_open=True),
        Questionnaire(slug="closed", title="Закрыта", is_open=False),
        Questionnaire(slug="today", title="До сегодня", is_open=True, deadline=TODAY),
        Questionnaire(slug="passed", title="Срок прошёл", is_open=True,
                      deadline=TODAY - timedelta(days=1)),
        Questionnaire(slug="closed-later", title="Закрыта со сроком", is_open=False,
                      deadline=TODAY + timedelta(days=9)),
    ])
    db.flush()
    ours = Questionnaire.slug.in_(["open", "closed", "today", "passed", "closed-later"])
    sql = set(db.scalars(sa.select(Questionnaire.slug).where(
        ours, rules.questionnaire_open_clause(TODAY))))
    py = {q.slug for q in db.scalars(sa.select(Questionnaire).where(ours))
          if rules.is_questionnaire_open(q, TODAY)}
    assert sql == py == {"open", "today"}
    tomorrow = TODAY + timedelta(days=1)
    assert set(db.scalars(sa.select(Questionnaire.slug).where(
        ours, rules.questionnaire_open_clause(tomorrow)))) == {"open"}


def test_level_figures_go_out_only_with_the_schools_switch(db):
    """Counts per level name nobody, yet with one completed pair a count is that mentee's
    level: the open data publishes them only when the school switched levels on."""
    completed = f.program(db, status=ProgramStatus.COMPLETED)
    running = f.program(db, status=ProgramStatus.ACTIVE)
    hidden = f.program(db, status=ProgramStatus.COMPLETED, is_public=False)
    db.add_all([completed, running, hidden])
    db.commit()
    assert rules.level_figures_public(True) and not rules.level_figures_public(False)
    counted = db.scalars(sa.select(Program).where(rules.level_count_clause())).all()
    assert counted == [completed]
    assert [rules.counts_in_level_figures(p) for p in (completed, running, hidden)] == [
        True, False, False]
    assert [rules.is_final_level_public(completed, on) for on in (True, False)] == [True, False]


def test_an_event_is_past_once_its_end_or_its_start_has_passed(db):
    now = now_utc()
    cases = {"end-passed": (now - timedelta(days=2), now - timedelta(days=1)),
             "under-way": (now - timedelta(hours=1), now + timedelta(hours=1)),
             "start-passed": (now - timedelta(hours=1), None),
             "coming": (now + timedelta(days=1), None), "undated": (None, None)}
    db.add_all(f.news(slug=slug, kind=NewsKind.ANNOUNCEMENT, event_starts_at=start,
                      event_ends_at=end) for slug, (start, end) in cases.items())
    db.commit()
    items = db.scalars(sa.select(NewsItem)).all()
    in_sql = set(db.scalars(sa.select(NewsItem.slug).where(rules.event_past_clause(now))))
    assert in_sql == {i.slug for i in items if rules.event_past(i, now)}
    assert in_sql == {"end-passed", "start-passed"}
