"""The office demo's League and management mentoring: each state shown once.

Seeders of ``municipal.demo`` (``SEEDERS``), run at the demo's first start: a League with
an included member (its order attached), an application and a rejected one; experienced
and developing teams, and a management-mentoring programme in each state from draft to a
completed one with its report. Everything goes through the rules the admin uses
(``league``, ``management``), so the demo can only hold what a person could enter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models.league import LeagueMember
from ..models.management import (
    MgmtDirection,
    MgmtMember,
    MgmtPlanItem,
    MgmtProgram,
    MgmtStage,
    MgmtState,
    MgmtTeam,
    TeamKind,
)
from ..models.registry import RegistrySchool
from . import league
from . import management as mgmt


def _schools(sess: Session) -> list[RegistrySchool]:
    return list(sess.scalars(sa.select(RegistrySchool).where(RegistrySchool.removed_at.is_(None))
                             .order_by(RegistrySchool.position, RegistrySchool.id)))


def seed_league(demo, sess: Session, today: date) -> None:
    """An included member with its order, an application, a rejected one."""
    from ..demo.pictures import pdf_document
    from ..media.storage import store_document

    schools = _schools(sess)
    directions = league.directions(sess)
    if len(schools) < 2 or len(directions) < 3:
        return  # a demo without its schools (tests build one)
    contact = league.clean_contact("Морозова Елена Викторовна", "заместитель директора",
                                   "+7 (000) 123-45-60", "liga@school1.example.ru")
    first = league.save_member(sess, LeagueMember(), organisation=None, school=schools[0],
                               chosen=directions[:2], contact=contact, contacts_public=True,
                               note=None)
    order = store_document(
        sess, demo.app.extensions["mentoring"].upload_folder,
        pdf_document("О включении в Лигу образовательных организаций-менторов",
                     ["МКУ «Управление образования»", "Приказ № 54-о"]),
        original_name="prikaz-o-lige.pdf", content_type="application/pdf")
    league.include(first, "54-о", today - timedelta(days=30), order.id)
    league.save_member(sess, LeagueMember(), organisation=None, school=schools[1],
                       chosen=directions[2:3],
                       contact=league.clean_contact("Ильина Ольга Петровна", "директор",
                                                    None, None),
                       contacts_public=False, note="Готовы делиться опытом инклюзии.")
    rejected = league.save_member(
        sess, LeagueMember(), organisation="ЧОУ «Частная школа „Эрудит“»", school=None,
        chosen=directions[:1], contact=league.clean_contact(None, None, None, None),
        contacts_public=False, note=None)
    league.reject(rejected, "Нет опыта реализации программ наставничества не менее двух лет.")
    sess.flush()


def _team(sess: Session, school: RegistrySchool, kind: TeamKind,
          directions: list[MgmtDirection], leader: str) -> MgmtTeam:
    team = MgmtTeam(school_id=school.id, organisation=school.name, kind=kind,
                    directions=directions)
    team.members = [
        MgmtMember(name=leader, position="директор", phone="+7 (000) 123-45-61",
                   email="direktor@example.ru", is_leader=True, is_contact=True),
        MgmtMember(name="Соколова Анна Игоревна", position="заместитель директора по УВР"),
    ]
    sess.add(team)
    return team


def seed_management(demo, sess: Session, today: date) -> None:
    """Teams of both kinds and a programme in each state (the last one reported)."""
    schools = _schools(sess)
    directions = list(sess.scalars(sa.select(MgmtDirection).order_by(MgmtDirection.position)))
    if len(schools) < 3 or len(directions) < 5:
        return  # a demo without its schools (tests build one)
    experienced = _team(sess, schools[0], TeamKind.EXPERIENCED, directions[:3],
                        "Морозова Елена Викторовна")
    developing = [_team(sess, s, TeamKind.DEVELOPING, directions[i:i + 1], name)
                  for i, (s, name) in enumerate(zip(schools[1:3], (
                      "Ильина Ольга Петровна", "Гусев Павел Андреевич"), strict=False))]
    now = datetime.combine(today, datetime.min.time())
    plans = (
        (MgmtState.DRAFT, "Управление качеством образования: внутренняя система оценки", 10),
        (MgmtState.SUBMITTED, "Организация инклюзивного образования", 5),
        (MgmtState.APPROVED, "Управление развитием: программа развития школы", 20),
        (MgmtState.RUNNING, "Организация воспитательной деятельности", -60),
        (MgmtState.COMPLETED, "Управление деятельностью: эффективный контракт", -250),
    )
    for n, (state, title, start_in) in enumerate(plans):
        starts = today + timedelta(days=start_in)
        program = MgmtProgram(
            title=title, state=MgmtState.DRAFT, coordinator="Кураторова Вера Ильинична",
            curator="Семёнов Олег Николаевич", starts_on=starts,
            ends_on=mgmt.add_months(starts, 6),
            teams=[experienced, developing[n % len(developing)]],
            directions=directions[n % len(directions):n % len(directions) + 1])
        program.items = [
            MgmtPlanItem(stage=stage, title=f"{stage.label}: рабочая встреча команд",
                         responsible="руководители команд",
                         due_on=starts + timedelta(days=30 * i))
            for i, stage in enumerate(MgmtStage)
        ]
        sess.add(program)
        moves = [MgmtState.SUBMITTED, MgmtState.APPROVED, MgmtState.RUNNING,
                 MgmtState.COMPLETED]
        for target in moves[:moves.index(state) + 1] if state in moves else []:
            if target is MgmtState.SUBMITTED:
                mgmt.submit(program, now)
            elif target is MgmtState.APPROVED:
                mgmt.approve(program, "Семёнов О. Н.", starts - timedelta(days=3))
            elif target is MgmtState.RUNNING:
                mgmt.start(program, max(starts, today))
            else:
                for i, item in enumerate(program.items):
                    mgmt.mark(program, item, i != 1, "перенесено на следующий учебный год")
                mgmt.complete(program, today - timedelta(days=20))
                mgmt.hand_in_report(program, "Развивающаяся команда внедрила эффективный "
                                    "контракт; опыт представлен на семинаре кураторов.",
                                    today - timedelta(days=5))
    sess.flush()
