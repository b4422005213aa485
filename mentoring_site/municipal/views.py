"""The registry's pages and CSV files: thin views over ``queries``; endpoints ``municipal.*``.

Server-rendered, no JavaScript; every table is also a CSV download. All text shown came
from schools' sites, so it goes through Jinja's autoescaping only (never ``|safe``), and
the pages carry the same strict security headers as the section's.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request

from ..clock import now_utc
from ..models.registry import RegistrySchool
from ..templating import RU, long_date
from . import queries
from .aggregate import EMPTY, LABELS, NEVER_READ
from .csv_export import csv_response, day_stamp

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
    return value.replace(tzinfo=timezone.utc).astimezone(tz)


def ru_datetime(value: datetime | None) -> str:
    """«23 ноября 2026 г., 19:48» for a stored naive-UTC moment, in the office's zone."""
    if value is None:
        return ""
    local = _local(value)
    return (f"{long_date(local.date())}, "
            f"{format_time(local, format='HH:mm', locale=RU)}")


def ru_date(value: datetime | None) -> str:
    return long_date(_local(value).date()) if value else ""


def csv_moment(value: datetime | None) -> str:
    """ДД.ММ.ГГГГ ЧЧ:ММ, which Excel with Russian settings reads as a date."""
    return _local(value).strftime("%d.%m.%Y %H:%M") if value else ""


def init_templating(app: Flask) -> None:
    """Filters with a ``municipal_`` prefix (the Jinja environment may be a host's)."""
    app.jinja_env.filters["municipal_datetime"] = ru_datetime
    app.jinja_env.filters["municipal_date"] = ru_date
    app.jinja_env.filters["municipal_day"] = ru_day


def ru_day(value: date) -> str:
    return long_date(value)


@blueprint.context_processor
def _context() -> dict:
    cfg = current_app.config
    return {
        "municipal_layout": cfg["MUNICIPAL_BASE_TEMPLATE"] or LAYOUT,
        "municipal_title": cfg["MUNICIPAL_TITLE"],
        "municipal_office": cfg["MUNICIPAL_OFFICE_NAME"],
        # the office's «Школа наставничества» is a page of its section (public/mentor_school.py)
        "municipal_mentor_school": cfg["MENTORING_MENTOR_SCHOOL"],
        "status_labels": LABELS,
        "state_label": state_label,
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
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 1 <= int(raw) <= 100_000:
        abort(404)
    return int(raw)


def _at_arg() -> tuple[date | None, datetime | None]:
    """``?na=ГГГГ-ММ-ДД``: the day asked for, and its end in the office's zone as naive UTC."""
    raw = request.args.get("na", "")
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        day = None
    if day is None or day.year < 2000:
        abort(404)
    tz = ZoneInfo(current_app.config["MUNICIPAL_TIMEZONE"])
    end = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(timezone.utc)
    return day, end.replace(tzinfo=None)


def _school_arg(at: datetime | None) -> RegistrySchool | None:
    key = request.args.get("shkola")
    if not key:
        return None
    for school in queries.listed_schools(_state().session(), at):
        if school.key == key:
            return school
    abort(404)


def _query_args(day: date | None, only: RegistrySchool | None) -> dict[str, str]:
    """The filters a link keeps (pages, CSV)."""
    args = {}
    if only is not None:
        args["shkola"] = only.key
    if day is not None:
        args["na"] = day.isoformat()
    return args


def _listing(query, template: str):
    sess = _state().session()
    day, at = _at_arg()
    only = _school_arg(at)
    paged = query(sess, page=_page_arg(), per_page=current_app.config["MUNICIPAL_PER_PAGE"],
                  only=only, at=at)
    if paged.page > paged.pages:
        abort(404)
    return render_template(template, paged=paged, only=only, day=day,
                           schools=queries.listed_schools(sess, at),
                           query_args=_query_args(day, only))


@blueprint.get("/")
def schools():
    sess = _state().session()
    day, at = _at_arg()
    lines = queries.school_lines(sess, at)
    return render_template("mentoring/municipal/schools.html", lines=lines, day=day,
                           totals=queries.totals(lines), figures=queries.FIGURES,
                           query_args=_query_args(day, None),
                           last_aggregate=queries.last_aggregate(sess))


@blueprint.get("/kuratory/")
def curators():
    sess = _state().session()
    day, at = _at_arg()
    return render_template("mentoring/municipal/curators.html", day=day,
                           lines=queries.school_lines(sess, at),
                           query_args=_query_args(day, None))


@blueprint.get("/nastavniki/")
def mentors():
    return _listing(queries.mentors, "mentoring/municipal/mentors.html")


@blueprint.get("/luchshie-praktiki/")
def cases():
    return _listing(queries.cases, "mentoring/municipal/cases.html")


def _csv_name(title: str, ascii_title: str, only: RegistrySchool | None,
              day: date | None) -> tuple[str, str]:
    stamp = (day.isoformat() if day else day_stamp(_local(now_utc())))
    if only is not None:
        return f"{title} — {only.name} — {stamp}.csv", f"{ascii_title}-{only.key}-{stamp}.csv"
    return f"{title} — {stamp}.csv", f"{ascii_title}-{stamp}.csv"


def state_label(line: queries.SchoolLine) -> str:
    """The school's state in words: the last attempt, or what the snapshot says."""
    if line.snapshot is None and not line.school.status:
        return NEVER_READ
    if line.snapshot is not None and line.snapshot.empty:
        return LABELS[EMPTY]
    return LABELS.get(line.school.status or "", NEVER_READ)


@blueprint.get("/shkoly.csv")
def schools_csv():
    sess = _state().session()
    day, at = _at_arg()
    lines = queries.school_lines(sess, at)
    header = ["Школа", "Раздел «Наставничество»", *(label for _n, label in queries.FIGURES),
              "Раздел обновлён", "Данные прочитаны", "Состояние", "Пояснение"]
    rows = []
    for x in lines:
        snap = x.snapshot
        figures = [getattr(snap, name) if snap else None for name, _label in queries.FIGURES]
        rows.append([
            x.school.name, x.school.url, *figures,
            csv_moment(snap.section_updated) if snap else None,
            csv_moment(snap.confirmed_at) if snap else None,
            state_label(x), None if day else x.school.message,
        ])
    name, fallback = _csv_name("Школы — наставничество", "shkoly", None, day)
    return csv_response(name, fallback, header, rows)


@blueprint.get("/kuratory.csv")
def curators_csv():
    sess = _state().session()
    day, at = _at_arg()
    header = ["Школа", "Куратор", "Должность", "Телефон", "Электронная почта",
              "Раздел «Наставничество»"]
    rows = [
        [x.school.name, *((x.snapshot.curator_name, x.snapshot.curator_position,
                           x.snapshot.curator_phone, x.snapshot.curator_email)
                          if x.snapshot else (None,) * 4), x.school.url]
        for x in queries.school_lines(sess, at)
    ]
    name, fallback = _csv_name("Кураторы наставничества", "kuratory", None, day)
    return csv_response(name, fallback, header, rows)


@blueprint.get("/nastavniki.csv")
def mentors_csv():
    sess = _state().session()
    day, at = _at_arg()
    only = _school_arg(at)
    paged = queries.mentors(sess, only=only, at=at)
    header = ["Школа", "ФИО", "Обучающийся", "Должность", "Предметы",
              "Квалификационная категория", "Стаж, лет", "Страница наставника",
              "Раздел школы"]
    rows = [
        [school.name, m.name, m.is_student, m.position, m.subjects, m.qualification,
         m.experience_years, m.url, school.url]
        for m, school in paged.items
    ]
    name, fallback = _csv_name("Реестр наставников", "nastavniki", only, day)
    return csv_response(name, fallback, header, rows)


@blueprint.get("/luchshie-praktiki.csv")
def cases_csv():
    sess = _state().session()
    day, at = _at_arg()
    only = _school_arg(at)
    paged = queries.cases(sess, only=only, at=at)
    header = ["Школа", "Кейс", "Программа", "Опубликован", "Кратко", "Страница кейса",
              "Страница программы"]
    rows = [
        [school.name, c.title, c.program_title, csv_moment(c.published_at), c.summary,
         c.url, c.program_url]
        for c, school in paged.items
    ]
    name, fallback = _csv_name("Лучшие практики наставничества", "luchshie-praktiki", only,
                               day)
    return csv_response(name, fallback, header, rows)
