"""Public views: parse the request, ask ``queries``, render. No rules live here."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from .. import cache, clock, office, queries, readiness, rules, theming
from ..db import session
from ..media import storage
from ..models import NewsKind, ProgramStatus, Role
from ..queries.mentor_school import INTRO_SLUG
from ..queries.pages import MenuLink
from ..queries.programs import DirectionChoice
from ..urls import section_url, small_int
from . import blueprint as bp
from . import meta

NEWS_KINDS = {"novosti": NewsKind.NEWS, "anonsy": NewsKind.ANNOUNCEMENT}
NEWS_TITLES = {"novosti": "Новости", "anonsy": "Анонсы"}
PROGRAM_FILTERS = {
    "realizuyutsya": ProgramStatus.ACTIVE,
    "planiruyutsya": ProgramStatus.PLANNED,
    "zaversheny": ProgramStatus.COMPLETED,
}


def _clock() -> queries.Clock:
    return queries.Clock.current(current_app.config["MENTORING_TIMEZONE"])


def _now_local() -> datetime:
    return clock.now_local()


def _page_number() -> int:
    raw = request.args.get("page", "1")
    number = small_int(raw, lo=1, hi=99_999)
    if number is None:
        abort(404)
    return number


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


def _detail(fetch, kind: str, slug: str, endpoint: str | None = None):
    """An object's page; an old slug of a public object answers 301 to its current one."""
    sess, clock = session(), _clock()
    try:
        return fetch(sess, clock, slug)
    except queries.NotFound:
        moved = queries.moved_slug(sess, clock, kind, slug)
        if moved is None:
            abort(404)
        endpoint = endpoint or request.endpoint or "mentoring.index"
        abort(redirect(url_for(endpoint, slug=moved), 301))


@bp.get("/")
def index():
    sess, clock = session(), _clock()
    info = queries.section_info(sess)
    return render_template(
        "mentoring/index.html",
        info=info,
        figures=cache.memo("queries.figures", lambda: queries.figures(sess, clock)),
        news=queries.latest_news(sess, clock),
        announcements=queries.upcoming_announcements(sess, clock, _now_local()),
        cases=queries.cases(sess, clock, 1, 3, memo=cache.memo).items,
        meta=meta.for_page(
            f"Наставничество — {current_app.config['MENTORING_SCHOOL_NAME']}",
            (info.intro if info else None)
            or "Система наставничества педагогических работников: документы, программы, "
            "наставники, лучшие практики, новости.",
        ),
    )


@bp.get("/normativnaya-baza/")
def documents():
    return _document_base(repealed=False, title="Нормативная база", description=(
        "Федеральные, региональные, муниципальные и локальные акты о наставничестве "
        "педагогических работников."))


@bp.get("/normativnaya-baza/utratili-silu/")
def documents_repealed():
    return _document_base(repealed=True, title="Документы, утратившие силу", description=(
        "Акты о наставничестве, которые больше не действуют, сохранённые для справки."))


def _document_base(*, repealed: bool, title: str, description: str):
    """Both pages of the base: every level on one page (``queries.document_base``)."""
    base = queries.document_base(session(), _clock(), _page_number(), in_force=not repealed)
    _list_or_404(base.paged)
    return render_template("mentoring/documents.html", base=base, paged=base.paged,
                           repealed=repealed, meta=meta.for_list(title, description))


@bp.get("/metodicheskie-materialy/")
def materials():
    paged = queries.materials(session(), _clock(), _page_number(), _per_page())
    return render_template(
        "mentoring/materials.html", paged=_list_or_404(paged),
        meta=meta.for_list("Методические материалы", "Методические рекомендации, макеты "
                           "документов и другие материалы по наставничеству."),
    )


@bp.get("/programmy/")
def programs():
    key = request.args.get("status", "")
    if key and key not in PROGRAM_FILTERS:
        abort(404)
    directions = cache.memo("queries.program_directions",
                            lambda: queries.program_directions(session()))
    chosen = _chosen_direction(directions)
    paged = queries.programs(
        session(), _clock(), _page_number(), _per_page(), status=PROGRAM_FILTERS.get(key),
        direction=chosen.id if chosen else None, memo=cache.memo,
    )
    entries = [(c.program.title, section_url("mentoring.program", slug=c.program.slug))
               for c in paged.items]
    unfiltered = not key and chosen is None and paged.page == 1
    office_programs = office.school_programs(current_app.config) if unfiltered else None
    if office.address(current_app.config) and unfiltered:
        cache.keep_at_most(office.KEEP_FAILED_SECONDS)  # the office's answer is not ours
    return render_template(
        "mentoring/programs.html", paged=_list_or_404(paged), status_key=key,
        filters=PROGRAM_FILTERS, directions=directions, chosen=chosen,
        office_programs=office_programs,
        meta=meta.for_list("Программы наставничества", "Реализуемые персонализированные "
                           "программы наставничества: формы, сроки, участники.", entries),
    )


def _chosen_direction(offered: list[DirectionChoice]) -> DirectionChoice | None:
    """``?napravlenie=<id>`` of a direction the list offers; empty is «all directions»,
    anything else (letters, «²», a huge number, a hidden programme's direction) a 404."""
    raw = request.args.get("napravlenie", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        abort(404)
    found = next((d for d in offered if d.id == int(raw)), None)
    if found is None:
        abort(404)
    return found


@bp.get("/programmy/<slug>/")
def program(slug: str):
    view = _detail(partial(queries.program_page, page=_page_number()), "program", slug)
    _list_or_404(view.participants)
    return render_template("mentoring/program.html", view=view, meta=meta.for_program(view))


def _bank(role: Role, template_title: str):
    paged = queries.people_in_bank(session(), _clock(), role, _page_number(), _per_page(),
                                   memo=cache.memo)
    entries = [(p.name, section_url("mentoring.person", slug=p.slug))
               for p in paged.items if p.has_page]
    description = (
        "Сведения о тех, кто дал согласие на распространение своих персональных данных."
    )
    return render_template(
        "mentoring/people.html", paged=_list_or_404(paged), role=role, title=template_title,
        meta=meta.for_list(template_title, description, entries),
    )


@bp.get("/nastavniki/")
def mentors():
    return _bank(Role.MENTOR, "База наставников")


@bp.get("/nastavlyaemye/")
def mentees():
    return _bank(Role.MENTEE, "База наставляемых")


@bp.get("/lyudi/<slug>/")
def person(slug: str):
    view = _detail(queries.person_page, "person", slug)
    return render_template("mentoring/person.html", view=view, meta=meta.for_person(view))


@bp.get("/luchshie-praktiki/")
def cases():
    paged = queries.cases(session(), _clock(), _page_number(), _per_page(), memo=cache.memo)
    entries = [(c.title, section_url("mentoring.case", slug=c.slug)) for c in paged.items]
    return render_template(
        "mentoring/cases.html", paged=_list_or_404(paged),
        meta=meta.for_list("Лучшие практики", "Кейсы наставничества, опубликованные после "
                           "завершения программ.", entries),
    )


@bp.get("/luchshie-praktiki/<slug>/")
def case(slug: str):
    view = _detail(queries.case_page, "case", slug)
    return render_template("mentoring/case.html", view=view, meta=meta.for_case(view))


@bp.get("/nashi-nastavniki/")
def honors():
    paged = queries.honors(session(), _clock(), _page_number(), _per_page())
    return render_template(
        "mentoring/honors.html", paged=_list_or_404(paged),
        meta=meta.for_list("Наши наставники", "Лучшие наставники и лучшие пары "
                           "«наставник — наставляемый»."),
    )


@bp.get("/novosti/")
def news():
    key = request.args.get("vid", "")
    if key and key not in NEWS_KINDS:
        abort(404)
    paged = queries.news(
        session(), _clock(), _page_number(), _per_page(), now_local=_now_local(),
        kind=NEWS_KINDS.get(key), memo=cache.memo,
    )
    entries = [(n.title, section_url("mentoring.news_item", slug=n.slug)) for n in paged.items]
    return render_template(
        "mentoring/news.html", paged=_list_or_404(paged), kind_key=key,
        event_past=partial(rules.event_past, now_local=_now_local()),
        meta=meta.for_list(NEWS_TITLES.get(key, "Новости и анонсы"),
                           "Новости наставничества и анонсы мероприятий.", entries),
    )


@bp.get("/novosti/<slug>/")
def news_item(slug: str):
    from .events import no_store_if_form, registration_context  # it imports this module

    item = _detail(queries.news_item, "news", slug)
    context = registration_context(item)
    response = current_app.make_response(render_template(
        "mentoring/news_item.html", item=item, meta=meta.for_news(item), **context))
    return no_store_if_form(response, context["registration"])


@bp.get("/media/<name>")
def media(name: str):
    item = _one(queries.public_media, name)
    return storage.send_media(current_app.extensions["mentoring"].upload_folder, item, name)


@bp.get("/static/<path:filename>")
def static(filename: str):
    return theming.send_static(filename)


@bp.get("/<slug>/")
def page(slug: str):
    item = _detail(queries.page, "page", slug, "mentoring.page")
    return render_template(
        "mentoring/page.html", item=item, meta=meta.for_page(item.title, item.body)
    )


@bp.errorhandler(404)
def _not_found(_error):
    """Our own 404 page inside the section; the host's handler stays the host's."""
    return render_template("mentoring/404.html"), 404


def _menu_pages() -> list[MenuLink]:
    """Every page's menu: read once per data version, not once per page."""
    but = INTRO_SLUG if current_app.config["MENTORING_MENTOR_SCHOOL"] else None
    return cache.memo(f"queries.menu_pages:{but}",
                      lambda: queries.menu_pages(session(), _clock(), but=but))


def _nav() -> Markup:
    """The menu as HTML, rendered once per data version for each page kind (about a fifth of
    a list page's cost when it was rendered with every request). Only what it shows goes
    into the key: the page's endpoint, an own page's slug when that page is in the menu,
    and the mount point; so the memo stays as small as the set of pages."""
    pages = _menu_pages()
    endpoint = request.endpoint or ""
    slug = (request.view_args or {}).get("slug") if endpoint == "mentoring.page" else None
    if slug is not None and not any(p.slug == slug for p in pages):
        slug = None
    return cache.memo(
        f"nav:{request.script_root}:{endpoint}:{slug}",
        lambda: Markup(render_template(
            "mentoring/_nav.html", endpoint=endpoint, current_slug=slug, menu_pages=pages,
            mentor_school=current_app.config["MENTORING_MENTOR_SCHOOL"])),
    )


@bp.context_processor
def _section_context():
    cfg = current_app.config
    readiness.check_base_template(cfg["MENTORING_BASE_TEMPLATE"])
    return {
        "mentoring_layout": cfg["MENTORING_BASE_TEMPLATE"] or "mentoring/theme_base.html",
        "mentoring_school": cfg["MENTORING_SCHOOL_NAME"],
        "mentoring_menu_pages": _menu_pages(),
        "mentoring_mentor_school": cfg["MENTORING_MENTOR_SCHOOL"],
        "mentoring_nav": _nav,
    }
