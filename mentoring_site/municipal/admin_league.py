"""The office's admin for the League of mentor schools, under ``…/admin/reestr/liga/``.

Both office roles keep the applications, the list of directions and the schools' keys;
only the municipal curator (or a curator of the site) changes a member's state: «Включить
приказом» (number, date and the order's file) or «Отклонить» (with a reason). The order's
file enters through ``media.storage`` like every upload of the section (its type told from
the content); it is public once the member is included, as the order itself is.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from ..admin.forms_base import AdminForm, with_ids
from ..admin.guard import requires
from ..db import begin_write
from ..media import storage
from ..models.accounts import AccountRole
from ..models.league import LeagueDirection, LeagueMember, LeagueState
from ..models.registry import RegistrySchool
from . import league
from .admin import OFFICE, ActionForm, blueprint

CURATOR_ONLY = (AccountRole.MUNICIPAL_CURATOR,)


class MemberForm(AdminForm):
    school = SelectField("Школа из реестра", choices=[], validate_choice=False,
                         description="Для организации, которой нет в реестре, оставьте "
                         "«— нет в реестре —» и впишите её название ниже.")
    organisation = StringField("Организация (если её нет в реестре)",
                               validators=[Length(max=league.MAX_NAME)])
    directions = SelectMultipleField("Направления наставничества", coerce=int, choices=[],
                                     validate_choice=False)
    contact_name = StringField("Контактное лицо (ФИО)", validators=[Length(max=300)])
    contact_position = StringField("Должность", validators=[Length(max=300)])
    contact_phone = StringField("Телефон", validators=[Length(max=100)])
    contact_email = StringField("Электронная почта", validators=[Length(max=300)])
    contacts_public = BooleanField(
        "Публиковать контакт на странице Лиги",
        description="Без отметки контактное лицо видит только управление.")
    note = TextAreaField("Примечание", validators=[Length(max=league.MAX_NOTE)])


class IncludeForm(AdminForm):
    order_number = StringField("Номер приказа", validators=[Length(max=100)])
    order_date = DateField("Дата приказа", validators=[Optional()])
    order_file = FileField("Файл приказа (PDF, DOC, DOCX, ODT)")


class RejectForm(AdminForm):
    reason = TextAreaField("Причина отказа", validators=[Length(max=league.MAX_REASON)])


class DirectionForm(AdminForm):
    name = StringField("Название направления", validators=[Length(max=league.MAX_NAME)])
    hidden = BooleanField("Скрыть из списка для новых заявок")


def _session():
    return current_app.extensions["municipal"].session()


def _schools() -> list[RegistrySchool]:
    return list(_session().scalars(
        sa.select(RegistrySchool).where(RegistrySchool.removed_at.is_(None))
        .order_by(RegistrySchool.position, RegistrySchool.id)))


def _member_form(row: LeagueMember | None = None) -> MemberForm:
    form = MemberForm(obj=row) if row is not None and request.method == "GET" else MemberForm()
    form.school.choices = [("", "— нет в реестре —"), *((s.key, s.name) for s in _schools())]
    form.directions.choices = [(d.id, d.name) for d in league.directions(_session(),
                                                                        with_hidden=True)]
    if row is not None and request.method == "GET":
        form.school.data = row.school.key if row.school is not None else ""
        form.directions.data = [d.id for d in row.directions]
        if row.school is not None:
            form.organisation.data = ""
    return form


def _member(member_id: int) -> LeagueMember:
    row = league.member(_session(), member_id)
    if row is None:
        abort(404)
    return row


def _state_arg() -> LeagueState | None:
    raw = request.args.get("sostoyanie", "")
    if not raw:
        return None
    try:
        return LeagueState(raw)
    except ValueError:
        abort(404)


def _direction_arg() -> int | None:
    raw = request.args.get("napravlenie", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        abort(404)
    return int(raw)


def _upload_folder():
    return current_app.extensions["mentoring"].upload_folder


@blueprint.get("/liga/")
@requires(*OFFICE)
def league_list():
    sess = _session()
    state, direction = _state_arg(), _direction_arg()
    return render_template(
        "mentoring/municipal/admin/league.html",
        rows=league.members(sess, state=state, direction_id=direction), state=state,
        direction=direction, states=LeagueState, action=ActionForm(),
        directions=league.directions(sess, with_hidden=True))


def _save(form: MemberForm, row: LeagueMember) -> bool:
    """Fill ``row`` from the form inside the write transaction the caller began; False
    (rolled back, errors on the form) when something is wrong."""
    sess = _session()
    if not form.validate_on_submit():
        sess.rollback()
        return False
    try:
        school = None
        if form.school.data:
            school = next((s for s in _schools() if s.key == form.school.data), None)
            if school is None:
                raise league.LeagueError("Такой школы нет в реестре: обновите страницу.",
                                         "school")
        contact = league.clean_contact(form.contact_name.data, form.contact_position.data,
                                       form.contact_phone.data, form.contact_email.data)
        chosen = league.chosen_directions(sess, form.directions.data or [])
        league.save_member(sess, row, organisation=form.organisation.data, school=school,
                           chosen=chosen, contact=contact,
                           contacts_public=bool(form.contacts_public.data),
                           note=form.note.data)
    except league.LeagueError as exc:
        sess.rollback()
        field = getattr(form, exc.field or "", None) or form.organisation
        field.errors = [*field.errors, str(exc)]
        return False
    sess.commit()
    return True


@blueprint.route("/liga/novaya", methods=["GET", "POST"])
@requires(*OFFICE)
def league_new():
    if request.method == "POST":
        begin_write(_session())
    form = _member_form()
    row = LeagueMember(directions=[])
    if request.method == "POST" and _save(form, row):
        flash(f"Заявка «{row.organisation}» внесена.", "ok")
        return redirect(url_for(".league_edit", member_id=row.id))
    return render_template("mentoring/municipal/admin/league_member.html", form=form,
                           row=None), 400 if request.method == "POST" else 200


def _edit_page(row: LeagueMember, form: MemberForm | None = None,
               include: IncludeForm | None = None, refuse: RejectForm | None = None,
               status: int = 200):
    return render_template(
        "mentoring/municipal/admin/league_member.html", row=row,
        form=form or _member_form(row),
        include=with_ids(include or IncludeForm(), "inc"),
        refuse=with_ids(refuse or RejectForm(), "rej")), status


@blueprint.route("/liga/<mentoring_id:member_id>/", methods=["GET", "POST"])
@requires(*OFFICE)
def league_edit(member_id: int):
    if request.method == "GET":
        return _edit_page(_member(member_id))
    begin_write(_session())
    row = _member(member_id)
    form = _member_form(row)
    if _save(form, row):
        flash("Сохранено.", "ok")
        return redirect(url_for(".league_edit", member_id=row.id))
    return _edit_page(_member(member_id), form=form, status=400)


@blueprint.post("/liga/<mentoring_id:member_id>/vklyuchit")
@requires(*CURATOR_ONLY)
def league_include(member_id: int):
    sess = _session()
    begin_write(sess)
    row = _member(member_id)
    form = IncludeForm()
    if not form.validate_on_submit():
        sess.rollback()
        return _edit_page(_member(member_id), include=form, status=400)
    try:
        media = None
        if form.order_file.data:
            try:
                media = storage.accept_upload(
                    sess, _upload_folder(), form.order_file.data, kind="document",
                    max_bytes=current_app.config["MENTORING_MAX_DOCUMENT_BYTES"])
            except storage.StorageError as exc:
                raise league.LeagueError(str(exc), "order_file") from None
        league.include(row, form.order_number.data, form.order_date.data,
                       media.id if media is not None else None)
    except league.LeagueError as exc:
        sess.rollback()
        field = getattr(form, exc.field or "", None) or form.order_number
        field.errors = [*field.errors, str(exc)]
        return _edit_page(_member(member_id), include=form, status=400)
    sess.commit()
    flash(f"«{row.organisation}» включена в Лигу приказом № {row.order_number}.", "ok")
    return redirect(url_for(".league_edit", member_id=row.id))


@blueprint.post("/liga/<mentoring_id:member_id>/otklonit")
@requires(*CURATOR_ONLY)
def league_reject(member_id: int):
    sess = _session()
    begin_write(sess)
    row = _member(member_id)
    form = RejectForm()
    if not form.validate_on_submit():
        sess.rollback()
        return _edit_page(_member(member_id), refuse=form, status=400)
    try:
        league.reject(row, form.reason.data)
    except league.LeagueError as exc:
        sess.rollback()
        form.reason.errors = [*form.reason.errors, str(exc)]
        return _edit_page(_member(member_id), refuse=form, status=400)
    sess.commit()
    flash(f"Заявка «{row.organisation}» отклонена.", "ok")
    return redirect(url_for(".league_edit", member_id=row.id))


@blueprint.get("/liga/<mentoring_id:member_id>/prikaz")
@requires(*OFFICE)
def league_order_file(member_id: int):
    row = _member(member_id)
    if row.order_file is None:
        abort(404)
    return storage.send_media(_upload_folder(), row.order_file, row.order_file.stored_name)


# -- the list of directions ---------------------------------------------------------------------


def _directions_page(form: DirectionForm | None = None, status: int = 200):
    rows = league.directions(_session(), with_hidden=True)
    edits = []
    for d in rows:
        edit = DirectionForm(formdata=None, obj=d)
        edits.append((d, with_ids(edit, f"d{d.id}")))
    return render_template("mentoring/municipal/admin/league_directions.html", edits=edits,
                           form=with_ids(form or DirectionForm(formdata=None), "new")), status


@blueprint.route("/liga/napravleniya", methods=["GET", "POST"])
@requires(*OFFICE)
def league_directions():
    if request.method == "GET":
        return _directions_page()
    form = DirectionForm()
    if not form.validate_on_submit():
        return _directions_page(form, 400)
    sess = _session()
    begin_write(sess)
    try:
        row = league.add_direction(sess, form.name.data)
    except league.LeagueError as exc:
        sess.rollback()
        form.name.errors = [*form.name.errors, str(exc)]
        return _directions_page(form, 400)
    sess.commit()
    flash(f"Направление «{row.name}» добавлено.", "ok")
    return redirect(url_for(".league_directions"))


@blueprint.post("/liga/napravleniya/<mentoring_id:direction_id>")
@requires(*OFFICE)
def league_direction_edit(direction_id: int):
    sess = _session()
    form = DirectionForm()
    if not form.validate_on_submit():
        flash(form.csrf_message() or "Направление не сохранено: проверьте название.", "error")
        return redirect(url_for(".league_directions"))
    begin_write(sess)
    row = sess.get(LeagueDirection, direction_id)
    if row is None:
        sess.rollback()
        abort(404)
    try:
        league.change_direction(sess, row, form.name.data, bool(form.hidden.data))
    except league.LeagueError as exc:
        sess.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".league_directions"))
    sess.commit()
    flash(f"Направление «{row.name}» сохранено.", "ok")
    return redirect(url_for(".league_directions"))


# -- the schools' keys for the API ------------------------------------------------------------


def _registry_school(key: str) -> RegistrySchool:
    school = next((s for s in _schools() if s.key == key), None)
    if school is None:
        abort(404)
    return school


@blueprint.get("/liga/klyuchi")
@requires(*OFFICE)
def league_keys():
    return render_template("mentoring/municipal/admin/league_keys.html", schools=_schools(),
                           keys=league.keys_by_school(_session()), action=ActionForm())


@blueprint.post("/liga/klyuchi/<key>")
@requires(*OFFICE)
def league_key_issue(key: str):
    school = _registry_school(key)
    if not ActionForm().validate_on_submit():
        flash("Ключ не создан: обновите страницу и повторите.", "error")
        return redirect(url_for(".league_keys"))
    sess = _session()
    begin_write(sess)
    raw = league.issue_key(sess, school)
    sess.commit()
    # Shown in this answer only, never stored or put in a cookie: the office copies it now.
    api = url_for("municipal_api.league_apply", _external=True)
    office = api.removesuffix("api/liga/zayavki")
    return render_template("mentoring/municipal/admin/league_key.html", school=school,
                           raw=raw, office=office)


@blueprint.post("/liga/klyuchi/<key>/otozvat")
@requires(*OFFICE)
def league_key_revoke(key: str):
    school = _registry_school(key)
    if ActionForm().validate_on_submit():
        sess = _session()
        begin_write(sess)
        done = league.revoke_key(sess, school)
        sess.commit()
        flash(f"Ключ школы «{school.name}» отозван." if done else "У школы не было ключа.",
              "ok")
    return redirect(url_for(".league_keys"))
