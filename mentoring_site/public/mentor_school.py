"""«Школа наставничества» (``MENTORING_MENTOR_SCHOOL``): the office's events for mentors
with their registration, and its materials for them (``queries.mentor_school``)."""

from __future__ import annotations

from flask import current_app, render_template

from .. import clock, queries
from ..db import session
from ..queries.mentor_school import INTRO_SLUG
from . import blueprint as bp
from . import meta

DESCRIPTION = ("Семинары и тренинги для наставников с регистрацией, прошедшие мероприятия, "
               "методические материалы, презентации и видео.")


@bp.get(f"/{INTRO_SLUG}/")
def mentor_school():
    """With the setting off this address is a free page like any other (or a 404)."""
    from .views import _clock, page

    if not current_app.config["MENTORING_MENTOR_SCHOOL"]:
        return page(INTRO_SLUG)
    school = queries.mentor_school(session(), _clock(), clock.now_local())
    intro = school.intro.body.strip() if school.intro else ""
    return render_template("mentoring/mentor_school.html", school=school,
                           meta=meta.for_page("Школа наставничества", intro or DESCRIPTION))
