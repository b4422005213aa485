"""«Отчёт управления»: the office's yearly report «на дату» as XLSX or DOCX, from the admin.

A download is a read, so the screen is a GET form (a date and a format) with no token; a
date that does not read is said in Russian on the same screen, never a 500.
"""

from __future__ import annotations

from flask import Response, current_app, render_template, request

from ..admin.guard import requires
from ..clock import today
from ..urls import content_disposition
from .admin import OFFICE, blueprint
from .report import FORMATS, ReportError, parse_day, report_file


def _screen(day: str, message: str = "", status: int = 200):
    return render_template("mentoring/municipal/admin/report.html", day=day,
                           message=message), status


@blueprint.get("/otchet")
@requires(*OFFICE)
def report():
    cfg = current_app.config
    default = today(cfg["MUNICIPAL_TIMEZONE"]).isoformat()
    if "na" not in request.args:
        return _screen(default)
    raw, fmt = request.args.get("na", ""), request.args.get("format", "xlsx")
    try:
        if fmt not in FORMATS:
            raise ReportError("Выберите формат файла: XLSX или DOCX.")
        day = parse_day(raw)
        sess = current_app.extensions["municipal"].session()
        made = report_file(sess, day, fmt, timezone=cfg["MUNICIPAL_TIMEZONE"],
                           office=cfg["MUNICIPAL_OFFICE_NAME"])
    except ReportError as exc:
        return _screen(raw[:20], str(exc), 400)
    response = Response(made.data, content_type=made.content_type)
    response.headers["Content-Disposition"] = content_disposition(made.filename, made.fallback)
    return response
