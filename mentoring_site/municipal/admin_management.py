"""The office's admin for management mentoring: directions, teams, programmes, the report.

Under ``…/admin/reestr/upravlencheskoe/`` in the office's admin (roles ``OFFICE``); only
the municipal curator (or a curator of the site) approves a programme. Every move of a
programme goes through ``management`` (the rules), which refuses bad moves in Russian.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from ..admin.guard import requires
from ..clock import now_utc, today
from ..db import begin_write
from ..models.accounts import AccountRole
from ..models.management import (
    MgmtDirection,
    MgmtMember,
    MgmtPlanItem,
    MgmtProgram,
    MgmtStage,
    MgmtState,
    MgmtTeam,
)
from ..urls import content_disposition
from . import management as rules
from . import management_queries as q
from .admin import OFFICE, ActionForm, _refused, _session, blueprint
from .management_forms import (
    DirectionForm,
    MarkForm,
    MemberForm,
    NewProgramForm,
    PlanItemForm,
    ProgramForm,
    ReportForm,
    TeamForm,
    choices,
)

BASE = "/upravlencheskoe"


# -- directions ---------------------------------------------------------------------------


@blueprint.route(f"{BASE}/napravleniya/", methods=["GET", "POST"])
@requires(*OFFICE)
def mgmt_directions():
    sess = _session()
    form = DirectionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            title = form.title.data.strip()
            begin_write(sess)
            if sess.scalar(sa.select(MgmtDirection.id).where(MgmtDirection.title == title)):
                sess.rollback()
                form.title.errors = ["Такое направление уже есть."]
                status = 400
            else:
                last = sess.scalar(sa.select(sa.func.max(MgmtDirection.position))) or 0
                sess.add(MgmtDirection(title=title, position=last + 1))
                sess.commit()
                flash(f"Направление «{title}» добавлено.", "ok")
                return redirect(url_for(".mgmt_directions"))
        else:
            status = 400
    return render_template("mentoring/municipal/admin/mgmt_directions.html", form=form,
                           directions=q.directions(sess)), status


@blueprint.post(f"{BASE}/napravleniya/<mentoring_id:direction_id>")
@requires(*OFFICE)
def mgmt_direction_rename(direction_id: int):
    sess = _session()
    row = sess.get(MgmtDirection, direction_id) or abort(404)
    form = DirectionForm()
    if not form.validate_on_submit():
        flash(form.csrf_message() or "Направление не переименовано: " +
              " ".join(form.title.errors), "error")
        return redirect(url_for(".mgmt_directions"))
    title = form.title.data.strip()
    begin_write(sess)
    clash = sess.scalar(sa.select(MgmtDirection.id).where(MgmtDirection.title == title,
                                                          MgmtDirection.id != direction_id))
    if clash:
        sess.rollback()
        flash("Такое направление уже есть.", "error")
        return redirect(url_for(".mgmt_directions"))
    row = sess.get(MgmtDirection, direction_id)
    row.title = title
    sess.commit()
    flash(f"Направление переименовано: «{title}».", "ok")
    return redirect(url_for(".mgmt_directions"))


# -- teams --------------------------------------------------------------------------------


def _team_form(sess, obj: MgmtTeam | None = None) -> TeamForm:
    form = TeamForm(obj=None)
    if obj is not None and request.method == "GET":
        form = TeamForm(data={"school": _school_key(sess, obj), "organisation":
                              "" if obj.school_id else obj.organisation,
                              "kind": obj.kind.value,
                              "directions": [d.id for d in obj.directions]})
    form.school.choices = choices([("", "— не из списка —")] +
                                  [(s.key, s.name) for s in q.schools(sess)])
    form.directions.choices = choices((d.id, d.title) for d in q.directions(sess))
    return form


def _school_key(sess, team: MgmtTeam) -> str:
    if team.school_id is None:
        return ""
    return next((s.key for s in q.schools(sess) if s.id == team.school_id), "")


def _apply_team(sess, form: TeamForm, team: MgmtTeam) -> None:
    school = next((s for s in q.schools(sess) if s.key == form.school.data), None)
    team.school_id = school.id if school else None
    team.organisation = school.name if school else form.organisation.data.strip()
    team.kind = form.kind.data
    chosen = set(form.directions.data or [])
    team.directions = [d for d in q.directions(sess) if d.id in chosen]


@blueprint.route(f"{BASE}/komandy/", methods=["GET", "POST"])
@requires(*OFFICE)
def mgmt_teams():
    sess = _session()
    form = _team_form(sess)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            begin_write(sess)
            team = MgmtTeam()
            _apply_team(sess, form, team)
            sess.add(team)
            sess.commit()
            flash(f"Команда «{team.organisation}» добавлена. Впишите её состав.", "ok")
            return redirect(url_for(".mgmt_team", team_id=team.id))
        status = 400
    return render_template("mentoring/municipal/admin/mgmt_teams.html", form=form,
                           groups=q.teams_by_direction(sess)), status


@blueprint.route(f"{BASE}/komandy/<mentoring_id:team_id>/", methods=["GET", "POST"])
@requires(*OFFICE)
def mgmt_team(team_id: int):
    sess = _session()
    team = q.team(sess, team_id) or abort(404)
    form = _team_form(sess, team)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            begin_write(sess)
            team = q.team(sess, team_id) or abort(404)
            _apply_team(sess, form, team)
            sess.commit()
            flash("Команда сохранена.", "ok")
            return redirect(url_for(".mgmt_team", team_id=team_id))
        status = 400
    return _team_page(team, form, MemberForm(), status)


def _team_page(team: MgmtTeam, form: TeamForm, member: MemberForm, status: int):
    return render_template("mentoring/municipal/admin/mgmt_team.html", team=team, form=form,
                           member=member, action=ActionForm()), status


@blueprint.post(f"{BASE}/komandy/<mentoring_id:team_id>/uchastnik")
@requires(*OFFICE)
def mgmt_member_add(team_id: int):
    sess = _session()
    team = q.team(sess, team_id) or abort(404)
    member = MemberForm()
    if not member.validate_on_submit():
        return _team_page(team, _team_form(sess, team), member, 400)
    begin_write(sess)
    sess.add(MgmtMember(team_id=team_id, name=member.name.data.strip(),
                        position=member.position.data.strip(),
                        phone=(member.phone.data or "").strip() or None,
                        email=(member.email.data or "").strip() or None,
                        is_leader=member.is_leader.data, is_contact=member.is_contact.data))
    sess.commit()
    flash(f"В команду добавлен(а) {member.name.data.strip()}.", "ok")
    return redirect(url_for(".mgmt_team", team_id=team_id))


@blueprint.post(f"{BASE}/komandy/<mentoring_id:team_id>/uchastnik/<mentoring_id:member_id>/ubrat")
@requires(*OFFICE)
def mgmt_member_remove(team_id: int, member_id: int):
    sess = _session()
    if _refused(ActionForm()):
        return redirect(url_for(".mgmt_team", team_id=team_id))
    begin_write(sess)
    row = sess.scalar(sa.select(MgmtMember).where(MgmtMember.id == member_id,
                                                  MgmtMember.team_id == team_id))
    if row is None:
        abort(404)
    sess.delete(row)
    sess.commit()
    flash(f"{row.name} убран(а) из команды.", "ok")
    return redirect(url_for(".mgmt_team", team_id=team_id))


# -- programmes ---------------------------------------------------------------------------


@blueprint.route(f"{BASE}/programmy/", methods=["GET", "POST"])
@requires(*OFFICE)
def mgmt_programs():
    sess = _session()
    form = NewProgramForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            begin_write(sess)
            program = MgmtProgram(title=form.title.data.strip(), state=MgmtState.DRAFT)
            sess.add(program)
            sess.commit()
            flash("Программа создана как черновик: заполните её и план мероприятий.", "ok")
            return redirect(url_for(".mgmt_program", program_id=program.id))
        status = 400
    return render_template("mentoring/municipal/admin/mgmt_programs.html", form=form,
                           programs=q.programs(sess), today=today(), rules=rules), status


def _program_form(sess, program) -> ProgramForm:
    if request.method == "POST":
        form = ProgramForm()
    else:
        form = ProgramForm(data={
            "title": program.title, "coordinator": program.coordinator,
            "curator": program.curator, "starts_on": program.starts_on,
            "ends_on": program.ends_on, "teams": [t.id for t in program.teams],
            "directions": [d.id for d in program.directions]})
    form.teams.choices = choices((t.id, f"{t.organisation} — {t.kind.label}")
                                 for t in q.teams(sess))
    form.directions.choices = choices((d.id, d.title) for d in q.directions(sess))
    return form


def _program_page(program, form=None, item=None, mark_errors=None, report=None,
                  status: int = 200):
    sess = _session()
    return render_template(
        "mentoring/municipal/admin/mgmt_program.html", program=program,
        form=form or _program_form(sess, program), item=item or PlanItemForm(),
        report=report or ReportForm(), action=ActionForm(), mark=MarkForm(),
        mark_errors=mark_errors or {}, stages=rules.stage_items(program.items),
        progress=rules.progress(program.items), rules=rules, today=today(),
        may_approve=_may_approve(), moves=[BY_RULE[m] for m in rules.next_moves(program)]), status


def _may_approve() -> bool:
    editor = g.mentoring_editor
    return editor.is_curator or editor.role == AccountRole.MUNICIPAL_CURATOR


def _program(sess, program_id: int):
    return q.program(sess, program_id) or abort(404)


@blueprint.route(f"{BASE}/programmy/<mentoring_id:program_id>/", methods=["GET", "POST"])
@requires(*OFFICE)
def mgmt_program(program_id: int):
    sess = _session()
    program = _program(sess, program_id)
    if request.method == "GET":
        return _program_page(program)
    form = _program_form(sess, program)
    if not rules.may_edit(program):
        flash(f"Программа в состоянии «{program.state.label}»: менять её можно только в "
              "черновике (верните её на доработку).", "error")
        return redirect(url_for(".mgmt_program", program_id=program_id))
    if not form.validate_on_submit():
        return _program_page(program, form=form, status=400)
    begin_write(sess)
    program = _program(sess, program_id)
    program.title = form.title.data.strip()
    program.coordinator = (form.coordinator.data or "").strip() or None
    program.curator = (form.curator.data or "").strip() or None
    program.starts_on, program.ends_on = form.starts_on.data, form.ends_on.data
    teams, directions = set(form.teams.data or []), set(form.directions.data or [])
    program.teams = [t for t in q.teams(sess) if t.id in teams]
    program.directions = [d for d in q.directions(sess) if d.id in directions]
    sess.commit()
    flash("Программа сохранена.", "ok")
    return redirect(url_for(".mgmt_program", program_id=program_id))


@blueprint.post(f"{BASE}/programmy/<mentoring_id:program_id>/meropriyatie")
@requires(*OFFICE)
def mgmt_item_add(program_id: int):
    sess = _session()
    program = _program(sess, program_id)
    item = PlanItemForm()
    if not rules.may_plan(program):
        flash(f"Программа в состоянии «{program.state.label}»: план меняют в черновике или "
              "пока программа реализуется.", "error")
        return redirect(url_for(".mgmt_program", program_id=program_id))
    if not item.validate_on_submit():
        return _program_page(program, item=item, status=400)
    begin_write(sess)
    sess.add(MgmtPlanItem(program_id=program_id, stage=MgmtStage(item.stage.data),
                          title=item.title.data.strip(),
                          responsible=item.responsible.data.strip(), due_on=item.due_on.data))
    sess.commit()
    flash("Мероприятие добавлено в план.", "ok")
    return redirect(url_for(".mgmt_program", program_id=program_id) + "#plan")


def _item(sess, program_id: int, item_id: int) -> MgmtPlanItem:
    row = sess.scalar(sa.select(MgmtPlanItem).where(MgmtPlanItem.id == item_id,
                                                    MgmtPlanItem.program_id == program_id))
    return row or abort(404)


@blueprint.post(f"{BASE}/programmy/<mentoring_id:program_id>/meropriyatie/"
                "<mentoring_id:item_id>/ubrat")
@requires(*OFFICE)
def mgmt_item_remove(program_id: int, item_id: int):
    sess = _session()
    program = _program(sess, program_id)
    _item(sess, program_id, item_id)
    if _refused(ActionForm()):
        return redirect(url_for(".mgmt_program", program_id=program_id))
    if not rules.may_plan(program):
        flash(f"Программа в состоянии «{program.state.label}»: план меняют в черновике или "
              "пока программа реализуется.", "error")
        return redirect(url_for(".mgmt_program", program_id=program_id))
    begin_write(sess)
    sess.delete(_item(sess, program_id, item_id))
    sess.commit()
    flash("Мероприятие убрано из плана.", "ok")
    return redirect(url_for(".mgmt_program", program_id=program_id) + "#plan")


@blueprint.post(f"{BASE}/programmy/<mentoring_id:program_id>/meropriyatie/"
                "<mentoring_id:item_id>/otmetka")
@requires(*OFFICE)
def mgmt_item_mark(program_id: int, item_id: int):
    sess = _session()
    program = _program(sess, program_id)
    _item(sess, program_id, item_id)
    form = MarkForm()
    if not form.validate_on_submit():
        flash(form.csrf_message() or " ".join(form.done.errors + form.reason.errors), "error")
        return redirect(url_for(".mgmt_program", program_id=program_id) + "#plan")
    begin_write(sess)
    program = _program(sess, program_id)
    try:
        rules.mark(program, _item(sess, program_id, item_id), form.done.data == "1",
                   form.reason.data or "")
    except rules.MgmtError as exc:
        sess.rollback()
        flash(str(exc), "error")
    else:
        sess.commit()
        flash("Отметка сохранена.", "ok")
    return redirect(url_for(".mgmt_program", program_id=program_id) + "#plan")


@dataclass(frozen=True)
class Move:
    slug: str  # in the URL
    button: str
    done: str  # what the office reads after it


#: The rules' moves (``management.NEXT_MOVES``) as buttons.
MOVES = {m.slug: m for m in (
    Move("na-utverzhdenie", "Отправить на утверждение",
         "Программа отправлена на утверждение муниципальному куратору."),
    Move("utverdit", "Утвердить программу", "Программа утверждена."),
    Move("na-dorabotku", "Вернуть на доработку", "Программа возвращена на доработку (черновик)."),
    Move("nachat", "Начать реализацию", "Реализация программы начата."),
    Move("zavershit", "Завершить программу",
         "Программа завершена. Отчёт нужно сдать в течение 30 дней."),
)}
BY_RULE = {"submit": MOVES["na-utverzhdenie"], "approve": MOVES["utverdit"],
           "return": MOVES["na-dorabotku"], "start": MOVES["nachat"],
           "complete": MOVES["zavershit"]}


@blueprint.post(f"{BASE}/programmy/<mentoring_id:program_id>/<move>")
@requires(*OFFICE)
def mgmt_program_move(program_id: int, move: str):
    if move not in MOVES:
        abort(404)
    sess = _session()
    _program(sess, program_id)
    back = redirect(url_for(".mgmt_program", program_id=program_id))
    if _refused(ActionForm()):
        return back
    if move in ("utverdit", "na-dorabotku") and not _may_approve():
        flash("Утверждает программу (или возвращает её на доработку) только муниципальный "
              "куратор.", "error")
        return back
    begin_write(sess)
    program = _program(sess, program_id)
    editor = g.mentoring_editor
    try:
        if move == "na-utverzhdenie":
            rules.submit(program, now_utc())
        elif move == "na-dorabotku":
            rules.return_to_draft(program)
        elif move == "utverdit":
            rules.approve(program, editor.label, today())
        elif move == "nachat":
            rules.start(program, today())
        else:
            rules.complete(program, today())
    except rules.MgmtError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return back
    sess.commit()
    flash(MOVES[move].done, "ok")
    return back


@blueprint.post(f"{BASE}/programmy/<mentoring_id:program_id>/otchet")
@requires(*OFFICE)
def mgmt_report(program_id: int):
    sess = _session()
    program = _program(sess, program_id)
    report = ReportForm()
    if not report.validate_on_submit():
        return _program_page(program, report=report, status=400)
    begin_write(sess)
    program = _program(sess, program_id)
    try:
        rules.hand_in_report(program, report.conclusions.data, today())
    except rules.MgmtError as exc:
        sess.rollback()
        flash(str(exc), "error")
    else:
        sess.commit()
        flash("Отчёт сдан.", "ok")
    return redirect(url_for(".mgmt_program", program_id=program_id))


@blueprint.get(f"{BASE}/programmy/<mentoring_id:program_id>/otchet.docx")
@requires(*OFFICE)
def mgmt_report_docx(program_id: int):
    from .management_docx import report_docx, report_filename  # python-docx when one is made

    program = _program(_session(), program_id)
    response = Response(report_docx(program, today()), mimetype=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    name, fallback = report_filename(program)
    response.headers["Content-Disposition"] = content_disposition(name, fallback)
    return response
