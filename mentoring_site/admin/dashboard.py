"""The curator's start page: what needs attention today."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import joinedload, selectinload

from .. import clock, rules
from ..db import session
from ..models import Case, NewsItem, NewsKind, Participation, Person, Program, ProgramStatus, Status
from . import blueprint as bp

RUNNING = (ProgramStatus.ACTIVE, ProgramStatus.PLANNED)


@bp.get("/")
def dashboard():
    sess, today, now = session(), clock.today(), clock.now_utc()
    ending = sess.scalars(
        sa.select(Program)
        .where(Program.status.in_(RUNNING), Program.planned_end_on <= today + timedelta(days=30))
        .order_by(Program.planned_end_on)
    ).all()
    without_case = sess.scalars(
        sa.select(Program)
        .where(Program.status == ProgramStatus.COMPLETED, ~sa.exists().where(
            Case.program_id == Program.id))
        .order_by(Program.ended_on.desc().nulls_last())
    ).all()
    waiting = sess.scalars(
        sa.select(Case)
        .where(sa.not_(rules.case_clause(now)))
        .options(joinedload(Case.program))
        .order_by(Case.updated_at.desc())
    ).all()
    unconsented = sess.scalars(
        sa.select(Person)
        .where(
            Person.id.in_(sa.select(Participation.person_id).join(Program).where(
                Program.is_public.is_(True))),
            sa.not_(rules.person_clause(today)),
        )
        .options(selectinload(Person.consents))
        .order_by(Person.last_name)
    ).all()
    local_now = clock.now_local()
    week = sess.scalars(
        sa.select(NewsItem)
        .where(
            NewsItem.kind == NewsKind.ANNOUNCEMENT,
            NewsItem.event_starts_at >= local_now,
            NewsItem.event_starts_at <= local_now + timedelta(days=7),
        )
        .order_by(NewsItem.event_starts_at)
    ).all()
    return render_template(
        "mentoring/admin/dashboard.html", today=today, ending=ending, without_case=without_case,
        waiting=[(c, rules.case_publication_problem(c.program) or _case_state(c, now))
                 for c in waiting],
        unconsented=unconsented, week=week,
    )


def _case_state(case: Case, now) -> str:
    if case.status is Status.DRAFT:
        return "Черновик: откройте кейс и опубликуйте, когда он готов."
    if case.published_at > now:
        return f"Выйдет {clock.to_local(case.published_at):%d.%m.%Y %H:%M}."
    return "Снят с сайта."
