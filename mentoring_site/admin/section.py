"""The section's own texts: the introduction and the curator's contacts (one record)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from ..models import SectionInfo
from . import blueprint as bp
from .crud import Kind, edit_view, register
from .forms import SectionInfoForm
from .guard import requires

SECTION = register(Kind(
    name="section", url="o-razdele", model=SectionInfo, form=SectionInfoForm,
    plural="О разделе и куратор", singular="описание раздела",
    columns=[("Куратор", lambda o: o.curator_name), ("Телефон", lambda o: o.curator_phone)],
    markdown_fields=("intro",), slug_source=None,
    public_url=lambda o: url_for("mentoring.index"), singleton=True,
))


@bp.route("/o-razdele/", endpoint="section_info", methods=["GET", "POST"])
@requires()
def section_info():
    """Always the one record: created on first save."""
    from ..db import session

    obj_id = session().scalar(sa.select(SectionInfo.id).order_by(SectionInfo.id).limit(1))
    return edit_view(SECTION, obj_id)
