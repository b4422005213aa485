"""«Отчёты»: the curator picks a school year and downloads its analytical report (XLSX or
DOCX), or downloads a programme's справка-отчёт, or an order or protocol («Приказы и
протоколы», some from chosen programmes). The documents are made in ``reports``; this
module only chooses one and hands it over under a Russian file name."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request

from ..clock import Clock
from ..db import session
from ..models import Program
from ..reports import ReportError
from ..reports.figures import SchoolYear, report_programs, school_years
from ..reports.files import FORMATS, ReportFile, order_report, program_report, year_report
from ..reports.orders import KINDS
from ..urls import content_disposition
from . import blueprint as bp
from .guard import requires


def _clock() -> Clock:
    return Clock.current(current_app.config["MENTORING_TIMEZONE"])


def _download(report: ReportFile) -> Response:
    response = Response(report.data, content_type=report.content_type)
    response.headers["Content-Disposition"] = content_disposition(report.filename,
                                                                  report.fallback)
    response.headers["Cache-Control"] = "no-store"
    return response


def _screen(message: str = "", status: int = 200):
    sess, clock = session(), _clock()
    years = school_years(sess, clock.today)
    try:
        chosen = SchoolYear.parse(request.args["god"]) if request.args.get("god") else None
    except ReportError:
        chosen = None
    if chosen not in years:
        chosen = SchoolYear.of(clock.today)
    programs = report_programs(sess)
    return render_template("mentoring/admin/reports.html", years=years, year=chosen,
                           programs=programs, kinds=KINDS.values(), message=message,
                           finished=[p for p in programs if p.ended_on]), status


@bp.get("/otchety/")
@requires()
def reports():
    return _screen()


@bp.get("/otchety/god/<mentoring_id:first>.<fmt>")
@requires()
def report_year(first: int, fmt: str):
    if fmt not in FORMATS or not 2000 <= first <= 2100:
        abort(404)
    cfg = current_app.config
    return _download(year_report(session(), SchoolYear(first), fmt,
                                 school=cfg["MENTORING_SCHOOL_NAME"],
                                 folder=cfg["MENTORING_REPORT_TEMPLATES"], clock=_clock()))


@bp.get("/otchety/programma/<mentoring_id:program_id>.docx")
@requires()
def report_program(program_id: int):
    sess = session()
    program = sess.get(Program, program_id) or abort(404)
    cfg = current_app.config
    return _download(program_report(sess, program.slug, school=cfg["MENTORING_SCHOOL_NAME"],
                                    folder=cfg["MENTORING_REPORT_TEMPLATES"],
                                    today=_clock().today))


@bp.get("/otchety/prikaz/<kind>.docx")
@requires()
def report_order(kind: str):
    """An order or protocol; bad input (no programme, one not finished) is a message."""
    if kind not in KINDS:
        abort(404)
    sess, cfg = session(), current_app.config
    ids = request.args.getlist("programma")
    programs = [sess.get(Program, int(i)) if i.isascii() and i.isdigit() and len(i) < 10
                else None for i in ids]
    if None in programs:
        return _screen("Выбранная программа не найдена: обновите страницу и выберите снова.",
                       400)
    try:
        return _download(order_report(sess, kind, [p for p in programs if p],
                                      school=cfg["MENTORING_SCHOOL_NAME"],
                                      folder=cfg["MENTORING_REPORT_TEMPLATES"],
                                      today=_clock().today))
    except ReportError as exc:
        return _screen(exc.message, 400)
