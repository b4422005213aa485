"""A programme's card on the list, on a case's page and in the API: its people from
``queries.graph.card_parts`` (in the programme's order, mentors and mentees apart, those
without consent only counted) and its plan's share done from one grouped count. The people
of the cards, the banks, a person's page and the honours are read as rows
(``graph.PersonRow``), decided on by the rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentoring_site import queries
from mentoring_site.clock import Clock, now_utc
from mentoring_site.models import Person, PersonKind, PlanEvent, ProgramStatus, Role
from mentoring_site.queries.base import NotFound
from tests import factories as f

PREFIX = "/nastavnichestvo"


@pytest.fixture
def programmes(app, db):
    mentors = [f.person(last_name=f"Наставникова{i}") for i in range(2)]
    mentees = [f.person(last_name=f"Участникова{i}") for i in range(3)]
    hidden = f.person(last_name="Скрытова", consented=False)
    running = f.program(db, slug="idet", title="Идущая программа", mentors=mentors,
                        mentees=[mentees[0], hidden, mentees[1]])
    for i, done in enumerate((False, True, False, False, True, False)):  # 3 of 7 done
        running.events.append(PlanEvent(title=f"Встреча {i}", due_on=f.TODAY + timedelta(i),
                                         done_on=f.TODAY if done else None))
    empty = f.program(db, slug="bez-plana", title="Программа без плана", mentors=[hidden])
    empty.events.clear()
    finished = f.program(db, slug="zavershena", title="Завершённая программа",
                         status=ProgramStatus.COMPLETED, mentors=[mentors[1]],
                         mentees=[mentees[2]])
    db.add_all([running, empty, finished, f.case(finished, slug="praktika")])
    db.commit()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_list_shows_each_cards_people_and_share_done(client, programmes):
    html = client.get(f"{PREFIX}/programmy/").get_data(as_text=True)
    running = _between(html, ">Идущая программа</a>", "</article>")
    assert running.index("Наставникова0") < running.index("Наставникова1")
    assert running.index("Участникова0") < running.index("Участникова1")
    assert "Наставники" in running and "Наставляемые" in running
    assert "и ещё 1 участник" in running and "Скрытова" not in html
    assert "План выполнен на 43&nbsp;%" in running  # 3 of 7, rounded
    empty = _between(html, ">Программа без плана</a>", "</article>")
    assert "m-progress" not in empty and "В программе 1 участник" in empty


def test_a_case_and_the_api_show_the_same_card(client, programmes):
    page = client.get(f"{PREFIX}/luchshie-praktiki/praktika/").get_data(as_text=True)
    assert "Наставникова1" in page and "Участникова2" in page
    cards = {p["slug"]: p for p in client.get(f"{PREFIX}/api/v1/programs").get_json()["items"]}
    assert cards["idet"]["percent_done"] == 43 and cards["bez-plana"]["percent_done"] is None
    assert [m["name"].split()[0] for m in cards["idet"]["mentors"]] == \
        ["Наставникова0", "Наставникова1"]
    assert [m["name"].split()[0] for m in cards["idet"]["mentees"]] == \
        ["Участникова0", "Участникова1"]
    assert cards["idet"]["hidden_participants"] == 1
    assert cards["zavershena"]["percent_done"] == 100


def test_cards_read_people_as_the_rules_do_without_loading_them(app, db):
    """The cards' people come as columns (``graph.PersonRow``): the newest consent in force
    decides the fields, a consent withdrawn today counts for nothing, a pupil is «Имя Ф.»,
    and a person in two programmes is the same on both cards; no ``Person`` is loaded."""
    teacher = f.person(last_name="Двойнова", position="Учитель физики")
    teacher.consents.append(f.consent(signed_on=f.TODAY - timedelta(days=5),
                                      allow_position=False))  # the newest in force
    teacher.consents.append(f.consent(signed_on=f.TODAY - timedelta(days=1),
                                      withdrawn_on=f.TODAY))  # withdrawn: not in force
    pupil = f.person(last_name="Ученикова", first_name="Мария", kind=PersonKind.STUDENT)
    db.add_all([f.program(db, slug="pervaya", title="Первая", mentors=[teacher],
                          mentees=[pupil]),
                f.program(db, slug="vtoraya", title="Вторая", mentors=[teacher])])
    db.commit()
    db.expunge_all()
    paged = queries.programs(db, Clock(now=now_utc(), today=f.TODAY), 1, 20)
    assert not [o for o in db.identity_map.values() if isinstance(o, Person)]
    cards = {c.program.slug: c for c in paged.items}
    first, second = cards["pervaya"].mentors[0], cards["vtoraya"].mentors[0]
    assert first == second and first.name == "Двойнова Анна Сергеевна"
    assert first.position is None and first.bio == second.bio and first.bio
    assert [m.name for m in cards["pervaya"].mentees] == ["Мария У."]
    assert cards["pervaya"].mentees[0].bio is None and cards["pervaya"].mentees[0].photo is None


def test_a_bank_reads_its_people_as_rows_in_order(app, db, client):
    late = f.person(last_name="Яковлева", position="Учитель химии")
    late.consents.append(f.consent(signed_on=f.TODAY - timedelta(days=2), allow_position=False))
    early = f.person(last_name="Абрамова", position="Учитель истории")
    gone = f.person(last_name="Отозванова", consented=False)
    gone.consents.append(f.consent(withdrawn_on=f.TODAY))
    db.add_all([late, early, gone])
    db.commit()
    db.expunge_all()
    paged = queries.people_in_bank(db, Clock(now=now_utc(), today=f.TODAY), Role.MENTOR, 1, 20)
    assert not [o for o in db.identity_map.values() if isinstance(o, Person)]
    assert [p.name.split()[0] for p in paged.items] == ["Абрамова", "Яковлева"]
    assert paged.total == 2
    assert [p.position for p in paged.items] == ["Учитель истории", None]
    html = client.get(f"{PREFIX}/nastavniki/").get_data(as_text=True)
    assert "Учитель истории" in html and "Учитель химии" not in html
    assert "Отозванова" not in html


def test_a_persons_page_reads_them_as_a_row_and_the_rules_decide(app, db):
    teacher = f.person(slug="dvoinova", last_name="Двойнова", position="Учитель физики")
    teacher.consents.append(f.consent(signed_on=f.TODAY - timedelta(days=5),
                                      allow_position=False))  # the newest in force
    teacher.consents.append(f.consent(signed_on=f.TODAY - timedelta(days=1),
                                      withdrawn_on=f.TODAY))  # withdrawn: not in force
    gone = f.person(slug="otozvanova", consented=False)
    gone.consents.append(f.consent(withdrawn_on=f.TODAY))
    pupil = f.person(slug="uchenikova", kind=PersonKind.STUDENT)
    db.add_all([teacher, gone, pupil, f.honor(teacher, title="Наставник года")])
    db.commit()
    db.expunge_all()
    clock = Clock(now=now_utc(), today=f.TODAY)
    view = queries.person_page(db, clock, "dvoinova")
    assert not [o for o in db.identity_map.values() if isinstance(o, Person)]
    assert view.person.name == "Двойнова Анна Сергеевна" and view.person.position is None
    assert [h.title for h in view.honors] == ["Наставник года"]
    for hidden in ("otozvanova", "uchenikova", "nikto"):
        with pytest.raises(NotFound):
            queries.person_page(db, clock, hidden)


def test_honours_read_their_people_as_rows_and_leave_out_a_partner_without_consent(
        app, db, client):
    shown = f.person(last_name="Почётова", position="Учитель музыки")
    partner = f.person(last_name="Напарникова")
    hidden = f.person(last_name="Скрытова", consented=False)
    gone = f.person(last_name="Отозванова", consented=False)
    gone.consents.append(f.consent(withdrawn_on=f.TODAY))
    db.add_all([f.honor(shown, title="С напарником", partner=partner, year=2026),
                f.honor(shown, title="Без согласия напарника", partner=hidden, year=2025),
                f.honor(gone, title="Отозвано", year=2024)])
    db.commit()
    db.expunge_all()
    paged = queries.honors(db, Clock(now=now_utc(), today=f.TODAY), 1, 20)
    assert not [o for o in db.identity_map.values() if isinstance(o, Person)]
    cards = [(c.honor.title, c.person.name.split()[0], c.partner and c.partner.name.split()[0])
             for c in paged.items]
    assert cards == [("С напарником", "Почётова", "Напарникова"),
                     ("Без согласия напарника", "Почётова", None)]
    html = client.get(f"{PREFIX}/nashi-nastavniki/").get_data(as_text=True)
    assert "Учитель музыки" in html and "Напарникова" in html
    assert "Скрытова" not in html and "Отозван" not in html
