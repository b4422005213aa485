"""The public side of the monitoring of effectiveness (issue 10) and the direction filter.

The programme page and the open data show a completed programme's final levels only if the
school switched them on (SectionInfo.show_effectiveness_level), a mentee's level only while
the mentee may be named, and never points. The programme list filters by direction with a
plain GET form. Real SQLite, the Flask test client, no mocks.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentoring_site import contract, queries
from mentoring_site.models import AssessmentStage, Direction, PersonKind, ProgramStatus
from mentoring_site.monitoring import assessments as scoring
from mentoring_site.municipal import shapes
from tests import factories as f
from tests import monitoring_support as ms
from tests.test_accessibility import apply as apply_vi

PREFIX = "/nastavnichestvo"
API = PREFIX + "/api/v1"
ENTRY, FINAL = AssessmentStage.ENTRY, AssessmentStage.FINAL
NINE = (1,) * 9  # 9: «допустимый»
FIFTEEN = (2, 2, 1, 2, 2, 1, 2, 2, 1)  # 15: «оптимальный»
SEVEN = (1, 1, 1, 1, 1, 0, 0, 1, 1)  # 7: «недопустимый»
LEVELS = ("оптимальный", "допустимый", "недопустимый")


def _clock() -> queries.Clock:
    return queries.Clock.current("Europe/Moscow")


def _score(db, program, person, entry, final=None):
    sheet = scoring.active_sheet(db)
    start = program.starts_on
    scoring.record_assessment(db, program, stage=ENTRY, scored_on=start,
                              answers=ms.answers(sheet, entry), assessor_name="Куратор",
                              person=person)
    if final is not None:
        scoring.record_assessment(db, program, stage=FINAL,
                                  scored_on=start + timedelta(days=100),
                                  answers=ms.answers(sheet, final), assessor_name="Куратор",
                                  person=person)


def _completed(db, mentees, **fields):
    program = f.program(db, status=ProgramStatus.COMPLETED, mentors=[f.person()],
                        mentees=mentees, ended_on=f.TODAY - timedelta(days=5), **fields)
    db.add(program)
    db.flush()
    return program


@pytest.fixture
def school(db):
    """A completed pair (consenting mentee, 15 points), a completed pair whose mentee has no
    consent (7), a completed group scored mentee by mentee (15 and 9), a running programme
    already scored at the end (9) and a hidden completed one (15)."""
    shown, shy = f.person(last_name="Видимова"), f.person(last_name="Скрытова", consented=False)
    a, b = f.person(last_name="Групова"), f.person(last_name="Вторая")
    pair = _completed(db, [shown], slug="para")
    _score(db, pair, shown, NINE, FIFTEEN)
    quiet = _completed(db, [shy], slug="tikhaya")
    _score(db, quiet, shy, NINE, SEVEN)
    group = _completed(db, [a, b], slug="gruppa")
    _score(db, group, a, NINE, FIFTEEN)
    _score(db, group, b, SEVEN, NINE)
    running = f.program(db, mentors=[f.person()], mentees=[f.person(last_name="Идущая")],
                        slug="idet")
    db.add(running)
    db.flush()
    _score(db, running, running.participations[1].person, SEVEN, NINE)
    hidden = _completed(db, [f.person()], slug="skryta", is_public=False)
    _score(db, hidden, hidden.participations[1].person, NINE, FIFTEEN)
    early = f.program(db, status=ProgramStatus.ENDED_EARLY, mentees=[f.person()], slug="rano")
    db.add(early)
    db.flush()
    _score(db, early, early.participations[0].person, NINE, FIFTEEN)
    db.commit()
    return {"pair": pair, "quiet": quiet, "group": group, "running": running,
            "hidden": hidden, "early": early}


def _switch(db, on: bool) -> None:
    scoring.set_show_levels_on_site(db, on)
    db.commit()


def _page(db, slug):
    return queries.program_page(db, _clock(), slug).card.effectiveness


# -- the read model ---------------------------------------------------------------------------


def test_nothing_is_public_while_the_switch_is_off(db, school):
    _switch(db, False)
    for slug in ("para", "tikhaya", "gruppa", "idet", "rano"):
        assert _page(db, slug) is None, slug
    assert queries.level_figures(db) is None
    cards = queries.programs(db, _clock(), 1, 50, levels=True).items
    assert cards and all(c.effectiveness is None for c in cards)


def test_a_completed_pair_shows_its_level_and_the_named_mentees_level(db, school):
    _switch(db, True)
    eff = _page(db, "para")
    assert eff is not None and eff.level == "оптимальный"
    assert [(c.name, c.min_total, c.max_total, c.count) for c in eff.counts] == [
        ("оптимальный", 15, 18, 1), ("допустимый", 9, 14, 0), ("недопустимый", 0, 8, 0)]
    [mentee] = eff.mentees
    assert mentee.level == "оптимальный" and mentee.person.name.startswith("Видимова")


def test_a_mentee_without_consent_is_counted_but_never_named(db, school):
    _switch(db, True)
    eff = _page(db, "tikhaya")
    assert eff is not None and eff.level == "недопустимый"
    assert {c.name: c.count for c in eff.counts}["недопустимый"] == 1
    assert eff.mentees == []


def test_a_group_counts_each_mentee_and_takes_the_mean_as_its_level(db, school):
    _switch(db, True)
    eff = _page(db, "gruppa")
    assert eff is not None
    assert eff.level == scoring.final_level(db, school["group"]) == "допустимый"  # (15+9)/2
    assert {c.name: c.count for c in eff.counts} == {
        "оптимальный": 1, "допустимый": 1, "недопустимый": 0}
    assert sorted(m.level for m in eff.mentees) == ["допустимый", "оптимальный"]


def test_running_and_early_ended_programmes_show_no_level_even_when_scored(db, school):
    _switch(db, True)
    assert _page(db, "idet") is None
    assert _page(db, "rano") is None
    with pytest.raises(queries.NotFound):
        _page(db, "skryta")


def test_a_withdrawn_consent_takes_the_mentees_level_off_at_once(db, school):
    _switch(db, True)
    [consent] = school["pair"].participations[1].person.consents
    consent.withdrawn_on = date.today()
    db.commit()
    eff = _page(db, "para")
    assert eff is not None and eff.level == "оптимальный" and eff.mentees == []


def test_level_figures_count_completed_public_programmes_by_their_final_level(db, school):
    _switch(db, True)
    figures = queries.level_figures(db)
    assert figures is not None
    assert [(c.name, c.count) for c in figures] == [
        ("оптимальный", 1), ("допустимый", 1), ("недопустимый", 1)]
    # The same rule as the curator's figures (monitoring.assessments.level_counts).
    counted = [school[k] for k in ("pair", "quiet", "group")]
    assert dict(scoring.level_counts(db, counted)) == {
        c.name: c.count for c in figures if c.count}


def test_the_list_carries_levels_only_when_asked_and_only_for_completed(db, school):
    _switch(db, True)
    plain = queries.programs(db, _clock(), 1, 50).items
    assert all(c.effectiveness is None for c in plain)
    cards = {c.program.slug: c for c in queries.programs(db, _clock(), 1, 50, levels=True).items}
    assert {s for s, c in cards.items() if c.effectiveness} == {"para", "tikhaya", "gruppa"}
    assert "skryta" not in cards


# -- the programme page -----------------------------------------------------------------------


def _html(client, slug):
    resp = client.get(f"{PREFIX}/programmy/{slug}/")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_page_shows_the_results_only_with_the_switch_on(app, db, school):
    client = app.test_client()
    _switch(db, False)
    for slug in ("para", "gruppa", "idet"):
        html = _html(client, slug)
        assert "Результаты мониторинга эффективности" not in html
        assert not any(level in html for level in LEVELS), slug
    _switch(db, True)
    html = _html(client, "para")
    assert '<h2 id="m-effectiveness">Результаты мониторинга эффективности</h2>' in html
    assert "Итоговый уровень эффективности программы: <strong>оптимальный</strong>" in html
    assert '<th scope="row">оптимальный</th>' in html
    assert '<td data-label="Сумма баллов">15–18</td>' in html
    assert "Итоговый уровень наставляемых" in html and "<dd>оптимальный</dd>" in html
    assert "15 балл" not in html  # levels, never an individual's points


def test_the_page_names_no_mentee_without_consent(app, db, school):
    client = app.test_client()
    _switch(db, True)
    html = _html(client, "tikhaya")
    assert "Результаты мониторинга эффективности" in html
    assert "Итоговый уровень наставляемых" not in html
    assert "Скрытова" not in html


def test_the_page_of_a_running_programme_shows_no_level(app, db, school):
    client = app.test_client()
    _switch(db, True)
    html = _html(client, "idet")
    assert "Результаты мониторинга эффективности" not in html
    assert not any(level in html for level in LEVELS)


def test_the_version_for_the_visually_impaired_shows_the_same_results(app, db, school):
    client = app.test_client()
    _switch(db, True)
    assert apply_vi(client, size="3").status_code == 303
    html = _html(client, "para")
    assert "m-vi" in html
    assert "Результаты мониторинга эффективности" in html
    assert '<td data-label="Наставляемых (групп)">1</td>' in html


# -- the open data ----------------------------------------------------------------------------


def _api_programs(client) -> dict[str, dict]:
    data = client.get(f"{API}/programs?per_page=100").get_json()
    return {p["slug"]: p for p in data["items"]}


def test_the_api_carries_the_levels_only_with_the_switch_on(app, db, school):
    client = app.test_client()
    _switch(db, False)
    assert client.get(f"{API}/summary").get_json()["effectiveness"] is None
    assert all(p["effectiveness"] is None for p in _api_programs(client).values())

    _switch(db, True)
    summary = client.get(f"{API}/summary").get_json()
    assert summary["effectiveness"] == [
        {"level": "оптимальный", "min_total": 15, "max_total": 18, "count": 1},
        {"level": "допустимый", "min_total": 9, "max_total": 14, "count": 1},
        {"level": "недопустимый", "min_total": 0, "max_total": 8, "count": 1},
    ]
    programs = _api_programs(client)
    pair = programs["para"]["effectiveness"]
    assert pair["level"] == "оптимальный" and pair["sheet"]
    assert [c["count"] for c in pair["counts"]] == [1, 0, 0]
    [mentee] = pair["mentees"]
    assert mentee["level"] == "оптимальный"
    assert mentee["person"] == programs["para"]["mentees"][0]
    quiet = programs["tikhaya"]
    assert quiet["effectiveness"]["mentees"] == [] and quiet["hidden_participants"] == 1
    assert programs["idet"]["effectiveness"] is None
    assert "skryta" not in programs
    # Levels only, never an individual's points.
    assert set(pair) == {"sheet", "level", "counts", "mentees"}
    assert set(mentee) == {"person", "level"}


def test_the_answers_validate_against_the_contract(app, db, school):
    client = app.test_client()
    _switch(db, True)
    contract.Summary.model_validate(client.get(f"{API}/summary").get_json())
    contract.ProgramPage.model_validate(client.get(f"{API}/programs").get_json())


def test_an_older_schools_answer_without_the_new_fields_is_still_valid(app, db, school):
    """The fields are optional: the registry (and the models) read a school on an older v1."""
    client = app.test_client()
    _switch(db, True)
    summary = client.get(f"{API}/summary").get_json()
    assert summary["effectiveness"]
    older = {k: v for k, v in summary.items() if k != "effectiveness"}
    assert contract.Summary.model_validate(older, strict=True).effectiveness is None
    assert shapes.summary(older) == shapes.summary(summary)
    program = next(p for p in _api_programs(client).values() if p["effectiveness"])
    older_program = {k: v for k, v in program.items() if k != "effectiveness"}
    assert contract.Program.model_validate(older_program).effectiveness is None
    schema = contract.Summary.model_json_schema(mode="serialization")
    assert "effectiveness" not in schema.get("required", [])


# -- the direction filter ---------------------------------------------------------------------


@pytest.fixture
def directed(db):
    method, family, digital = (Direction(name="Методика преподавания", sort=-3),
                               Direction(name="Работа с родителями", sort=-2),
                               Direction(name="Цифровая образовательная среда", sort=-1))
    db.add_all([method, family, digital])
    for i in range(7):
        p = f.program(db, slug=f"metodika-{i}", title=f"Методика {i}", mentees=[f.person()])
        p.directions.append(method)
        db.add(p)
    other = f.program(db, slug="roditeli", title="Родители")
    other.directions.append(family)
    secret = f.program(db, slug="tsifra", title="Цифра тайная", is_public=False)
    secret.directions.append(digital)
    db.add_all([other, secret])
    db.commit()
    return method, family, digital


def test_the_options_are_the_directions_of_public_programmes(db, directed):
    method, family, digital = directed
    offered = queries.program_directions(db)
    assert [d.id for d in offered] == [method.id, family.id]  # the school's order
    assert [d.name for d in offered] == [method.name, family.name]
    page = queries.programs(db, _clock(), 1, 50, direction=family.id)
    assert [c.program.slug for c in page.items] == ["roditeli"]
    assert queries.programs(db, _clock(), 1, 50, direction=digital.id).total == 0


def test_the_form_filters_and_pagination_keeps_the_filter(app, db, directed):
    method, family, _ = directed
    app.config["MENTORING_PER_PAGE"] = 5
    client = app.test_client()
    html = client.get(f"{PREFIX}/programmy/").get_data(as_text=True)
    assert '<form class="m-filter-form" method="get"' in html
    assert '<label for="m-napravlenie">Направление</label>' in html
    assert '<select id="m-napravlenie" name="napravlenie">' in html
    assert '<button type="submit">Показать</button>' in html
    assert f'<option value="{method.id}">Методика преподавания</option>' in html
    assert "Цифровая образовательная среда" not in html  # only a hidden programme has it

    resp = client.get(f"{PREFIX}/programmy/?napravlenie={method.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Родители" not in html and "Методика 6" in html and "Методика 0" not in html
    assert f'<option value="{method.id}" selected>' in html
    assert f'href="/nastavnichestvo/programmy/?page=2&amp;napravlenie={method.id}"' in html
    page2 = client.get(f"{PREFIX}/programmy/?page=2&napravlenie={method.id}")
    html = page2.get_data(as_text=True)
    assert page2.status_code == 200 and "Родители" not in html and "Методика 0" in html
    assert f'<option value="{method.id}" selected>' in html

    both = client.get(f"{PREFIX}/programmy/?status=realizuyutsya&napravlenie={family.id}")
    html = both.get_data(as_text=True)
    assert both.status_code == 200 and "Родители" in html and "Методика 0" not in html
    assert '<input type="hidden" name="status" value="realizuyutsya">' in html
    unfiltered = client.get(f"{PREFIX}/programmy/?napravlenie=")
    assert unfiltered.status_code == 200 and "Родители" in unfiltered.get_data(as_text=True)


@pytest.mark.parametrize("value", [
    "abc", "²", "١", "1.0", "-1", "+1", " 1", "0x1", "9" * 10, "9" * 400, "99999999",
    "1%00", "1\x00", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "１", "1 ",
    "0", "00000000001",
])
def test_hostile_directions_answer_404_never_500(app, db, directed, value):
    client = app.test_client()
    resp = client.get(f"{PREFIX}/programmy/", query_string={"napravlenie": value})
    assert resp.status_code == 404, value


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF", "%C2%B2", "1e3", "%20"])
def test_undecodable_directions_answer_404_never_500(app, db, directed, raw):
    resp = app.test_client().get(f"{PREFIX}/programmy/?napravlenie={raw}")
    assert resp.status_code == 404, raw


def test_a_hidden_programmes_direction_is_not_a_filter(app, db, directed):
    _, _, digital = directed
    resp = app.test_client().get(f"{PREFIX}/programmy/?napravlenie={digital.id}")
    assert resp.status_code == 404


def test_a_pupils_own_level_is_never_published(db):
    """A consent to show a child's «Имя Ф.» is not one to publish how the child was assessed:
    the pupil counts in the programme's figures, but no line names a pupil's level."""
    student = f.person(kind=PersonKind.STUDENT, first_name="Мария", last_name="Котова")
    program = _completed(db, [student])
    _score(db, program, student, NINE, FIFTEEN)
    _switch(db, True)
    eff = _page(db, program.slug)
    assert eff is not None
    assert eff.mentees == []
    assert sum(c.count for c in eff.counts) == 1


def test_a_filtered_list_is_its_own_canonical_page(app, db, directed):
    method, _, _ = directed
    html = app.test_client().get(
        f"{PREFIX}/programmy/?napravlenie={method.id}&utm_source=x").get_data(as_text=True)
    assert (f'<link rel="canonical" href="http://localhost{PREFIX}/programmy/'
            f'?napravlenie={method.id}">') in html
    assert f"<title>Программы наставничества, направление «{method.name}»" in html
