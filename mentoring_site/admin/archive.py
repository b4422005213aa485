"""«Скачать архив раздела»: the whole section as one ZIP, for the curator only.

The archive holds personal data (every person, consent scans, questionnaire answers), so
only a curator may take it, by a POST with the CSRF token (never a link a browser could
prefetch), and each download is written in the journal. It is made in a temporary file
in the instance folder, which is unlinked as soon as it is opened for sending.
"""

from __future__ import annotations

import os
import tempfile
from types import SimpleNamespace

from flask import current_app, g, send_file

from .. import audit
from ..clock import now_local
from ..db import session
from ..transfer import ArchiveError, export_section
from ..urls import content_disposition
from . import blueprint as bp
from .forms_base import AdminForm
from .guard import requires


class ArchiveForm(AdminForm):
    """The button: only the CSRF token."""


@bp.post("/otchety/arhiv-razdela.zip")
@requires()
def section_archive():
    from .reports import _screen

    form = ArchiveForm()
    if not form.validate_on_submit():
        return _screen(form.csrf_message() or "Архив не сделан: обновите страницу и повторите.",
                       400)
    app = current_app._get_current_object()
    os.makedirs(app.instance_path, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="mentoring-archive-", suffix=".zip",
                                dir=app.instance_path)
    os.close(fd)
    try:
        manifest = export_section(app, path)
    except ArchiveError as exc:
        os.unlink(path)
        return _screen(f"Архив не сделан: {exc}", 500)
    sess = session()
    audit.record(sess, actor=g.mentoring_editor.label, action="export", kind="section",
                 obj=SimpleNamespace(id=None, title="Архив раздела"),
                 changes={"архив": [None, f"таблиц {len(manifest['tables'])}, "
                                          f"файлов {len(manifest['files'])}"]})
    sess.commit()
    stamp = now_local(app.config["MENTORING_TIMEZONE"]).strftime("%Y-%m-%d")
    # Opened, then unlinked: the open file is sent and its bytes are freed when it closes,
    # whatever way the server ends the response; nothing is left in the instance folder.
    handle = open(path, "rb")  # noqa: SIM115 - send_file closes it
    os.unlink(path)
    response = send_file(handle, mimetype="application/zip", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        f"Архив раздела «Наставничество» — {stamp}.zip", f"arhiv-razdela-{stamp}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response
