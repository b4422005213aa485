"""Management mentoring on the office's site (issue 12): rules, admin flows, DOCX, public pages.

The office's app here has no school servers: its list of schools is filled directly (a
team belongs to a school on the list or to an organisation typed in), which is all
management mentoring needs of the registry.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import uuid
from datetime import date, datetime, timedelta

import jinja2
import pytest
import sqlalchemy as sa
from markupsafe import escape

from mentoring_site.models import AccountRole
from mentoring_site.models.management import (
    MgmtDirection,
    MgmtMember,
    MgmtPlanItem,
    MgmtProgram,
    MgmtStage,
    MgmtState,
    MgmtTeam,
    TeamKind,
)
from mentoring_site.municipal import create_app
from mentoring_site.municipal import management as rules
from mentoring_site.municipal.roster import add_school
from tests.municipal_support import office_today, prepared

from .admin_support import signed_in, token

HOSTILE = '<script>alert("x")</script>'
PHONE, EMAIL = "+7 (900) 111-22-33", "zavuch-kontakt@example.org"
MEMBER = "Сидоренко Алла Петровна"
ADMIN = "/nastavnichestvo/admin/reestr/upravlencheskoe"
PUBLIC = ["/upravlencheskoe-nastavnichestvo/", "/upravlencheskie-komandy/"]


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def office(tmp_path):
    app = create_app(None, instance_path=str(tmp_path / "office"))
    app.config["TESTING"] = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    prepared(app)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        add_school(sess, "МБОУ «Школа № 1»", "https://school1.example.ru/nastavnichestvo/",
                   key="school1")
        add_school(sess, "МАОУ «Гимназия № 2»", "https://school2.example.ru/nastavnichestvo/",
                   key="school2")
        sess.commit()
    try:
        yield app
    finally:
        app.extensions["mentoring"].engine.dispose()


def _sess(app):
    return app.extensions["mentoring"].session()


def _school_id(sess, key: str) -> int:
    from mentoring_site.models.registry import RegistrySchool

    return sess.scalar(sa.select(RegistrySchool.id).where(RegistrySchool.key == key))


def build_program(app, *, state: MgmtState, title: str = "Качество образования вместе",
                  text: str | None = None, starts: date | None = None) -> int:
    """A programme with an experienced team (school1), a developing one (school2) and a plan
    of the three stages, moved to ``state`` through the rules."""
    today = office_today()
    starts = starts or today - timedelta(days=100)
    with app.app_context():
        sess = _sess(app)
        directions = list(sess.scalars(sa.select(MgmtDirection).order_by(MgmtDirection.position)))
        mentor = MgmtTeam(school_id=_school_id(sess, "school1"), organisation=text or
                          "МБОУ «Школа № 1»", kind=TeamKind.EXPERIENCED,
                          directions=directions[2:4])
        mentee = MgmtTeam(school_id=_school_id(sess, "school2"), organisation="МАОУ «Гимназия № 2»",
                          kind=TeamKind.DEVELOPING, directions=directions[2:3])
        mentor.members = [MgmtMember(name=text or MEMBER, position=text or "Заместитель директора",
                                     phone=PHONE, email=EMAIL, is_leader=True, is_contact=True)]
        program = MgmtProgram(
            title=text or title, state=MgmtState.DRAFT,
            coordinator=text or "Координаторова Вера Ильинична",
            curator=text or "Кураторов Олег Семёнович", starts_on=starts,
            ends_on=rules.add_months(starts, 6), teams=[mentor, mentee],
            directions=directions[2:3])
        program.items = [
            MgmtPlanItem(stage=stage, title=text or f"Мероприятие: {stage.label}",
                         responsible=text or "Руководители рабочих групп",
                         due_on=starts + timedelta(days=10 * n))
            for n, stage in enumerate(MgmtStage, 1)
        ]
        sess.add(program)
        moves = [MgmtState.SUBMITTED, MgmtState.APPROVED, MgmtState.RUNNING, MgmtState.COMPLETED]
        for target in moves[:moves.index(state) + 1] if state in moves else []:
            if target == MgmtState.SUBMITTED:
                rules.submit(program, datetime.now())
            elif target == MgmtState.APPROVED:
                rules.approve(program, "Кураторов О. С.", today)
            elif target == MgmtState.RUNNING:
                rules.start(program, today)
            else:
                for i, item in enumerate(program.items):
                    rules.mark(program, item, i != 1, text or "перенесено приказом")
                rules.complete(program, today)
        sess.commit()
        return program.id


# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("starts", "ends", "expected"), [
    (date(2027, 1, 15), date(2027, 4, 15), None),  # three months exactly
    (date(2027, 1, 15), date(2028, 1, 15), None),  # one year exactly
    (date(2027, 1, 15), date(2027, 4, 14), "окончание не раньше 15.04.2027"),
    (date(2027, 1, 15), date(2028, 1, 16), "окончание не позже 15.01.2028"),
    (date(2027, 1, 15), date(2027, 1, 15), "Дата окончания должна быть позже даты начала"),
    (None, date(2027, 1, 15), "Укажите даты начала и окончания"),
])
def test_the_term_is_three_to_twelve_months(starts, ends, expected):
    problem = rules.term_error(starts, ends)
    assert (problem is None) if expected is None else (expected in problem)


def test_months_are_added_to_the_last_day_of_a_short_month():
    assert rules.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert rules.add_months(date(2027, 1, 31), 12) == date(2028, 1, 31)


def _program(**kw) -> MgmtProgram:
    program = MgmtProgram(title="П", state=MgmtState.DRAFT, **kw)
    program.teams, program.directions, program.items = [], [], []
    return program


def test_a_draft_lacking_things_is_not_submitted_and_says_what_it_lacks():
    program = _program()
    with pytest.raises(rules.MgmtError) as err:
        rules.submit(program, datetime(2027, 1, 1))
    text = str(err.value)
    for words in ("укажите координатора", "муниципального куратора", "укажите даты",
                  "опытную управленческую команду", "развивающуюся управленческую команду",
                  "направление", "«Организационный этап»", "«Заключительный этап»"):
        assert words in text
    assert program.state == MgmtState.DRAFT


def test_the_state_machine_refuses_bad_moves_in_russian():
    today = date(2027, 3, 1)
    program = _program(coordinator="К", curator="М", starts_on=date(2027, 3, 1),
                       ends_on=date(2027, 9, 1))
    program.teams = [MgmtTeam(organisation="А", kind=TeamKind.EXPERIENCED),
                     MgmtTeam(organisation="Б", kind=TeamKind.DEVELOPING)]
    program.directions = [MgmtDirection(title="Д")]
    program.items = [MgmtPlanItem(stage=s, title="м", responsible="р", due_on=today)
                     for s in MgmtStage]
    with pytest.raises(rules.MgmtError, match="«черновик».*«на утверждении»"):
        rules.approve(program, "Куратор", today)
    rules.submit(program, datetime(2027, 3, 1))
    with pytest.raises(rules.MgmtError, match="Нельзя начать реализацию"):
        rules.start(program, today)
    rules.approve(program, "Кураторов О. С.", today)
    assert (program.state, program.approved_on, program.approved_by) == (
        MgmtState.APPROVED, today, "Кураторов О. С.")
    with pytest.raises(rules.MgmtError, match="начинается 01.03.2027"):
        rules.start(program, date(2027, 2, 28))
    rules.start(program, today)
    with pytest.raises(rules.MgmtError, match="не отмечено 3"):
        rules.complete(program, today)
    with pytest.raises(rules.MgmtError, match="Укажите причину"):
        rules.mark(program, program.items[0], False, "  ")
    rules.mark(program, program.items[0], False, "карантин")
    for item in program.items[1:]:
        rules.mark(program, item, True, "")
    with pytest.raises(rules.MgmtError, match="сдать отчёт"):
        rules.hand_in_report(program, "Выводы", today)
    rules.complete(program, date(2027, 8, 1))  # early (Положение, п. 2.6)
    assert program.state == MgmtState.COMPLETED
    assert rules.report_due(program) == date(2027, 8, 31)
    assert not rules.report_overdue(program, date(2027, 8, 31))
    assert rules.report_overdue(program, date(2027, 9, 1))
    with pytest.raises(rules.MgmtError, match="Напишите общие выводы"):
        rules.hand_in_report(program, " ", date(2027, 9, 2))
    rules.hand_in_report(program, "Команда справилась.", date(2027, 9, 2))
    assert not rules.report_overdue(program, date(2027, 9, 30))
    with pytest.raises(rules.MgmtError, match="Отчёт уже сдан 02.09.2027"):
        rules.hand_in_report(program, "Ещё", date(2027, 9, 3))
    with pytest.raises(rules.MgmtError, match="до сдачи отчёта"):
        rules.mark(program, program.items[0], True, "")


def test_percent_done_and_not_done_are_of_the_whole_plan():
    items = [MgmtPlanItem(done=True), MgmtPlanItem(done=True), MgmtPlanItem(done=True),
             MgmtPlanItem(done=False), MgmtPlanItem(done=None), MgmtPlanItem(done=True)]
    figures = rules.progress(items)
    assert (figures.done, figures.not_done, figures.unmarked) == (4, 1, 1)
    assert (figures.done_percent, figures.not_done_percent) == (67, 17)
    assert rules.progress([]).done_percent == 0


def test_before_the_end_the_report_is_due_30_days_after_the_planned_end():
    program = _program(ends_on=date(2027, 12, 20))
    assert rules.report_due(program) == date(2028, 1, 19)
    assert not rules.report_overdue(program, date(2028, 6, 1))  # not completed: not overdue


# -- the office's admin ----------------------------------------------------------------------


def test_management_screens_are_for_the_office_only(office):
    anonymous = office.test_client().get(f"{ADMIN}/programmy/")
    assert anonymous.status_code == 302
    editor = signed_in(office, AccountRole.EDITOR, "redaktor")
    for path in ("programmy/", "komandy/", "napravleniya/"):
        assert editor.get(f"{ADMIN}/{path}").status_code == 403
    registry = signed_in(office, AccountRole.REGISTRY, "reestr")
    home = registry.get("/nastavnichestvo/admin/").get_data(as_text=True)
    assert "Менторские программы" in home and "Управленческие команды" in home
    for path in ("programmy/", "komandy/", "napravleniya/"):
        page = registry.get(f"{ADMIN}/{path}")
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"


def test_directions_are_the_nine_seeded_and_editable(office):
    client = signed_in(office)
    html = client.get(f"{ADMIN}/napravleniya/").get_data(as_text=True)
    assert html.count('name="title" value=') == 9
    assert "Обеспечение комплексной безопасности" in html
    t = token(client, f"{ADMIN}/napravleniya/")
    added = client.post(f"{ADMIN}/napravleniya/", data={"csrf_token": t,
                                                       "title": "Ранняя профилизация"})
    assert added.status_code == 302
    again = client.post(f"{ADMIN}/napravleniya/", data={"csrf_token": t,
                                                       "title": "Ранняя профилизация"})
    assert again.status_code == 400 and "Такое направление уже есть" in again.get_data(
        as_text=True)
    blank = client.post(f"{ADMIN}/napravleniya/", data={"csrf_token": t, "title": "  "})
    assert blank.status_code == 400 and "Заполните это поле" in blank.get_data(as_text=True)
    with office.app_context():
        last = _sess(office).scalar(sa.select(MgmtDirection).order_by(
            MgmtDirection.position.desc()).limit(1))
        assert last.title == "Ранняя профилизация" and last.position == 10
    renamed = client.post(f"{ADMIN}/napravleniya/{last.id}", data={
        "csrf_token": t, "title": "Ранняя профилизация (ФГОС)"}, follow_redirects=True)
    assert "Направление переименовано" in renamed.get_data(as_text=True)


def test_the_office_keeps_teams_with_members_and_contacts(office):
    client = signed_in(office, AccountRole.REGISTRY, "reestr")
    t = token(client, f"{ADMIN}/komandy/")
    nothing = client.post(f"{ADMIN}/komandy/", data={"csrf_token": t, "kind": "experienced"})
    assert nothing.status_code == 400
    assert "Выберите школу из списка или впишите название" in nothing.get_data(as_text=True)
    no_kind = client.post(f"{ADMIN}/komandy/", data={"csrf_token": t, "school": "school1"})
    assert "Выберите, опытная команда или развивающаяся" in no_kind.get_data(as_text=True)
    bad = client.post(f"{ADMIN}/komandy/", data={"csrf_token": t, "school": "nobody",
                                                "kind": "experienced", "directions": "99999"})
    assert bad.status_code == 400 and "Выберите школу из списка." in bad.get_data(as_text=True)
    made = client.post(f"{ADMIN}/komandy/", data={"csrf_token": t, "school": "school1",
                                                 "kind": "experienced", "directions": ["3", "4"]})
    assert made.status_code == 302
    card = made.headers["Location"]
    free = client.post(f"{ADMIN}/komandy/", data={"csrf_token": t, "organisation":
                                                 "МКДОУ «Детский сад № 5»", "kind": "developing"})
    assert free.status_code == 302
    member = client.post(f"{card}uchastnik", data={
        "csrf_token": t, "name": MEMBER, "position": "Заместитель директора", "phone": PHONE,
        "email": EMAIL, "is_leader": "y", "is_contact": "y"}, follow_redirects=True)
    html = member.get_data(as_text=True)
    assert MEMBER in html and PHONE in html and EMAIL in html
    assert "руководитель группы" in html and "контактное лицо" in html
    empty = client.post(f"{card}uchastnik", data={"csrf_token": t, "name": " ", "position": ""})
    assert empty.status_code == 400 and "Заполните это поле" in empty.get_data(as_text=True)
    teams = client.get(f"{ADMIN}/komandy/").get_data(as_text=True)
    assert "Управление качеством образования: команд — 1" in teams
    assert "Без направления: команд — 1" in teams and "Детский сад № 5" in teams
    with office.app_context():
        team = _sess(office).scalar(sa.select(MgmtTeam).where(MgmtTeam.school_id.is_not(None)))
        assert team.organisation == "МБОУ «Школа № 1»" and team.kind == TeamKind.EXPERIENCED


def test_a_programme_goes_from_draft_to_report_in_the_admin(office, tmp_path):
    build_program(office, state=MgmtState.DRAFT, title="Черновик для команд")  # its teams
    registry = signed_in(office, AccountRole.REGISTRY, "reestr")
    t = token(registry, f"{ADMIN}/programmy/")
    made = registry.post(f"{ADMIN}/programmy/", data={"csrf_token": t,
                                                     "title": "Безопасная школа"})
    assert made.status_code == 302
    card = made.headers["Location"]
    early = registry.post(f"{card}na-utverzhdenie", data={"csrf_token": t},
                          follow_redirects=True).get_data(as_text=True)
    assert "Программу нельзя отправить на утверждение" in early
    assert "укажите координатора" in early
    starts = office_today() - timedelta(days=1)
    with office.app_context():
        team_ids = [str(i) for i in _sess(office).scalars(sa.select(MgmtTeam.id))]
    fields = {"csrf_token": t, "title": "Безопасная школа",
              "coordinator": "Координаторова В. И.", "curator": "Кураторов О. С.",
              "starts_on": starts.isoformat(), "teams": team_ids, "directions": ["6"]}
    short = registry.post(card, data={**fields, "ends_on": (starts + timedelta(days=40))
                                      .isoformat()})
    assert short.status_code == 400
    assert "Срок менторства — от 3 месяцев до одного года" in short.get_data(as_text=True)
    garbled = registry.post(card, data={**fields, "ends_on": "31.02.2027"})
    assert garbled.status_code == 400
    assert "Введите дату в виде ДД.ММ.ГГГГ" in garbled.get_data(as_text=True)
    saved = registry.post(card, data={**fields,
                                      "ends_on": rules.add_months(starts, 4).isoformat()})
    assert saved.status_code == 302
    for n, stage in enumerate(MgmtStage):
        added = registry.post(f"{card}meropriyatie", data={
            "csrf_token": t, "stage": stage.value, "title": f"Шаг {n + 1}",
            "responsible": "Опытная управленческая команда",
            "due_on": (starts + timedelta(days=n)).isoformat()})
        assert added.status_code == 302
    no_due = registry.post(f"{card}meropriyatie", data={
        "csrf_token": t, "stage": "final", "title": "Без срока", "responsible": "Кто-то"})
    assert no_due.status_code == 400 and "Укажите срок" in no_due.get_data(as_text=True)
    sent = registry.post(f"{card}na-utverzhdenie", data={"csrf_token": t},
                         follow_redirects=True).get_data(as_text=True)
    assert "отправлена на утверждение" in sent and "на утверждении" in sent
    assert "ожидает утверждения муниципальным куратором" in sent
    refused = registry.post(f"{card}utverdit", data={"csrf_token": t},
                            follow_redirects=True).get_data(as_text=True)
    assert "Утверждает программу (или возвращает её на доработку) только муниципальный" in refused
    locked = registry.post(card, data={**fields, "title": "Переименовать после отправки"},
                           follow_redirects=True).get_data(as_text=True)
    assert "менять её можно только в черновике" in locked
    curator = signed_in(office, AccountRole.MUNICIPAL_CURATOR, "mun-kurator")
    t2 = token(curator, card)
    approved = curator.post(f"{card}utverdit", data={"csrf_token": t2},
                            follow_redirects=True).get_data(as_text=True)
    assert "Программа утверждена" in approved
    assert f"утверждена {office_today():%d.%m.%Y}, Mun-Kurator" in approved
    twice = curator.post(f"{card}utverdit", data={"csrf_token": t2}, follow_redirects=True)
    assert "Нельзя утвердить программу" in twice.get_data(as_text=True)
    assert "Реализация программы начата" in registry.post(
        f"{card}nachat", data={"csrf_token": t}, follow_redirects=True).get_data(as_text=True)
    ended = registry.post(f"{card}zavershit", data={"csrf_token": t}, follow_redirects=True)
    assert "отметьте выполнение каждого мероприятия: не отмечено 3" in ended.get_data(
        as_text=True)
    with office.app_context():
        program_id = int(card.rstrip("/").rsplit("/", 1)[1])
        item_ids = list(_sess(office).scalars(sa.select(MgmtPlanItem.id).where(
            MgmtPlanItem.program_id == program_id).order_by(MgmtPlanItem.id)))
    no_reason = registry.post(f"{card}meropriyatie/{item_ids[0]}/otmetka",
                              data={"csrf_token": t, "done": "0", "reason": ""},
                              follow_redirects=True)
    assert "Укажите причину" in no_reason.get_data(as_text=True)
    registry.post(f"{card}meropriyatie/{item_ids[0]}/otmetka",
                  data={"csrf_token": t, "done": "0", "reason": "перенесено на осень"})
    for item_id in item_ids[1:]:
        registry.post(f"{card}meropriyatie/{item_id}/otmetka", data={"csrf_token": t,
                                                                      "done": "1"})
    done = registry.post(f"{card}zavershit", data={"csrf_token": t},
                         follow_redirects=True).get_data(as_text=True)
    assert "Программа завершена" in done
    assert "выполнено 2 из 3 (67 %), не выполнено" in done and "1 (33 %)" in done
    due = office_today() + timedelta(days=30)
    assert f"срок — {due:%d.%m.%Y}" in done
    empty = registry.post(f"{card}otchet", data={"csrf_token": t, "conclusions": ""})
    assert empty.status_code == 400
    reported = registry.post(f"{card}otchet", data={
        "csrf_token": t, "conclusions": "Локальные акты обновлены."}, follow_redirects=True)
    assert "Отчёт сдан" in reported.get_data(as_text=True)
    docx = registry.get(f"{card}otchet.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert "filename*=UTF-8''" in docx.headers["Content-Disposition"]
    text = _docx_text(docx.data)
    for words in ("Информационная справка-отчёт", "Безопасная школа",
                  "Выполнено мероприятий: 2 из 3 (67 %)",
                  "Не выполнено мероприятий: 1 из 3 (33 %)", "перенесено на осень",
                  "Локальные акты обновлены.", "Организационный этап"):
        assert words in text, words
    assert PHONE not in text and EMAIL not in text
    assert registry.post(f"{card}nevedomo", data={"csrf_token": t}).status_code == 404
    assert registry.get(f"{ADMIN}/programmy/99999/").status_code == 404


def test_the_admin_list_shows_an_overdue_report(office):
    program_id = build_program(office, state=MgmtState.COMPLETED)
    with office.app_context():
        sess = _sess(office)
        program = sess.get(MgmtProgram, program_id)
        program.completed_on = office_today() - timedelta(days=31)
        sess.commit()
    client = signed_in(office)
    html = client.get(f"{ADMIN}/programmy/").get_data(as_text=True)
    assert "<strong>просрочен</strong>" in html


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed"
    if os.environ.get("MENTORING_REQUIRE_LIBREOFFICE", "") not in ("", "0", "false"):
        pytest.fail(f"{reason} (MENTORING_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytest.skip(reason)


@pytest.mark.slow
def test_libreoffice_opens_the_report(office, tmp_path):
    soffice = _soffice()
    program_id = build_program(office, state=MgmtState.COMPLETED, text=HOSTILE)
    client = signed_in(office)
    data = client.get(f"{ADMIN}/programmy/{program_id}/otchet.docx").data
    (tmp_path / "report.docx").write_bytes(data)
    profile = f"file:///tmp/mentoring-lo-{uuid.uuid4().hex}"
    try:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
             str(tmp_path / "report.docx")],
            capture_output=True, text=True, timeout=240, check=False)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    assert result.returncode == 0, result.stderr
    pdf = (tmp_path / "pdf" / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


# -- public pages, CSV and the JSON for schools -------------------------------------------------


def test_the_public_page_lists_approved_programmes_only(office):
    build_program(office, state=MgmtState.DRAFT, title="Черновик не для сайта")
    build_program(office, state=MgmtState.SUBMITTED, title="На утверждении не для сайта")
    build_program(office, state=MgmtState.APPROVED, title="Утверждённая программа")
    build_program(office, state=MgmtState.COMPLETED, title="Завершённая программа")
    html = office.test_client().get(PUBLIC[0]).get_data(as_text=True)
    assert "Утверждённая программа" in html and "Завершённая программа" in html
    assert "не для сайта" not in html
    assert "Кураторов Олег Семёнович" in html and "Управление качеством образования" in html
    assert "ожидается до" in html  # completed, report not in yet
    teams = office.test_client().get(PUBLIC[1]).get_data(as_text=True)
    assert "Управление качеством образования: команд — 8" in teams  # two per programme
    assert "опытная" in teams and "развивающаяся" in teams


def test_no_member_contact_on_any_public_page_csv_or_json(office):
    build_program(office, state=MgmtState.RUNNING)
    client = office.test_client()
    answers = [client.get(p) for p in
               [*PUBLIC, "/upravlencheskie-komandy.csv",
                "/api/upravlencheskoe-nastavnichestvo/school1.json",
                "/api/upravlencheskoe-nastavnichestvo/school2.json"]]
    for answer in answers:
        assert answer.status_code == 200, answer.request.path
        body = answer.get_data(as_text=True)
        for secret in (PHONE, EMAIL, MEMBER):
            assert secret not in body, (answer.request.path, secret)


def test_the_teams_csv_is_excel_friendly(office):
    build_program(office, state=MgmtState.APPROVED, text="=HYPERLINK(\"http://x\")")
    answer = office.test_client().get("/upravlencheskie-komandy.csv")
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert "upravlencheskie-komandy-" in answer.headers["Content-Disposition"]
    text = answer.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Направление", "Организация", "Команда", "Все направления команды"]
    assert ["Управление качеством образования", "'=HYPERLINK(\"http://x\")", "опытная",
            "Управление качеством образования; Организация инновационной деятельности"] in rows


def test_the_json_lists_a_schools_approved_programmes(office):
    build_program(office, state=MgmtState.DRAFT, title="Черновик")
    build_program(office, state=MgmtState.RUNNING, title="Идёт")
    client = office.test_client()
    first = json.loads(client.get("/api/upravlencheskoe-nastavnichestvo/school1.json").data)
    assert first["school"] == "МБОУ «Школа № 1»" and first["key"] == "school1"
    assert [p["title"] for p in first["items"]] == ["Идёт"]
    item = first["items"][0]
    assert item["school_sides"] == ["experienced"] and item["state"] == "running"
    assert item["state_label"] == "реализуется"
    assert item["developing"] == ["МАОУ «Гимназия № 2»"]
    assert re.match(r"http://localhost/upravlencheskoe-nastavnichestvo/#programma-\d+$",
                    item["url"])
    second = json.loads(client.get("/api/upravlencheskoe-nastavnichestvo/school2.json").data)
    assert second["items"][0]["school_sides"] == ["developing"]
    assert client.get("/api/upravlencheskoe-nastavnichestvo/nobody.json").status_code == 404


def test_hostile_strings_in_every_field_show_as_text(office):
    build_program(office, state=MgmtState.COMPLETED, text=HOSTILE)
    with office.app_context():
        sess = _sess(office)
        sess.add(MgmtDirection(title=HOSTILE, position=20))
        program = sess.scalar(sa.select(MgmtProgram))
        program.conclusions, program.reported_on = HOSTILE, office_today()
        sess.commit()
        program_id = program.id
    client = signed_in(office)
    pages = [*PUBLIC, f"{ADMIN}/programmy/", f"{ADMIN}/programmy/{program_id}/",
             f"{ADMIN}/komandy/", f"{ADMIN}/napravleniya/"]
    with office.app_context():
        team_id = _sess(office).scalar(sa.select(MgmtTeam.id).where(
            MgmtTeam.kind == TeamKind.EXPERIENCED))
    pages.append(f"{ADMIN}/komandy/{team_id}/")
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert HOSTILE not in html, path
        assert str(escape(HOSTILE)) in html, path


def _queries(app, path: str) -> int:
    engine = app.extensions["mentoring"].engine
    seen = []

    def one(*_args):
        seen.append(1)

    sa.event.listen(engine, "before_cursor_execute", one)
    try:
        assert app.test_client().get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", one)
    return len(seen)


def test_public_pages_and_csv_take_the_same_queries_for_one_or_many(office):
    paths = [*PUBLIC, "/upravlencheskie-komandy.csv",
             "/api/upravlencheskoe-nastavnichestvo/school1.json"]
    build_program(office, state=MgmtState.RUNNING)
    one = [_queries(office, p) for p in paths]
    for n in range(4):
        build_program(office, state=MgmtState.COMPLETED, title=f"Программа {n}")
    assert [_queries(office, p) for p in paths] == one


# -- in a real browser: axe-core, and vnu for HTML validity -------------------------------------


def _filled(office) -> None:
    build_program(office, state=MgmtState.APPROVED, title="Утверждённая")
    build_program(office, state=MgmtState.COMPLETED, title="Завершённая")


def test_axe_finds_nothing_on_the_management_pages(office, page):
    from tests.browser import axe_problems

    _filled(office)
    problems = axe_problems(office, page, PUBLIC)
    assert not problems, problems


@pytest.mark.browser  # the Nu HTML Checker runs on Java
def test_management_pages_are_valid_html(office, tmp_path):
    from tests.browser import vnu_errors

    _filled(office)
    client = signed_in(office)
    with office.app_context():
        program_id = _sess(office).scalar(sa.select(MgmtProgram.id).limit(1))
        team_id = _sess(office).scalar(sa.select(MgmtTeam.id).limit(1))
    paths = [*PUBLIC, f"{ADMIN}/programmy/", f"{ADMIN}/programmy/{program_id}/",
             f"{ADMIN}/komandy/", f"{ADMIN}/komandy/{team_id}/", f"{ADMIN}/napravleniya/"]
    files = []
    for i, path in enumerate(paths):
        target = tmp_path / f"page-{i}.html"
        target.write_bytes(client.get(path).get_data())
        files.append(target)
    errors = vnu_errors(files)
    assert not errors, "\n".join(errors)


# -- the school's side: its programmes page reads them from the office ------------------------


def test_a_school_shows_its_programmes_read_from_the_office(office, database_uri, tmp_path):
    from mentoring_site import cache as response_cache
    from mentoring_site import office as office_link
    from tests.browser import serve_app
    from tests.conftest import make_app

    build_program(office, state=MgmtState.RUNNING, title="Менторство по качеству")
    build_program(office, state=MgmtState.SUBMITTED, title="Ещё не утверждена")
    office_link.forget()
    with serve_app(office) as server:
        school = make_app(database_uri, tmp_path / "school", MENTORING_OFFICE_URL=server.url,
                          MENTORING_OFFICE_SCHOOL_ID="school1")
        html = school.test_client().get("/nastavnichestvo/programmy/").get_data(as_text=True)
        assert "Управленческое наставничество (менторство)" in html
        assert "Менторство по качеству" in html and "Ещё не утверждена" not in html
        assert "Школа участвует как опытная команда" in html
        assert f'href="{server.url}/upravlencheskoe-nastavnichestvo/#programma-' in html
        for secret in (PHONE, EMAIL, MEMBER):
            assert secret not in html
        filtered = school.test_client().get("/nastavnichestvo/programmy/?status=completed")
        assert "Управленческое наставничество" not in filtered.get_data(as_text=True)
    office_link.forget()
    # the office's answer and the page made from it are kept a while (office.py ten minutes,
    # the response cache a minute: cache.keep_at_most); both forgotten, as time would do
    response_cache.forget(school)
    # the office is stopped now: the page still opens, without the block
    stopped = school.test_client().get("/nastavnichestvo/programmy/")
    assert stopped.status_code == 200
    assert "Управленческое наставничество" not in stopped.get_data(as_text=True)
    office_link.forget()


@pytest.mark.parametrize("data", [
    {"items": "no"}, {"items": [{"title": "x"}]},
    {"items": [{"title": "", "state_label": "s", "school_sides": ["experienced"]}]},
    {"items": [{"title": "t", "state_label": "s", "school_sides": ["boss"]}]},
    {"items": [{"title": "t", "state_label": "s", "school_sides": ["developing"],
                "starts_on": "31.02.2027"}]},
])
def test_a_garbled_office_answer_is_refused(data):
    from mentoring_site import office as office_link

    with pytest.raises(ValueError):
        office_link.parse(data, "https://uo.example.ru")


def test_links_out_of_the_offices_site_are_dropped():
    from mentoring_site import office as office_link

    [program] = office_link.parse({"items": [{
        "title": "t", "state_label": "утверждена", "school_sides": ["developing"],
        "url": "https://evil.example/uo"}]}, "https://uo.example.ru")
    assert program.url is None and program.sides == "развивающаяся команда"


@pytest.mark.parametrize(("config", "message"), [
    ({"MENTORING_OFFICE_URL": "https://uo.example.ru"}, "нет ни MENTORING_OFFICE_SCHOOL_ID"),
    ({"MENTORING_OFFICE_URL": "uo.example.ru", "MENTORING_OFFICE_SCHOOL_ID": "s1"},
     "адресом вида"),
    ({"MENTORING_OFFICE_URL": "https://uo.example.ru", "MENTORING_OFFICE_SCHOOL_ID": "школа"},
     "латиница"),
])
def test_the_office_settings_are_checked(tmp_path, config, message):
    from mentoring_site.config import ConfigError
    from tests.conftest import make_app

    with pytest.raises(ConfigError, match=message):
        make_app("sqlite:///" + str(tmp_path / "x.sqlite"), tmp_path, **config)
