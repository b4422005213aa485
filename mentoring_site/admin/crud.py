"""Generic list / create / edit / delete screens, driven by a ``Kind`` description.

One screen set serves every kind of content, so each behaves the same: search and
paging, a Markdown preview, optimistic locking (a stale edit keeps the typed text),
refusals the curator can read and act on. The views only turn the form into plain
values and call the save path (``editing.py``), which checks, stores files, follows the
slug, writes the journal and commits; its errors come back here to be shown at the fields.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import Session
from wtforms import DateTimeLocalField

from .. import clock, editing, markup
from ..db import begin_write, session
from ..urls import small_int
from . import blueprint as bp
from . import record_files
from .forms import ConfirmForm, RelatedSelectField
from .guard import requires
from .kinds import KINDS, Kind, ListFilter, status_filter  # noqa: F401 (kinds import them)

UTC_FIELDS = {"published_at", "unpublish_at"}
NOT_COLUMNS = {"csrf_token", "version"}
PER_PAGE = 25
STALE = editing.STALE


def load_form(kind: Kind, obj, sess: Session, *, from_row: bool | None = None):
    """A form filled from the row (UTC timestamps shown in local time), or from the request."""
    from_row = request.method == "GET" if from_row is None else from_row
    form = kind.form(obj=obj, formdata=None) if from_row else kind.form()
    if kind.prepare_form:
        kind.prepare_form(form, sess)
    if from_row and obj is not None:
        for name in UTC_FIELDS:
            value = getattr(obj, name, None)
            if name in form and value is not None:
                form[name].data = clock.to_local(value)
        if "version" in form:
            form.version.data = str(obj.version)
        for f in form:
            chosen: Any = getattr(obj, f.name, None)
            if hasattr(chosen, "value") and f.type == "SelectField":
                f.data = chosen.value
    record_files.prepare(kind.files, form, obj, from_row=from_row)
    return form


def form_values(kind: Kind, form) -> dict[str, Any]:
    """The form's fields as the model's column values (enums, UTC times, no «0» ids)."""
    mapper: Any = sa.inspect(kind.model)
    values: dict[str, Any] = {}
    for f in form:
        if isinstance(f, RelatedSelectField) and f.name in mapper.relationships:
            values[f.name] = list(f.data or [])  # rows' ids: a programme's directions
            continue
        if f.name in NOT_COLUMNS or f.name not in mapper.columns:
            continue
        column = mapper.columns[f.name]
        value = f.data
        enum_class = getattr(column.type, "enum_class", None)
        if enum_class is not None and value is not None:
            value = enum_class(value)
        elif isinstance(f, DateTimeLocalField) and f.name in UTC_FIELDS and value is not None:
            value = clock.to_utc(value)
        elif f.name.endswith("_id") and value == 0:
            value = None
        elif value is None and not column.nullable:
            value = column.default.arg if column.default is not None else value
            if callable(value):
                value = value(None)
        if isinstance(value, str) and column.type.python_type is str:
            value = value.strip() if f.type != "TextAreaField" else value.rstrip()
        values[f.name] = value
    if "published_at" in form and form.published_at.data is None:
        values["published_at"] = None  # now
    return values


def _version(form) -> int | None:
    """The version the edit began from (a garbled one never matches: stale); None when
    the form carries none."""
    if "version" not in form:
        return None
    value = str(form.version.data or "")
    return small_int(value) or 0


def previews(kind: Kind, form) -> dict[str, Markup]:
    prefix = url_for("mentoring.index").rstrip("/") + "/media/"
    return {
        name: markup.to_html(form[name].data, media_prefix=prefix)
        for name in kind.markdown_fields
        if name in form and form[name].data
    }


# -- views ----------------------------------------------------------------------------------


def list_view(kind: Kind):
    sess = session()
    q = (request.args.get("q") or "").strip()[:100]
    raw_page = request.args.get("page", "1")
    page = small_int(raw_page, lo=1, hi=99_999) or 1
    stmt: Any = sa.select(kind.model)
    if q and kind.search:
        pattern = f"%{q}%"
        stmt = stmt.where(sa.or_(*(col.ilike(pattern) for col in kind.search)))
    for key, list_filter in kind.filters.items():
        value = request.args.get(key, "")
        if value in list_filter.options:
            stmt = stmt.where(list_filter.where(value))
    total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = sess.scalars(
        stmt.order_by(*kind.order_by).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "mentoring/admin/list.html", kind=kind, rows=rows, q=q, page=page,
        pages=max(1, math.ceil(total / PER_PAGE)), total=total,
    )


def edit_view(kind: Kind, obj_id: int | None = None):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    obj = None
    if obj_id is not None:
        obj = sess.get(kind.model, obj_id)
        if obj is None:
            abort(404)
    form = load_form(kind, obj, sess)
    status, message, preview = 200, None, {}
    if request.method == "POST":
        if "preview" in request.form:
            preview = previews(kind, form)
            form.validate()
        elif not form.validate():
            message = form.csrf_message() or "Проверьте поля, отмеченные ниже."
            status = 400 if form.csrf_failed else 200
        else:
            message, status, saved = _save(kind, sess, form, obj_id)
            if saved is not None:
                flash(f"Сохранено: «{kind.title_of(saved)}».", "ok")
                return redirect(url_for(f"mentoring_admin.{kind.name}_edit", obj_id=saved.id))
    if request.method == "POST" and record_files.chosen(kind.files, form):
        # a browser never fills a file field back in: say so, or it seems saved
        again = "Выбранный файл не сохранён: выберите его ещё раз."
        message = f"{message} {again}" if message else again
    extra: dict[str, Any] = kind.context(sess, obj) if kind.context and obj is not None else {}
    return render_template(
        kind.template, kind=kind, form=form, obj=obj, message=message, preview=preview, **extra
    ), status


def _save(kind: Kind, sess: Session, form, obj_id: int | None):
    """Down the save path; a refusal becomes (message, status, None), its reasons put at
    the fields they are about."""
    try:
        saved = editing.save_record(
            sess, kind.record, obj_id, form_values(kind, form), actor=g.mentoring_editor.label,
            version=None if obj_id is None else _version(form),
            files=record_files.changes(kind.files, form))
    except editing.Conflict as exc:
        return str(exc), 409, None
    except editing.BadFile as exc:
        _add_error(form, record_files.field_of(kind.files, exc), str(exc))
        return editing.NOT_SAVED + str(exc), 200, None
    except editing.Refused as exc:
        for name, msg in exc.problems:
            _add_error(form, name, msg)
        return str(exc), 200, None
    except editing.Gone:
        abort(404)
    return None, 200, saved


def _add_error(form, name: str | None, message: str) -> None:
    if name and name in form:
        form[name].errors = [*form[name].errors, message]


def delete_view(kind: Kind, obj_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    obj = sess.get(kind.model, obj_id)
    if obj is None:
        abort(404)
    form = ConfirmForm()
    problem = editing.deletion_problem(sess, kind.record, obj)
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        elif problem is not None:
            status = 409
        else:
            title = kind.title_of(obj)
            try:
                editing.delete_record(sess, kind.record, obj_id, actor=g.mentoring_editor.label)
            except editing.EditError as exc:
                problem, status = str(exc), 409
                obj = sess.get(kind.model, obj_id) or abort(404)
            else:
                flash(f"Удалено: «{title}».", "ok")
                return redirect(url_for(f"mentoring_admin.{kind.name}_list"))
    return render_template("mentoring/admin/delete.html", kind=kind, obj=obj, form=form,
                           problem=problem, message=form.csrf_message()), status


def register(kind: Kind) -> Kind:
    """Add the kind's four screens under ``/admin/<url>/``."""
    KINDS[kind.name] = kind
    guard = requires(kind.role)

    def _list():
        return list_view(kind)

    def _create():
        return edit_view(kind)

    def _edit(obj_id: int):
        return edit_view(kind, obj_id)

    def _delete(obj_id: int):
        return delete_view(kind, obj_id)

    base = f"/{kind.url}"
    bp.add_url_rule(f"{base}/<mentoring_id:obj_id>/", f"{kind.name}_edit", guard(_edit),
                    methods=["GET", "POST"])
    if kind.singleton:  # one record, edited in place: no list, no delete
        return kind
    bp.add_url_rule(f"{base}/", f"{kind.name}_list", guard(_list))
    bp.add_url_rule(f"{base}/novaya/", f"{kind.name}_create", guard(_create),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<mentoring_id:obj_id>/udalit/", f"{kind.name}_delete", guard(_delete),
                    methods=["GET", "POST"])
    return kind


def owned_or_404(model: Any, item_id: int, owner: str, owner_id: int) -> Any:
    """An item on a page of its own under its record (a plan item, a score, a template's
    item): read under the write lock on a POST, 404 unless it belongs to ``owner_id``."""
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    item = sess.get(model, item_id)
    if item is None or getattr(item, owner) != owner_id:
        abort(404)
    return item


def form_refusal(form) -> tuple[str, int]:
    """The message and status of a form that did not validate (400 for a stale token)."""
    return form.csrf_message() or "Проверьте поля формы.", 400 if form.csrf_failed else 200


def run_action(kind: Kind, obj_id: int, form, key: str, do, done: str):
    """One action on a record's page (add a participant, upload a photo, complete...):
    CSRF, then ``editing.change_record`` (the domain rule, the journal, the commit), then
    back to the record. A refusal shows the page again with the action's form as typed
    and the reason."""
    sess = session()
    begin_write(sess)
    sess.get(kind.model, obj_id) or abort(404)
    error = None
    if not form.validate():
        error = form.csrf_message() or "Проверьте поля формы."
    else:
        try:
            editing.change_record(sess, kind.record, obj_id, lambda s, o: do(s, o, form),
                                  actor=g.mentoring_editor.label)
        except editing.EditError as exc:
            error = str(exc)
            _add_error(form, exc.field, error)
        else:
            flash(done, "ok")
            return redirect(url_for(f"mentoring_admin.{kind.name}_edit", obj_id=obj_id))
    sess.rollback()
    obj = sess.get(kind.model, obj_id)
    extra = kind.context(sess, obj, **{key: form, "error": error}) if kind.context else {}
    return render_template(
        kind.template, kind=kind, form=load_form(kind, obj, sess, from_row=True), obj=obj,
        message=None, preview={}, **extra,
    ), 400 if form.csrf_failed else 200
