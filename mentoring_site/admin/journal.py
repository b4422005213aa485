"""The audit log for the curator: who changed what, and restoring an earlier text.

A restore is a save like any other (``editing.restore``): the slug follows a restored
title, the journal records it, hosts hear of it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import editing
from ..db import begin_write, session
from ..models import AuditEntry
from ..urls import small_int
from . import blueprint as bp
from . import journal_words
from .crud import KINDS
from .forms import ConfirmForm
from .guard import requires

PER_PAGE = 50
ACTIONS = {"create": "создание", "update": "изменение", "delete": "удаление",
           "restore": "восстановление", "password": "смена пароля",
           "totp_on": "включение входа с кодом", "totp_off": "отключение входа с кодом",
           "login_failures": "неудачные попытки входа", "export": "выгрузка архива",
           "backup": "резервная копия"}
#: Journal rows that are not about a content kind, by item_kind.
OTHER_KINDS = {"consent": "согласие", "account": "учётная запись", "section": "раздел"}


@bp.get("/zhurnal/")
@requires()
def journal():
    sess = session()
    stmt = sa.select(AuditEntry)
    who = (request.args.get("kto") or "").strip()[:200]
    kind = request.args.get("vid", "")
    item = request.args.get("id", "")
    if who:
        stmt = stmt.where(AuditEntry.actor == who)
    if kind in KINDS or kind in OTHER_KINDS:
        stmt = stmt.where(AuditEntry.item_kind == kind)
        if (item_id := small_int(item)) is not None:
            stmt = stmt.where(AuditEntry.item_id == item_id)
    page = small_int(request.args.get("page", ""), lo=1, hi=99_999) or 1
    entries = sess.scalars(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                           .limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    actors = sess.scalars(sa.select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)).all()
    return render_template(
        "mentoring/admin/journal.html", entries=entries[:PER_PAGE], more=len(entries) > PER_PAGE,
        page=page, who=who, kind=kind, item=item, actors=actors, kinds=KINDS, actions=ACTIONS,
        other_kinds=OTHER_KINDS,
        form=ConfirmForm(formdata=None), restorable=_restorable, changes=journal_words.changes,
    )


def _restorable(entry: AuditEntry) -> bool:
    kind = KINDS.get(entry.item_kind)
    return kind is not None and editing.restorable(kind.record, entry)


@bp.post("/zhurnal/<mentoring_id:entry_id>/vosstanovit/")
@requires()
def journal_restore(entry_id: int):
    """Put back the texts as they were before this change (``editing.restore`` says which:
    never the status, the kind or the address); the restore is logged too."""
    form = ConfirmForm()
    if not form.validate():
        flash(form.csrf_message() or "Не получилось: попробуйте ещё раз.", "error")
        return redirect(url_for("mentoring_admin.journal"))
    sess = session()
    begin_write(sess)
    entry = sess.get(AuditEntry, entry_id) or abort(404)
    if not _restorable(entry):
        flash(form.csrf_message() or "Эту запись журнала нельзя восстановить.", "error")
        return redirect(url_for("mentoring_admin.journal"))
    kind = KINDS[entry.item_kind]
    wanted_slug = (entry.changes or {}).get("slug", [None])[0]
    try:
        obj = editing.restore(sess, kind.record, entry_id, actor=g.mentoring_editor.label)
    except editing.EditError as exc:
        flash(str(exc), "error")
        return redirect(url_for("mentoring_admin.journal"))
    flash(f"Текст «{kind.title_of(obj)}» восстановлен в прежнем виде.", "ok")
    if wanted_slug and getattr(obj, "slug", wanted_slug) != wanted_slug:
        flash(f"Прежний адрес «{wanted_slug}» занят другой записью, поэтому у этой записи "
              f"адрес «{obj.slug}». Статус и вид записи не менялись.", "ok")
    return redirect(url_for(f"mentoring_admin.{kind.name}_edit", obj_id=obj.id))
