"""The curator's start page: what needs attention today (``queries.admin.dashboard``)."""

from __future__ import annotations

from flask import current_app, render_template

from .. import clock
from ..db import session
from ..queries import admin as admin_queries
from ..queries.base import Clock
from . import blueprint as bp


@bp.get("/")
def dashboard():
    tz = current_app.config["MENTORING_TIMEZONE"]
    board = admin_queries.dashboard(session(), Clock.current(tz), clock.now_local(tz))
    return render_template("mentoring/admin/dashboard.html", **vars(board))
