"""Generic list / create / edit / delete screens, driven by a ``Kind`` description.

One screen set serves every kind of content, so each behaves the same: search and
paging, a Markdown preview, optimistic locking (a stale edit keeps the typed text),
the audit log, refusals the curator can read and act on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from wtforms import DateTimeLocalField

from .. import audit, clock, markup, permalinks
from ..db import begin_write, session
from ..media import storage
from ..models import AccountRole
from . import addresses, record_files
from . import blueprint as bp
from .forms import ConfirmForm, RelatedSelectField
from .guard import requires
from .record_files import FileSlot

UTC_FIELDS = {"published_at", "unpublish_at"}
NOT_COLUMNS = {"csrf_token", "version"}
PER_PAGE = 25

STALE = (
    "Пока вы редактировали, эту запись изменил другой пользователь. Ваш текст не сохранён, "
    "но остался в форме ниже. Откройте запись в новой вкладке, сравните и перенесите "
    "нужные правки, затем сохраните."
)


@dataclass
class Kind:
    name: str  # English, for endpoint names: news -> mentoring_admin.news_edit
    url: str  # transliterated Russian URL part
    model: type
    form: type
    plural: str
    singular: str  # accusative: «Добавить новость»
    columns: list[tuple[str, Callable[[Any], Any]]]
    search: tuple = ()
    order_by: tuple = ()
    role: AccountRole = AccountRole.CURATOR
    markdown_fields: tuple[str, ...] = ()
    prepare_form: Callable[[Any, Session], None] | None = None
    # (session, obj) -> [(field name, message)]: why the record may not be saved as is
    problems: Callable[[Session, Any], list[tuple[str, str]]] | None = None
    # (session, obj) -> message or None: why the record may not be deleted
    delete_problem: Callable[[Session, Any], str | None] | None = None
    public_url: Callable[[Any], str | None] | None = None
    slug_source: str | Callable[[Any], str] | None = "title"
    extra: dict = field(default_factory=dict)
    # the edit page's template and the extra things it shows (participants, photos, ...)
    template: str = "mentoring/admin/form.html"
    context: Callable[[Session, Any], dict] | None = None
    files: tuple[FileSlot, ...] = ()

    def title_of(self, obj) -> str:
        return str(getattr(obj, "title", None) or getattr(obj, "full_name", "") or obj.id)


KINDS: dict[str, Kind] = {}


def status_filter(model) -> tuple[str, dict[str, str], Callable]:
    """The list filter «Состояние» (draft or published) for a kind with a status."""
    from ..models import Status

    return ("Состояние", {s.value: s.label for s in Status}, lambda v: model.status == Status(v))


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
            value = getattr(obj, f.name, None)
            if hasattr(value, "value") and f.type == "SelectField":
                f.data = value.value
    record_files.prepare(kind.files, form, obj, from_row=from_row)
    return form


def save_form(kind: Kind, form, obj) -> None:
    mapper = sa.inspect(kind.model)
    for f in form:
        if isinstance(f, RelatedSelectField) and f.name in mapper.relationships:
            f.populate_obj(obj, f.name)  # a list of rows: a programme's directions
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
        setattr(obj, f.name, value)
    if "published_at" in form and form.published_at.data is None:
        obj.published_at = clock.now_utc()


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
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    stmt = sa.select(kind.model)
    if q and kind.search:
        pattern = f"%{q}%"
        stmt = stmt.where(sa.or_(*(col.ilike(pattern) for col in kind.search)))
    for key, (_label, options, build) in kind.extra.get("filters", {}).items():
        value = request.args.get(key, "")
        if value in options:
            stmt = stmt.where(build(value))
    total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = sess.scalars(
        stmt.order_by(*kind.order_by).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "mentoring/admin/list.html", kind=kind, rows=rows, q=q, page=page,
        pages=max(1, math.ceil(total / PER_PAGE)), total=total,
        page_url=lambda n: url_for(request.endpoint, **{**request.args.to_dict(), "page": n}),
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
        elif obj is not None and form.version.data != str(obj.version):
            message, status = STALE, 409
        else:
            result = _save(kind, sess, form, obj)
            if isinstance(result, str):
                message, status = result, 409 if result == STALE else 200
            else:
                flash(f"Сохранено: «{kind.title_of(result)}».", "ok")
                return redirect(url_for(f"mentoring_admin.{kind.name}_edit", obj_id=result.id))
    if request.method == "POST" and record_files.chosen(kind.files, form):
        # a browser never fills a file field back in: say so, or it seems saved
        again = "Выбранный файл не сохранён: выберите его ещё раз."
        message = f"{message} {again}" if message else again
    extra = kind.context(sess, obj) if kind.context and obj is not None else {}
    return render_template(
        kind.template, kind=kind, form=form, obj=obj, message=message, preview=preview, **extra
    ), status


def _save(kind: Kind, sess: Session, form, obj):
    creating = obj is None
    if creating:
        obj = kind.model()
        before = {}
    else:
        before = audit.snapshot(obj)
    old_slug = getattr(obj, "slug", None)
    was_public = not creating and addresses.publicly_linked(sess, obj)
    save_form(kind, form, obj)
    if kind.slug_source and hasattr(obj, "slug"):
        addresses.follow_title(sess, obj, kind.slug_source, creating=creating)
    if kind.problems:
        problems = kind.problems(sess, obj)
        if problems:
            sess.rollback()
            for name, msg in problems:
                target = form[name] if name in form else None
                if target is not None:
                    target.errors = [*target.errors, msg]
            return "Запись не сохранена: " + " ".join(msg for _, msg in problems)
    if creating:
        sess.add(obj)
    try:
        try:
            record_files.attach(kind.files, sess, form, obj)
        except storage.StorageError as exc:
            sess.rollback()
            form[exc.field].errors = [*form[exc.field].errors, str(exc)]
            return f"Запись не сохранена: {exc}"
        sess.flush()
        if permalinks.slug_moved(old_slug, getattr(obj, "slug", None), was_public=was_public):
            permalinks.record_slug_change(sess, addresses.permalink_kind(obj), obj.id, old_slug)
        after = audit.snapshot(obj)
        audit.record(sess, actor=g.mentoring_editor.label, action="create" if creating else
                     "update", kind=kind.name, obj=obj, changes=audit.diff(before, after))
        sess.commit()
    except StaleDataError:
        sess.rollback()
        return STALE
    return obj


def delete_view(kind: Kind, obj_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    obj = sess.get(kind.model, obj_id)
    if obj is None:
        abort(404)
    form = ConfirmForm()
    problem = kind.delete_problem(sess, obj) if kind.delete_problem else None
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        elif problem is not None:
            status = 409
        else:
            title = kind.title_of(obj)
            audit.record(sess, actor=g.mentoring_editor.label, action="delete", kind=kind.name,
                         obj=obj, changes=audit.diff(audit.snapshot(obj), {}))
            link_kind = addresses.permalink_kind(obj)
            if link_kind:  # its old addresses may now go to another record
                permalinks.forget_object(sess, link_kind, obj.id)
            sess.delete(obj)
            sess.commit()
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
    bp.add_url_rule(f"{base}/<int:obj_id>/", f"{kind.name}_edit", guard(_edit),
                    methods=["GET", "POST"])
    if kind.extra.get("singleton"):  # one record, edited in place: no list, no delete
        return kind
    bp.add_url_rule(f"{base}/", f"{kind.name}_list", guard(_list))
    bp.add_url_rule(f"{base}/novaya/", f"{kind.name}_create", guard(_create),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<int:obj_id>/udalit/", f"{kind.name}_delete", guard(_delete),
                    methods=["GET", "POST"])
    return kind


def run_action(kind: Kind, obj_id: int, form, key: str, do, done: str):
    """One action on a record's page (add a participant, upload a photo, complete...):
    CSRF, the domain rule, the audit log, then back to the record. A refusal shows the
    page again with the action's form as typed and the reason."""
    from .. import lifecycle
    from ..media import storage

    sess = session()
    begin_write(sess)
    obj = sess.get(kind.model, obj_id) or abort(404)
    error = None
    if not form.validate():
        error = form.csrf_message() or "Проверьте поля формы."
    else:
        try:
            detail = do(sess, obj, form)
        except (lifecycle.LifecycleError, storage.StorageError) as exc:
            error = str(exc)
            target = getattr(exc, "field", None)
            if target and target in form:
                form[target].errors = [*form[target].errors, str(exc)]
        else:
            sess.flush()
            audit.record(sess, actor=g.mentoring_editor.label, action="update", kind=kind.name,
                         obj=obj, changes={"действие": [None, detail]})
            sess.commit()
            flash(done, "ok")
            return redirect(url_for(f"mentoring_admin.{kind.name}_edit", obj_id=obj.id))
    sess.rollback()
    obj = sess.get(kind.model, obj_id)
    extra = kind.context(sess, obj, **{key: form, "error": error}) if kind.context else {}
    return render_template(
        kind.template, kind=kind, form=load_form(kind, obj, sess, from_row=True), obj=obj,
        message=None, preview={}, **extra,
    ), 400 if form.csrf_failed else 200
