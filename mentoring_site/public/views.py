"""Public views: parse the request, ask ``queries``, render. No rules live here."""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template, request, send_file

from .. import queries, storage, theming
from ..db import session
from ..models import MediaKind, NewsKind, ProgramStatus, Role
from . import blueprint as bp

NEWS_KINDS = {"novosti": NewsKind.NEWS, "anonsy": NewsKind.ANNOUNCEMENT}
PROGRAM_FILTERS = {
    "realizuyutsya": ProgramStatus.ACTIVE,
    "planiruyutsya": ProgramStatus.PLANNED,
    "zaversheny": ProgramStatus.COMPLETED,
}


def _clock() -> queries.Clock:
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(current_app.config["MENTORING_TIMEZONE"])).date()
    return queries.Clock(now=now.replace(tzinfo=None), today=today)


def _now_local() -> datetime:
    tz = ZoneInfo(current_app.config["MENTORING_TIMEZONE"])
    return datetime.now(tz).replace(tzinfo=None)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        abort(404)
    return int(raw)


def _per_page() -> int:
    return current_app.config["MENTORING_PER_PAGE"]


def _list_or_404(paged: queries.Paged) -> queries.Paged:
    if paged.page > 1 and paged.page > paged.pages:
        abort(404)
    return paged


def _one(fetch, *args):
    try:
        return fetch(session(), _clock(), *args)
    except queries.NotFound:
        abort(404)


@bp.get("/")
def index():
    sess, clock = session(), _clock()
    return render_template(
        "mentoring/index.html",
        info=queries.section_info(sess),
        figures=queries.figures(sess, clock),
        news=queries.latest_news(sess, clock),
        announcements=queries.upcoming_announcements(sess, clock, _now_local()),
        cases=queries.cases(sess, clock, 1, 3).items,
    )


@bp.get("/normativnaya-baza/")
def documents():
    paged = queries.documents(session(), _clock(), _page_number(), _per_page())
    return render_template("mentoring/documents.html", paged=_list_or_404(paged), repealed=False)


@bp.get("/normativnaya-baza/utratili-silu/")
def documents_repealed():
    paged = queries.documents(
        session(), _clock(), _page_number(), _per_page(), in_force=False
    )
    return render_template("mentoring/documents.html", paged=_list_or_404(paged), repealed=True)


@bp.get("/metodicheskie-materialy/")
def materials():
    paged = queries.materials(session(), _clock(), _page_number(), _per_page())
    return render_template("mentoring/materials.html", paged=_list_or_404(paged))


@bp.get("/programmy/")
def programs():
    key = request.args.get("status", "")
    if key and key not in PROGRAM_FILTERS:
        abort(404)
    paged = queries.programs(
        session(), _clock(), _page_number(), _per_page(), status=PROGRAM_FILTERS.get(key)
    )
    return render_template(
        "mentoring/programs.html", paged=_list_or_404(paged), status_key=key,
        filters=PROGRAM_FILTERS,
    )


@bp.get("/programmy/<slug>/")
def program(slug: str):
    return render_template("mentoring/program.html", view=_one(queries.program_page, slug))


def _bank(role: Role, template_title: str):
    paged = queries.people_in_bank(session(), _clock(), role, _page_number(), _per_page())
    return render_template(
        "mentoring/people.html", paged=_list_or_404(paged), role=role, title=template_title
    )


@bp.get("/nastavniki/")
def mentors():
    return _bank(Role.MENTOR, "База наставников")


@bp.get("/nastavlyaemye/")
def mentees():
    return _bank(Role.MENTEE, "База наставляемых")


@bp.get("/lyudi/<slug>/")
def person(slug: str):
    return render_template("mentoring/person.html", view=_one(queries.person_page, slug))


@bp.get("/luchshie-praktiki/")
def cases():
    paged = queries.cases(session(), _clock(), _page_number(), _per_page())
    return render_template("mentoring/cases.html", paged=_list_or_404(paged))


@bp.get("/luchshie-praktiki/<slug>/")
def case(slug: str):
    return render_template("mentoring/case.html", view=_one(queries.case_page, slug))


@bp.get("/nashi-nastavniki/")
def honors():
    paged = queries.honors(session(), _clock(), _page_number(), _per_page())
    return render_template("mentoring/honors.html", paged=_list_or_404(paged))


@bp.get("/novosti/")
def news():
    key = request.args.get("vid", "")
    if key and key not in NEWS_KINDS:
        abort(404)
    paged = queries.news(
        session(), _clock(), _page_number(), _per_page(), now_local=_now_local(),
        kind=NEWS_KINDS.get(key),
    )
    return render_template("mentoring/news.html", paged=_list_or_404(paged), kind_key=key)


@bp.get("/novosti/<slug>/")
def news_item(slug: str):
    return render_template("mentoring/news_item.html", item=_one(queries.news_item, slug))


@bp.get("/media/<name>")
def media(name: str):
    item = _one(queries.public_media, name)
    state = current_app.extensions["mentoring"]
    try:
        path = storage.path_for(state.upload_folder, name)
    except storage.StorageError:
        abort(404)
    if not path.is_file():
        abort(404)
    if name == item.thumb_name:
        return send_file(path, mimetype=mimetypes.guess_type(name)[0], max_age=3600)
    return send_file(
        path,
        mimetype=item.content_type,
        as_attachment=item.kind is MediaKind.DOCUMENT,
        download_name=item.original_name,
        max_age=3600,
    )


@bp.get("/static/<path:filename>")
def static(filename: str):
    return theming.send_static(filename)


@bp.get("/<slug>/")
def page(slug: str):
    return render_template("mentoring/page.html", item=_one(queries.page, slug))


@bp.errorhandler(404)
def _not_found(_error):
    """Our own 404 page inside the section; the host's handler stays the host's."""
    return render_template("mentoring/404.html"), 404


@bp.context_processor
def _section_context():
    cfg = current_app.config
    return {
        "mentoring_layout": cfg["MENTORING_BASE_TEMPLATE"] or "mentoring/theme_base.html",
        "mentoring_school": cfg["MENTORING_SCHOOL_NAME"],
        "mentoring_menu_pages": queries.menu_pages(session(), _clock()),
    }
