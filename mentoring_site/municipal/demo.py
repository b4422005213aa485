"""The office's demo: ``python -m mentoring_site municipal`` with no schools file.

One process serves the office's site at the root and four demo school sites beside it
(``/demo-shkola-1/`` …, each ``mentoring_site.demo`` on its own instance folder under the
office's), one of them empty (the section installed, nothing published). The office's
list holds them; once the server listens, the registry reads them over real HTTP, as it
reads any school. The office's own section gets a few municipal acts, a seminar
announcement and its «Школа наставничества» (two seminars for mentors, one taking
registrations, and two materials), and a demo account of the municipal curator is printed.

This module is wiring (it imports ``demo`` and the section's models to seed the office's
section): nothing of the registry imports it. Further demo data of the office (the League,
management mentoring) joins ``SEEDERS``: each runs once, at the demo's first start.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from slugify import slugify
from sqlalchemy.orm import Session
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, make_server

from .. import demo as school_demo
from .. import models as m
from ..clock import today as clock_today
from ..config import user_data_folder
from ..db import begin_write
from ..media.storage import store_document
from ..migrate import upgrade
from ..models.registry import RegistrySchool
from ..queries.mentor_school import INTRO_SLUG
from .demo_office import seed_league, seed_management
from .roster import import_schools
from .schools import School
from .site import create_app, prepare

#: A file in the instance folder: this folder holds the office's demo.
MARKER = "office_demo"
OFFICE_LOGIN = "upravlenie"
PASSWORD_FILE = "demo_office_password"


@dataclass(frozen=True)
class DemoSchoolSpec:
    key: str  # also the path it is mounted at
    name: str
    empty: bool = False


SCHOOLS = (
    DemoSchoolSpec("demo-shkola-1", "МБОУ «Средняя общеобразовательная школа № 1»"),
    DemoSchoolSpec("demo-shkola-2", "МАОУ «Гимназия № 2»"),
    DemoSchoolSpec("demo-shkola-3", "МБОУ «Лицей № 3»"),
    DemoSchoolSpec("demo-shkola-4", "МБОУ «Основная общеобразовательная школа № 4»",
                   empty=True),
)


@dataclass
class DemoSchool:
    spec: DemoSchoolSpec
    app: Flask
    url: str  # its section's address, as the office lists it


@dataclass
class OfficeDemo:
    """The office's app, the demo schools, and the one WSGI app serving them all."""

    app: Flask
    schools: list[DemoSchool]
    site: str
    first_start: bool
    wsgi: Any = field(repr=False, default=None)


#: Demo data of the office, each run once at the first start inside an app context with a
#: write transaction begun: ``seed(demo, session, today)`` adds and flushes, the caller
#: commits. The League and management mentoring add theirs here.
Seeder = Callable[[OfficeDemo, Session, date], None]
SEEDERS: list[Seeder] = []


def wants_demo(instance: str | None, database: str | None) -> bool:
    """No schools file: the demo, unless the folder already holds an office's registry (or a
    database is named: that is a real office's)."""
    folder = Path(instance or user_data_folder("municipal"))
    if (folder / MARKER).exists():
        return True
    if database or os.environ.get("MENTORING_DATABASE_URI") \
            or os.environ.get("MUNICIPAL_SCHOOLS_FILE"):
        return False
    return not (folder / "municipal.sqlite").exists()


def demo_folder(instance: str | None) -> Path:
    return Path(instance or user_data_folder("municipal-demo"))


# -- the schools -----------------------------------------------------------------------------


def _school_app(spec: DemoSchoolSpec, folder: Path, site: str) -> Flask:
    app = school_demo.create_app(instance_path=str(folder))
    app.config.update(
        MENTORING_SCHOOL_NAME=spec.name,
        MENTORING_SITE_URL=site,  # links add the mount path themselves (SCRIPT_NAME)
        # One host for all the sites: each keeps its own sign-in cookie.
        SESSION_COOKIE_NAME=f"session-{spec.key}",
        SESSION_COOKIE_PATH=f"/{spec.key}/",
    )
    app.context_processor(lambda: {"school_name": spec.name})
    return app


def _make_schools(folder: Path, site: str) -> list[DemoSchool]:
    """The demo school sites, seeded once (one seeded copy for all but the empty one)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[DemoSchool] = []
    template: Path | None = None
    for spec in SCHOOLS:
        path = folder / spec.key
        fresh = not path.exists()
        if fresh and not spec.empty and template is not None:
            shutil.copytree(template, path)
        app = _school_app(spec, path, site)
        if fresh:
            if spec.empty:
                upgrade(app)
                with app.app_context():
                    school_demo.db.create_all()  # the host's own table, empty
            elif template is None:
                school_demo.prepare(app)
                with app.app_context():
                    school_demo.db.engine.dispose()  # the file is copied next
        if not spec.empty and template is None:
            template = path
        made.append(DemoSchool(spec, app, f"{site}/{spec.key}/nastavnichestvo/"))
    return made


def _list_schools(app: Flask, schools: list[DemoSchool], first_start: bool) -> None:
    """The demo schools on the office's list; their addresses follow the port of this start
    (a school the office took off the list stays off)."""
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        begin_write(sess)
        if first_start:
            import_schools(sess, [School(key=s.spec.key, name=s.spec.name, url=s.url,
                                         position=i) for i, s in enumerate(schools)])
        else:
            for s in schools:
                sess.execute(sa.update(RegistrySchool).where(RegistrySchool.key == s.spec.key)
                             .values(url=s.url))
        sess.commit()


# -- the office's own section ------------------------------------------------------------------

OFFICE = "МКУ «Управление образования»"
DOCUMENTS = (
    # kind, title, number, days ago, with a file
    (m.DocKind.ORDER, "Об утверждении дорожной карты внедрения целевой модели наставничества "
     "в образовательных организациях муниципального округа", "112-о", 400, True),
    (m.DocKind.ROADMAP, "Дорожная карта внедрения целевой модели наставничества на "
     "территории муниципального округа", "", 400, True),
    (m.DocKind.ORDER, "О назначении муниципального куратора внедрения целевой модели "
     "наставничества", "118-о", 390, False),
    (m.DocKind.REGULATION, "Положение о Лиге образовательных организаций-менторов "
     "муниципального округа", "", 200, True),
)
NEWS = (
    # kind, title, summary, days (published), event (in days, time, hours, place) or None
    (m.NewsKind.ANNOUNCEMENT, "Квартальный семинар кураторов наставничества",
     "Семинар для школьных кураторов: итоги квартала, мониторинг эффективности программ, "
     "подготовка к годовому отчёту.", -3,
     (14, "15:00", 2, "МКУ «Управление образования», зал заседаний, ул. Советская, 12")),
    (m.NewsKind.NEWS, "Открыт муниципальный реестр наставников",
     "Реестр собирает открытые данные разделов «Наставничество» школ округа: наставники, "
     "лучшие практики и числа каждой школы.", -10, None),
)


def _at(today: date, days: int, hhmm: str = "10:00") -> datetime:
    return datetime.combine(today + timedelta(days=days), time.fromisoformat(hhmm))


#: «Школа наставничества»: its introduction, two events for mentors (the coming one takes
#: registrations), two materials for mentors.
SCHOOL_INTRO = (
    "Школа наставничества — площадка управления образования для наставников школ округа "
    "(дорожная карта, п. 9.1–10.1): семинары и тренинги, обмен опытом, методические "
    "материалы, презентации и записи выступлений. На семинары регистрируйтесь на странице "
    "мероприятия: подтверждение придёт на электронную почту."
)
SCHOOL_EVENTS = (
    # title, summary, in days, time, hours, registration open
    ("Семинар для наставников «Индивидуальный план развития наставляемого»",
     "Как вместе с молодым педагогом составить план на год, выбрать формы работы и "
     "отметить результаты. Практикум в парах, разбор планов из школ округа.",
     21, "14:00", 3, True),
    ("Тренинг «Наставник и молодой педагог: первые шаги»",
     "Первая встреча пары, договорённости, трудные разговоры. Тренинг провели педагоги-"
     "психологи школ — участников Лиги менторов.", -30, "15:00", 2, False),
)
SCHOOL_MATERIALS = (
    # kind, title, description, pages of the PDF
    (m.MaterialKind.RECOMMENDATION, "Методические рекомендации наставнику: индивидуальный "
     "план развития наставляемого", "Этапы составления плана, примеры мероприятий по "
     "направлениям, как отмечать выполнение.",
     ["1. Знакомство и диагностика затруднений.", "2. Цели на год и формы работы.",
      "3. Мероприятия, сроки, отметка о выполнении."]),
    (m.MaterialKind.PRESENTATION, "Презентация тренинга «Наставник и молодой педагог: "
     "первые шаги»", "Слайды тренинга для наставников: первая встреча пары, договорённости, "
     "обратная связь.", ["Слайд 1. Зачем молодому педагогу наставник.",
                         "Слайд 2. Первая встреча: о чём договориться."]),
)
PLACE = "МКУ «Управление образования», зал заседаний, ул. Советская, 12"


def seed_office_content(demo: OfficeDemo, sess: Session, today: date) -> None:
    """A few municipal acts, a seminar announcement and the «Школа наставничества» (its
    introduction, events for mentors and materials) in the office's own section."""
    from ..demo.pictures import pdf_document

    folder = demo.app.extensions["mentoring"].upload_folder
    for i, (kind, title, number, days, with_file) in enumerate(DOCUMENTS):
        issued = today - timedelta(days=days)
        doc = m.Document(
            slug=slugify(f"{kind.label} {number} {title}", max_length=80, word_boundary=True),
            title=title, level=m.DocLevel.MUNICIPAL, kind=kind, number=number,
            issued_on=issued, issuer=OFFICE, sort=i, status=m.Status.PUBLISHED,
            published_at=_at(issued, 1),
        )
        if with_file:
            approved = f"Утверждено приказом от {issued:%d.%m.%Y} № {number or '112-о'}"
            doc.file = store_document(
                sess, folder, pdf_document(title, [OFFICE, approved]),
                original_name=slugify(title, max_length=60, word_boundary=True) + ".pdf",
                content_type="application/pdf")
        sess.add(doc)
    for news_kind, title, summary, days, event in NEWS:
        item = m.NewsItem(slug=slugify(title, max_length=80, word_boundary=True), kind=news_kind,
                          title=title, summary=summary, body=summary,
                          status=m.Status.PUBLISHED, published_at=_at(today, days))
        if event is not None:
            in_days, hhmm, hours, place = event
            item.event_starts_at = _at(today, in_days, hhmm)
            item.event_ends_at = item.event_starts_at + timedelta(hours=hours)
            item.event_place = place
        sess.add(item)
    _seed_mentor_school(sess, folder, today)
    sess.flush()


def _seed_mentor_school(sess: Session, folder: Path, today: date) -> None:
    """The «Школа наставничества»: its introduction page, the events and the materials."""
    from ..demo.pictures import pdf_document

    sess.add(m.Page(slug=INTRO_SLUG, title="Школа наставничества", body=SCHOOL_INTRO,
                    status=m.Status.PUBLISHED, published_at=_at(today, -40)))
    for title, summary, in_days, hhmm, hours, registration in SCHOOL_EVENTS:
        starts = _at(today, in_days, hhmm)
        item = m.NewsItem(
            slug=slugify(title, max_length=80, word_boundary=True),
            kind=m.NewsKind.ANNOUNCEMENT, title=title, summary=summary, body=summary,
            status=m.Status.PUBLISHED, published_at=_at(today, min(in_days, 0) - 14),
            event_starts_at=starts, event_ends_at=starts + timedelta(hours=hours),
            event_place=PLACE)
        sess.add(item)
        if registration:
            sess.add(m.EventRegistration(
                news=item, is_open=True, capacity=40, deadline=_at(today, in_days - 2, "18:00"),
                day_details=f"{PLACE}, 2 этаж. Возьмите с собой план работы с наставляемым."))
    for i, (kind, title, description, lines) in enumerate(SCHOOL_MATERIALS):
        name = slugify(title, max_length=60, word_boundary=True)
        sess.add(m.Material(
            slug=name, kind=kind, title=title, description=description,
            status=m.Status.PUBLISHED, published_at=_at(today, -20 + i),
            file=store_document(sess, folder, pdf_document(title, [OFFICE, *lines]),
                                original_name=name + ".pdf", content_type="application/pdf")))


SEEDERS.append(seed_office_content)
SEEDERS.extend((seed_league, seed_management))


def ensure_office_account(app: Flask) -> tuple[str, str]:
    """The municipal curator's demo account; its passphrase kept in the instance folder."""
    from ..auth.credentials import create_account
    from ..auth.passwords import hash_password
    from ..demo import _passphrase

    path = Path(app.instance_path) / PASSWORD_FILE
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        account = sess.scalar(sa.select(m.Account).where(m.Account.login == OFFICE_LOGIN))
        if account is not None and path.exists():
            return OFFICE_LOGIN, path.read_text(encoding="utf-8").strip()
        password = _passphrase()
        if account is None:
            create_account(sess, login=OFFICE_LOGIN, password=password,
                           display_name="Муниципальный куратор (демо)",
                           role=m.AccountRole.MUNICIPAL_CURATOR)
        else:
            account.password_hash = hash_password(password)
        sess.commit()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password)
    return OFFICE_LOGIN, password


# -- putting it together -------------------------------------------------------------------------


def build(folder: Path, site: str) -> OfficeDemo:
    """The office's demo in ``folder`` for the address ``site`` (seeded at the first start)."""
    folder.mkdir(parents=True, exist_ok=True)
    first_start = not (folder / MARKER).exists()
    app = create_app(instance_path=str(folder), MENTORING_SITE_URL=site)
    prepare(app)
    schools = _make_schools(folder / "demo-shkoly", site)
    _list_schools(app, schools, first_start)
    demo = OfficeDemo(app, schools, site, first_start)
    demo.wsgi = DispatcherMiddleware(app, {f"/{s.spec.key}": s.app for s in schools})
    if first_start:
        with app.app_context():
            sess = app.extensions["mentoring"].session()
            today = clock_today(app.config["MENTORING_TIMEZONE"])
            begin_write(sess)
            try:
                for seed in SEEDERS:
                    seed(demo, sess, today)
                sess.commit()
            except BaseException:
                sess.rollback()
                raise
        (folder / MARKER).write_text("Папка демонстрации сайта управления образования.\n",
                                     encoding="utf-8")
    return demo


class _Later:
    """WSGI: the server is bound first (its port names the schools' addresses), the app is
    set once built."""

    app: Any = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _block(server: BaseWSGIServer, thread: threading.Thread) -> None:
    """Serve until Ctrl+C (tests replace this)."""
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass


def run(args, shown_site: Callable[[str, int], str]) -> int:
    """``python -m mentoring_site municipal`` without ``--schools``: start the demo."""
    later = _Later()
    server = make_server(args.host, args.port, later, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    demo: OfficeDemo | None = None
    try:
        print("Демонстрация сайта управления образования: готовим базы и примеры…",
              flush=True)
        demo = build(demo_folder(args.instance), shown_site(args.host, server.server_port))
        later.app = demo.wsgi
        thread.start()
        with demo.app.app_context():
            state = demo.app.extensions["municipal"]
            print(f"Читаем разделы демонстрационных школ ({len(state.schools)})…", flush=True)
            state.aggregate(lambda report: print("  " + report.line(), flush=True))
        login, password = ensure_office_account(demo.app)
        _print_addresses(demo, login, password)
        _block(server, thread)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        if demo is not None:
            close(demo)
    return 0


def close(demo: OfficeDemo) -> None:
    """Let go of every database file (tests remove the folder)."""
    demo.app.extensions["mentoring"].engine.dispose()
    for s in demo.schools:
        with s.app.app_context():
            school_demo.db.engine.dispose()


def _print_addresses(demo: OfficeDemo, login: str, password: str) -> None:
    with demo.app.test_request_context(base_url=demo.site):
        from flask import url_for

        lines = [
            ("Школы и их числа", url_for("municipal.schools", _external=True)),
            ("Реестр наставников", url_for("municipal.mentors", _external=True)),
            ("Раздел управления", url_for("mentoring.index", _external=True)),
            ("Управление реестром", url_for("municipal_admin.schools", _external=True)),
        ]
    for label, url in lines:
        print(f"{label + ':':<29}{url}")
    print(f"  имя входа: {login}")
    print(f"  пароль:    {password}")
    print("Демонстрационные школы:")
    for s in demo.schools:
        note = " (раздел не заполнен)" if s.spec.empty else ""
        print(f"  {s.spec.name}{note}: {s.url}")
    print(f"Папка с базами и файлами:    {demo.app.instance_path}")
    print("Остановить сервер: Ctrl+C", flush=True)
