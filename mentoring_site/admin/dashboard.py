"""The curator's start page: what needs attention today (``queries.admin.dashboard``), the
school year's figures as charts (``reports.figures``, drawn by ``admin.charts``) and, while
the regulatory base has no federal act, the starter kit's button (``starter``)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for

from .. import clock, editing, starter
from ..db import begin_write, session
from ..queries import admin as admin_queries
from ..queries.base import Clock
from ..reports.figures import SchoolYear, year_figures
from . import blueprint as bp
from . import charts
from .forms import ConfirmForm
from .guard import requires

STALE_BUTTON = ("Страница была открыта слишком долго, и её защитный ключ устарел. "
                "Нажмите кнопку ещё раз.")


@bp.get("/")
def dashboard():
    tz = current_app.config["MENTORING_TIMEZONE"]
    sess, now = session(), Clock.current(tz)
    board = admin_queries.dashboard(sess, now, clock.now_local(tz))
    figures = year_figures(sess, SchoolYear.of(now.today), now)
    return render_template(
        "mentoring/admin/dashboard.html", **vars(board), year=figures.year,
        charts=charts.year_charts(figures), form=ConfirmForm(),
        offer_federal_acts=g.mentoring_editor.is_curator and not starter.has_federal_acts(sess))


@bp.post("/nachalnyi-nabor/federalnye-akty/")
@requires()
def starter_federal_acts():
    """«Добавить федеральную нормативную базу»: the kit's missing acts, each saved and
    journaled through ``editing``; pressing twice adds nothing twice."""
    if not ConfirmForm().validate():
        flash(STALE_BUTTON, "error")
        return redirect(url_for("mentoring_admin.dashboard"))
    sess = session()
    begin_write(sess)
    try:
        added = starter.add_federal_acts(sess, actor=g.mentoring_editor.label)
    except editing.EditError as exc:
        flash(str(exc), "error")
    else:
        flash(starter.added_message(len(added)), "ok")
    return redirect(url_for("mentoring_admin.document_list", uroven="federal"))
