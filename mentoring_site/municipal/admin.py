"""The office's admin for its list of schools: add, check, read now, take off the list.

It sits in the section's admin (same sign-in, same gate, same layout) under
``…/admin/reestr/``; a curator of the site, the municipal curator and the registry
specialist open it. «Проверить» reads a school's API live and
says what it found without storing anything; «Обновить сейчас» reads and stores, as
``flask mentoring aggregate`` does, for one school or for all.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..admin.forms_base import AdminForm
from ..admin.guard import _admin_context, _gate, _no_store, requires
from ..db import begin_write
from ..models.accounts import AccountRole
from ..models.registry import RegistrySchool
from ..security import add_security_headers
from . import queries
from .aggregate import LABELS, Report, read_options
from .fetch import Unreachable, read_school
from .roster import RosterError, add_school, as_school, remove_school

blueprint = Blueprint("municipal_admin", __name__)
blueprint.before_request(_gate)
blueprint.after_request(add_security_headers)
blueprint.after_request(_no_store)
blueprint.context_processor(_admin_context)


#: Who keeps the list of schools (a curator of the site may do everything anyway).
OFFICE = (AccountRole.MUNICIPAL_CURATOR, AccountRole.REGISTRY)


class SchoolForm(AdminForm):
    name = StringField("Название школы", validators=[
        DataRequired("Укажите название школы."), Length(max=300)])
    url = StringField(
        "Адрес раздела «Наставничество»",
        validators=[DataRequired("Укажите адрес раздела."), Length(max=1000)],
        description="Например, https://school7.example.ru/nastavnichestvo/",
    )


class ActionForm(AdminForm):
    """A button: only the CSRF token."""


def _school(key: str) -> RegistrySchool:
    school = queries.school_by_key(_session(), key)
    if school is None or school.removed_at is not None:
        abort(404)
    return school


def _session():
    return current_app.extensions["municipal"].session()


def _page(form: SchoolForm | None = None, status: int = 200):
    lines = queries.school_lines(_session())
    return render_template("mentoring/municipal/admin/schools.html", lines=lines,
                           form=form or SchoolForm(), action=ActionForm(),
                           labels=LABELS), status


@blueprint.get("/")
@requires(*OFFICE)
def schools():
    return _page()


@blueprint.post("/dobavit")
@requires(*OFFICE)
def school_add():
    form = SchoolForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    sess = _session()
    begin_write(sess)
    try:
        row = add_school(sess, form.name.data, form.url.data)
    except RosterError as exc:
        sess.rollback()
        form.url.errors = [*form.url.errors, str(exc)]
        return _page(form, 400)
    sess.commit()
    flash(f"Школа «{row.name}» в списке. Нажмите «Проверить», чтобы убедиться, что раздел "
          "отвечает, или «Обновить сейчас», чтобы прочитать его.", "ok")
    return redirect(url_for(".schools"))


def _refused(form: ActionForm) -> bool:
    if form.validate_on_submit():
        return False
    flash(form.csrf_message() or "Действие не выполнено: обновите страницу и повторите.",
          "error")
    return True


@blueprint.post("/<key>/proverit")
@requires(*OFFICE)
def school_check(key: str):
    school = as_school(_school(key))
    if _refused(ActionForm()):
        return redirect(url_for(".schools"))
    _session().rollback()  # nothing held open while the school's server is waited on
    try:
        read = read_school(school, {}, **read_options(current_app.config))
    except Unreachable as exc:
        flash(f"«{school.name}»: недоступен — {exc}", "error")
    except ValueError as exc:
        flash(f"«{school.name}»: неверный ответ — {exc}", "error")
    else:
        s = read.summary
        flash(f"«{school.name}»: раздел отвечает как API v1. Школа называет себя «{s.school}»; "
              f"наставников в реестре: {len(read.mentors)}, кейсов: {len(read.cases)}. "
              "Ничего не сохранено.", "ok")
    return redirect(url_for(".schools"))


def _said(reports: list[Report]) -> None:
    if len(reports) == 1:
        report = reports[0]
        flash(report.line(), "error" if report.failed else "ok")
        return
    counts = Counter(r.status for r in reports)
    text = ", ".join(f"{label} — {counts[status]}" for status, label in LABELS.items()
                     if counts[status])
    flash(f"Прочитано школ: {len(reports)} ({text or 'нет школ'}).",
          "error" if any(r.failed for r in reports) else "ok")
    for report in reports:
        if report.failed:
            flash(report.line(), "error")


@blueprint.post("/<key>/obnovit")
@requires(*OFFICE)
def school_refresh(key: str):
    school = as_school(_school(key))
    if not _refused(ActionForm()):
        _said(current_app.extensions["municipal"].aggregate(schools=[school]))
    return redirect(url_for(".schools"))


@blueprint.post("/obnovit-vse")
@requires(*OFFICE)
def schools_refresh():
    if not _refused(ActionForm()):
        _said(current_app.extensions["municipal"].aggregate())
    return redirect(url_for(".schools"))


@blueprint.post("/<key>/ubrat")
@requires(*OFFICE)
def school_remove(key: str):
    row = _school(key)
    if _refused(ActionForm()):
        return redirect(url_for(".schools"))
    sess = _session()
    begin_write(sess)
    row = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.id == row.id))
    assert row is not None
    remove_school(sess, row)
    sess.commit()
    flash(f"Школа «{row.name}» убрана из списка. Её прежние данные остаются в истории "
          "реестра (таблицы на прошлые даты).", "ok")
    return redirect(url_for(".schools"))
