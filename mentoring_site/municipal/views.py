"""The registry's pages and CSV files: thin views over ``queries``; endpoints ``municipal.*``.

Server-rendered, no JavaScript; every table is also a CSV download. All text shown came
from schools' sites, so it goes through Jinja's autoescaping only (never ``|safe``), and
the pages carry the same strict security headers as the section's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request

from ..clock import now_utc
from . import queries
from .aggregate import LABELS
from .csv_export import csv_response, day_stamp
from .schools import School

PACKAGE = Path(__file__).resolve().parent.parent
LAYOUT = "mentoring/municipal/base.html"

blueprint = Blueprint(
    "municipal", __name__,
    template_folder=str(PACKAGE / "templates"),
    static_folder=str(PACKAGE / "static" / "mentoring"),
    static_url_path="/static",
)


def _local(value: datetime) -> datetime:
    tz = ZoneInfo(current_app.config["MUNICIPAL_TIMEZONE"])
    return value.replace(tzinfo=UTC).astimezone(tz)


def ru_datetime(value: datetime | None) -> str:
    """«23 ноября 2026 г., 19:48» for a stored naive-UTC moment, in the office's zone."""
    if value is None:
        return ""
    local = _local(value)
    return (f"{format_date(local.date(), format='long', locale='ru_RU')}, "
            f"{format_time(local, format='HH:mm', locale='ru_RU')}")


def ru_date(value: datetime | None) -> str:
    return format_date(_local(value).date(), format="long", locale="ru_RU") if value else ""


def csv_moment(value: datetime | None) -> str:
    """ДД.ММ.ГГГГ ЧЧ:ММ, which Excel with Russian settings reads as a date."""
    return _local(value).strftime("%d.%m.%Y %H:%M") if value else ""


def init_templating(app: Flask) -> None:
    """Filters with a ``municipal_`` prefix (the Jinja environment may be a host's)."""
    app.jinja_env.filters["municipal_datetime"] = ru_datetime
    app.jinja_env.filters["municipal_date"] = ru_date


@blueprint.context_processor
def _context() -> dict:
    cfg = current_app.config
    return {
        "municipal_layout": cfg["MUNICIPAL_BASE_TEMPLATE"] or LAYOUT,
        "municipal_title": cfg["MUNICIPAL_TITLE"],
        "municipal_office": cfg["MUNICIPAL_OFFICE_NAME"],
        "status_labels": LABELS,
    }


def add_security_headers(response: Response) -> Response:
    cfg = current_app.config
    if cfg["MUNICIPAL_CONTENT_SECURITY_POLICY"]:
        response.headers.setdefault("Content-Security-Policy",
                                    cfg["MUNICIPAL_CONTENT_SECURITY_POLICY"])
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", cfg["MUNICIPAL_REFERRER_POLICY"])
    return response


blueprint.after_request(add_security_headers)


def not_found(_error=None) -> Response:
    """The standalone site's 404, in the registry's layout."""
    html = render_template("mentoring/municipal/404.html", municipal_layout=LAYOUT,
                           municipal_title=current_app.config["MUNICIPAL_TITLE"],
                           municipal_office=current_app.config["MUNICIPAL_OFFICE_NAME"])
    return add_security_headers(Response(html, status=404, mimetype="text/html"))


def _state():
    return current_app.extensions["municipal"]


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 100_000:
        abort(404)
    return int(raw)


def _school_arg() -> School | None:
    key = request.args.get("shkola")
    if not key:
        return None
    for school in _state().schools:
        if school.key == key:
            return school
    abort(404)


def _listing(query, template: str):
    state = _state()
    only = _school_arg()
    paged = query(state.session(), state.schools, page=_page_arg(),
                  per_page=current_app.config["MUNICIPAL_PER_PAGE"], only=only)
    if paged.page > paged.pages:
        abort(404)
    return render_template(template, paged=paged, only=only, schools=state.schools,
                           by_key={s.key: s for s in state.schools})


@blueprint.get("/")
def schools():
    state = _state()
    sess = state.session()
    lines = queries.school_lines(sess, state.schools)
    fields = ("mentors", "mentees", "active_programs", "completed_programs")
    totals = {f: sum(getattr(x.row, f) or 0 for x in lines if x.row) for f in fields}
    return render_template("mentoring/municipal/schools.html", lines=lines, totals=totals,
                           last_aggregate=queries.last_aggregate(sess, state.schools))


@blueprint.get("/nastavniki/")
def mentors():
    return _listing(queries.mentors, "mentoring/municipal/mentors.html")


@blueprint.get("/luchshie-praktiki/")
def cases():
    return _listing(queries.cases, "mentoring/municipal/cases.html")


def _csv_name(title: str, ascii_title: str, only: School | None) -> tuple[str, str]:
    day = day_stamp(_local(now_utc()))
    if only is not None:
        return f"{title} — {only.name} — {day}.csv", f"{ascii_title}-{only.key}-{day}.csv"
    return f"{title} — {day}.csv", f"{ascii_title}-{day}.csv"


@blueprint.get("/shkoly.csv")
def schools_csv():
    state = _state()
    lines = queries.school_lines(state.session(), state.schools)
    header = ["Школа", "Раздел «Наставничество»", "Наставников", "Наставляемых",
              "Программ реализуется", "Программ завершено", "Раздел обновлён",
              "Данные прочитаны", "Состояние", "Пояснение"]
    rows = []
    for x in lines:
        r = x.row
        rows.append([
            x.school.name, x.school.url,
            r.mentors if r else None, r.mentees if r else None,
            r.active_programs if r else None, r.completed_programs if r else None,
            csv_moment(x.section_updated), csv_moment(r.read_at if r else None),
            LABELS.get(r.status, "") if r and r.status else "ещё не прочитана",
            r.message if r else None,
        ])
    name, fallback = _csv_name("Школы — наставничество", "shkoly", None)
    return csv_response(name, fallback, header, rows)


@blueprint.get("/nastavniki.csv")
def mentors_csv():
    state, only = _state(), _school_arg()
    paged = queries.mentors(state.session(), state.schools, only=only)
    by_key = {s.key: s for s in state.schools}
    header = ["Школа", "ФИО", "Обучающийся", "Должность", "Предметы",
              "Квалификационная категория", "Стаж, лет", "Страница наставника",
              "Раздел школы"]
    rows = [
        [by_key[key].name, m.name, m.is_student, m.position, m.subjects, m.qualification,
         m.experience_years, m.url, by_key[key].url]
        for m, key in paged.items
    ]
    name, fallback = _csv_name("Реестр наставников", "nastavniki", only)
    return csv_response(name, fallback, header, rows)


@blueprint.get("/luchshie-praktiki.csv")
def cases_csv():
    state, only = _state(), _school_arg()
    paged = queries.cases(state.session(), state.schools, only=only)
    by_key = {s.key: s for s in state.schools}
    header = ["Школа", "Кейс", "Программа", "Опубликован", "Кратко", "Страница кейса",
              "Страница программы"]
    rows = [
        [by_key[key].name, c.title, c.program_title, csv_moment(c.published_at), c.summary,
         c.url, c.program_url]
        for c, key in paged.items
    ]
    name, fallback = _csv_name("Лучшие практики наставничества", "luchshie-praktiki", only)
    return csv_response(name, fallback, header, rows)
