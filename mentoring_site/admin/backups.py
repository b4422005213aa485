"""«Резервные копии»: the backups in ``MENTORING_BACKUP_FOLDER``, for the curator only.

The list shows each backup's date, size and what it holds (its archive's manifest); a
curator makes one now or downloads one. Both are POSTs with the CSRF token (never a link a
browser could prefetch) and are written in the journal, as «Скачать архив раздела» is: a
backup holds every person and every private file. Restoring stays a command with its
confirmation (``flask mentoring restore``): it replaces the whole section, the accounts
and the journal too, so it is not a button one can press by mistake, and the page says so.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from flask import abort, current_app, flash, g, redirect, render_template, send_file, url_for

from .. import audit
from ..db import session
from ..transfer import ArchiveError
from ..transfer.backups import backup_time, backups, contents, find, make_backup
from . import blueprint as bp
from .forms_base import AdminForm
from .guard import requires


class BackupForm(AdminForm):
    """A button: only the CSRF token."""


def _folder() -> Path | None:
    folder = current_app.config["MENTORING_BACKUP_FOLDER"]
    return Path(folder) if folder else None


def size_text(size: int) -> str:
    """«840 КБ», «12,3 МБ»: a file's size as a curator reads it."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} КБ"
    return f"{size / 1024 / 1024:.1f} МБ".replace(".", ",")


def _screen(message: str = "", status: int = 200):
    folder = _folder()
    listed = [(b, backup_time(b), contents(b)) for b in backups(folder)] if folder else []
    engine = current_app.extensions["mentoring"].engine
    return render_template(
        "mentoring/admin/backups.html", folder=folder, listed=listed, message=message,
        keep=current_app.config["MENTORING_BACKUP_KEEP"],
        sqlite=engine.dialect.name == "sqlite", size_text=size_text), status


def _journal(title: str, what: str) -> None:
    sess = session()
    audit.record(sess, actor=g.mentoring_editor.label, action="backup", kind="section",
                 obj=SimpleNamespace(id=None, title=title), changes={"копия": [None, what]})
    sess.commit()


@bp.get("/rezervnye-kopii/")
@requires()
def backups_screen():
    return _screen()


@bp.post("/rezervnye-kopii/sdelat/")
@requires()
def backup_now():
    form = BackupForm()
    if not form.validate_on_submit():
        return _screen(form.csrf_message() or "Копия не сделана: обновите страницу и "
                       "повторите.", 400)
    folder = _folder()
    if folder is None:
        return _screen("Копия не сделана: папка для копий не задана (см. ниже).", 400)
    app = current_app._get_current_object()
    try:
        made, removed = make_backup(app, folder, keep=app.config["MENTORING_BACKUP_KEEP"])
    except ArchiveError as exc:
        return _screen(f"Копия не сделана: {exc}", 500)
    _journal("Резервная копия раздела", f"сделана {made.stamp}"
             + (f", удалено старых: {len(removed)}" if removed else ""))
    flash(f"Резервная копия сделана ({backup_time(made):%d.%m.%Y %H:%M:%S})"
          + (f"; удалено старых копий: {len(removed)}." if removed else "."), "ok")
    return redirect(url_for("mentoring_admin.backups_screen"))


@bp.post("/rezervnye-kopii/<name>")
@requires()
def backup_download(name: str):
    form = BackupForm()
    if not form.validate_on_submit():
        return _screen(form.csrf_message() or "Файл не скачан: обновите страницу и "
                       "повторите.", 400)
    folder = _folder()
    path = find(folder, name) if folder else None
    if path is None:
        abort(404)
    _journal("Резервная копия раздела", f"скачан файл {path.name}")
    response = send_file(path, as_attachment=True, download_name=path.name, max_age=0,
                         mimetype="application/zip" if path.suffix == ".zip"
                         else "application/vnd.sqlite3")
    response.headers["Cache-Control"] = "no-store"
    return response
