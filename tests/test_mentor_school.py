"""«Школа наставничества» (MENTORING_MENTOR_SCHOOL): the section's events for mentors with
their registration, past ones «состоялось», materials for mentors, the introduction the
office edits as a free page; off by default, on for the office's own site."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from mentoring_site import clock
from mentoring_site.clock import now_utc
from mentoring_site.config import ConfigError
from mentoring_site.models import (
    EventRegistration,
    Material,
    MaterialKind,
    NewsKind,
    Page,
    Registration,
    RegistrationStatus,
    Status,
)
from mentoring_site.municipal import create_app
from mentoring_site.queries.mentor_school import INTRO_SLUG
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token
from tests.conftest import make_app
from tests.municipal_support import prepared

PREFIX = "/nastavnichestvo"
URL = f"{PREFIX}/{INTRO_SLUG}/"
HOSTILE = '<script>alert("x")</script>'


def _on(app) -> None:
    app.config["MENTORING_MENTOR_SCHOOL"] = True  # read per request


def _page(slug: str = INTRO_SLUG, **fields) -> Page:
    values = dict(slug=slug, title="Школа наставничества", body="Текст",
                  status=Status.PUBLISHED, published_at=now_utc() - timedelta(days=1))
    return Page(**{**values, **fields})


def _material(slug: str, kind: MaterialKind, title: str, **fields) -> Material:
    values = dict(slug=slug, kind=kind, title=title, url="https://example.ru/m",
                  status=Status.PUBLISHED, published_at=now_utc() - timedelta(days=1))
    return Material(**{**values, **fields})


def _section(html: str, heading_id: str) -> str:
    """The text of one ``<section>`` of the page, by its heading's id."""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_off_by_default_the_address_stays_a_free_page(app, db):
    client = app.test_client()
    assert client.get(URL).status_code == 404
    assert "Школа наставничества" not in client.get(PREFIX + "/").get_data(as_text=True)
    db.add(_page(title="Наша страница", body="Текст нашей страницы"))
    db.commit()
    html = client.get(URL).get_data(as_text=True)
    assert "Текст нашей страницы" in html and "Ближайшие мероприятия" not in html


def test_the_setting_must_be_true_or_false(tmp_path):
    with pytest.raises(ConfigError, match="MENTORING_MENTOR_SCHOOL должен быть True или False"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", tmp_path, MENTORING_MENTOR_SCHOOL="да")


def test_events_with_their_registration_past_ones_and_materials_for_mentors(app, db):
    _on(app)
    now = clock.now_local()
    soon = f.news(slug="seminar", kind=NewsKind.ANNOUNCEMENT, title="Семинар наставников",
                  event_starts_at=now + timedelta(days=10), event_place="Зал заседаний")
    closed = f.news(slug="trening", kind=NewsKind.ANNOUNCEMENT, title="Тренинг наставников",
                    event_starts_at=now + timedelta(days=20))
    full = f.news(slug="polno", kind=NewsKind.ANNOUNCEMENT, title="Мастер-класс",
                  event_starts_at=now + timedelta(days=30))
    undated = f.news(slug="bez-daty", kind=NewsKind.ANNOUNCEMENT, title="Встреча без даты")
    db.add_all([
        soon, closed, full, undated,
        f.news(slug="proshel", kind=NewsKind.ANNOUNCEMENT, title="Прошедший семинар",
               event_starts_at=now - timedelta(days=10)),
        f.news(slug="chernovik", kind=NewsKind.ANNOUNCEMENT, title="Черновой семинар",
               status=Status.DRAFT, event_starts_at=now + timedelta(days=5)),
        f.news(slug="novost", title="Просто новость"),
        _material("rek", MaterialKind.RECOMMENDATION, "Рекомендации наставнику"),
        _material("video", MaterialKind.PRESENTATION, "Запись семинара"),
        _material("diag", MaterialKind.DIAGNOSTIC, "Анкета затруднений"),
        _material("maket", MaterialKind.TEMPLATE, "Макет приказа"),
        _material("skoro", MaterialKind.RECOMMENDATION, "Будущий материал",
                  published_at=now_utc() + timedelta(days=3)),
    ])
    db.flush()
    db.add_all([
        EventRegistration(news_id=soon.id, is_open=True, capacity=3,
                          deadline=now + timedelta(days=8)),
        EventRegistration(news_id=closed.id, is_open=True, deadline=now - timedelta(days=1)),
        EventRegistration(news_id=full.id, is_open=True, capacity=1),
        *(Registration(news_id=news_id, name="Участник", organisation="Школа",
                       email="p@example.ru", consent_text="т", consent_number=1,
                       status=status)
          for news_id, status in ((soon.id, RegistrationStatus.SUBMITTED),
                                  (soon.id, RegistrationStatus.REJECTED),
                                  (full.id, RegistrationStatus.ACCEPTED))),
    ])
    db.commit()

    html = app.test_client().get(URL).get_data(as_text=True)
    upcoming = _section(html, "ms-upcoming")
    seminar = upcoming.split("Семинар наставников", 1)[1].split("</article>", 1)[0]
    assert f'href="{PREFIX}/novosti/seminar/#registraciya"' in seminar
    assert "Зарегистрироваться" in seminar and "Свободных мест: 2 из 3" in seminar
    assert "заявки принимаются до" in seminar and "Зал заседаний" in seminar
    trening = upcoming.split("Тренинг наставников", 1)[1].split("</article>", 1)[0]
    assert "Регистрация закрыта." in trening and "Зарегистрироваться" not in trening
    assert "Все места заняты" in upcoming.split("Мастер-класс", 1)[1].split("</article>", 1)[0]
    # soonest first, an announcement without a date after the dated ones
    order = [upcoming.index(t) for t in ("Семинар наставников", "Тренинг наставников",
                                         "Мастер-класс", "Встреча без даты")]
    assert order == sorted(order)
    past = _section(html, "ms-past")
    assert "Прошедший семинар" in past and "Мероприятие состоялось." in past
    assert "Прошедший семинар" not in upcoming
    materials = _section(html, "ms-materials")
    for title in ("Рекомендации наставнику", "Запись семинара", "Анкета затруднений"):
        assert title in materials, title
    for hidden in ("Черновой семинар", "Просто новость", "Макет приказа", "Будущий материал"):
        assert hidden not in html, hidden
    # no registration is ever read out: neither a name nor an address
    assert "p@example.ru" not in html and "Участник" not in html


def test_the_intro_is_the_page_of_that_address_and_the_menu_links_the_school(app, db):
    _on(app)
    client = app.test_client()
    html = client.get(URL).get_data(as_text=True)
    assert "Электронная площадка для наставников" in html  # no page yet: a default line
    assert "Ближайших мероприятий пока нет." in html
    assert "Материалы для наставников пока не опубликованы." in html
    db.add_all([_page(body="Добро пожаловать в **Школу наставничества** управления."),
                _page(slug="kontakty", title="Контакты")])
    db.commit()
    html = client.get(URL).get_data(as_text=True)
    assert "<strong>Школу наставничества</strong>" in html
    assert "Электронная площадка для наставников" not in html
    assert 'content="Добро пожаловать в Школу наставничества управления."' in html
    nav = html.split('class="m-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count(f'href="{URL}"') == 1 and 'aria-current="page"' in nav
    assert f'href="{PREFIX}/kontakty/"' in nav
    home = client.get(PREFIX + "/").get_data(as_text=True)
    assert home.count(f'href="{URL}"') == 2  # the menu and the tile
    sitemap = client.get(PREFIX + "/sitemap.xml").get_data(as_text=True)
    assert sitemap.count(f"{URL}</loc>") == 1


def test_hostile_strings_show_as_text(app, db):
    _on(app)
    now = clock.now_local()
    soon = f.news(slug="s", kind=NewsKind.ANNOUNCEMENT, title=HOSTILE, summary=HOSTILE,
                  event_place=HOSTILE, event_starts_at=now + timedelta(days=3))
    db.add_all([
        soon,
        f.news(slug="p", kind=NewsKind.ANNOUNCEMENT, title=HOSTILE, event_place=HOSTILE,
               event_starts_at=now - timedelta(days=3)),
        _material("m", MaterialKind.RECOMMENDATION, HOSTILE, description=HOSTILE,
                  url='javascript:alert("x")'),
        _page(title=HOSTILE, body=HOSTILE),
    ])
    db.flush()
    db.add(EventRegistration(news_id=soon.id, is_open=True, capacity=5))
    db.commit()
    html = app.test_client().get(URL).get_data(as_text=True)
    assert "<script>alert" not in html and "javascript:" not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 6


@pytest.fixture
def office(tmp_path):
    app = create_app(instance_path=str(tmp_path / "office"))
    app.config["TESTING"] = True
    prepared(app)
    yield app
    app.extensions["mentoring"].engine.dispose()


def test_the_offices_site_has_it_on_and_the_registry_links_it(office):
    client = office.test_client()
    assert client.get(URL).status_code == 200
    registry = client.get("/").get_data(as_text=True)
    nav = registry.split('class="mu-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{URL}"' in nav and "Школа наставничества" in nav
    # the base of templates for the schools («Макеты документов») is not for mentors
    assert "Макеты документов" not in client.get(URL).get_data(as_text=True)


def _seed_office(office) -> None:
    from mentoring_site.db import begin_write
    from mentoring_site.municipal import demo

    with office.app_context():
        sess = office.extensions["mentoring"].session()
        begin_write(sess)
        demo.seed_office_content(demo.OfficeDemo(office, [], "", True), sess,
                                 clock.today(office.config["MENTORING_TIMEZONE"]))
        sess.commit()


def test_the_office_demo_seeds_two_seminars_one_open_and_two_materials(office):
    _seed_office(office)
    client = office.test_client()
    html = client.get(URL).get_data(as_text=True)
    assert "площадка управления образования для наставников" in html  # the intro page
    upcoming, past = _section(html, "ms-upcoming"), _section(html, "ms-past")
    assert "Индивидуальный план развития наставляемого" in upcoming
    assert "Зарегистрироваться" in upcoming and "Свободных мест: 40 из 40" in upcoming
    assert "Наставник и молодой педагог: первые шаги" in past
    assert "Мероприятие состоялось." in past
    materials = _section(html, "ms-materials")
    assert materials.count('class="m-file"') == 2 and "Презентации и видео" in materials
    title = "Индивидуальный план развития наставляемого"
    link = upcoming.split(title, 1)[1].split('href="', 1)[1].split("#", 1)[0]
    seminar = client.get(link).get_data(as_text=True)
    assert 'id="registraciya"' in seminar and 'name="stamp"' in seminar  # the form
    for href in (a.split('"', 1)[0] for a in materials.split('class="m-file" href="')[1:]):
        assert client.get(href).status_code == 200, href


# -- an announcement kept off the School (the admin's «в Школе наставничества») ----------------

NEWS_ADMIN = f"{ADMIN}/novosti"


def _announce(client, url: str, title: str, **fields):
    starts = (datetime.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = {"csrf_token": token(client, url), "kind": "announcement", "status": "published",
            "title": title, "summary": "", "body": "Текст", "published_at": "",
            "unpublish_at": "", "event_starts_at": starts, "event_ends_at": "",
            "event_place": "", "version": "", **fields}
    answer = client.post(url, data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer


def _box(html: str) -> str:
    """The «в Школе наставничества» checkbox's tag."""
    return re.search(r'<input[^>]*name="in_mentor_school"[^>]*>', html).group(0)


def _news_id(app, title: str) -> int:
    import sqlalchemy as sa

    from mentoring_site.models import NewsItem

    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return sess.scalar(sa.select(NewsItem.id).where(NewsItem.title == title))


def test_the_office_keeps_an_announcement_off_the_school_and_puts_it_back(office):
    curator = signed_in(office)
    form = curator.get(f"{NEWS_ADMIN}/novaya/").get_data(as_text=True)
    assert "checked" in _box(form)  # shown by default: the office's events are for mentors
    _announce(curator, f"{NEWS_ADMIN}/novaya/", "Семинар для наставников", in_mentor_school="y")
    _announce(curator, f"{NEWS_ADMIN}/novaya/", "Родительское собрание")  # box left unticked
    visitor = office.test_client()
    school = _section(visitor.get(URL).get_data(as_text=True), "ms-upcoming")
    assert "Семинар для наставников" in school and "Родительское собрание" not in school
    news = visitor.get(f"{PREFIX}/novosti/").get_data(as_text=True)
    assert "Родительское собрание" in news and "Семинар для наставников" in news
    # ticked again on its edit screen: on the School
    edit = f"{NEWS_ADMIN}/{_news_id(office, 'Родительское собрание')}/"
    page = curator.get(edit).get_data(as_text=True)
    assert "checked" not in _box(page)
    version = re.search(r'<input[^>]*name="version"[^>]*>', page).group(0)
    _announce(curator, edit, "Родительское собрание", in_mentor_school="y",
              version=re.search(r'value="(\d+)"', version).group(1))
    school = _section(visitor.get(URL).get_data(as_text=True), "ms-upcoming")
    assert "Родительское собрание" in school


def test_without_the_school_the_admin_does_not_ask_and_announcements_stay_listed(app, db):
    curator = signed_in(app)
    assert "in_mentor_school" not in curator.get(f"{NEWS_ADMIN}/novaya/").get_data(as_text=True)
    _announce(curator, f"{NEWS_ADMIN}/novaya/", "Семинар школы")
    _on(app)  # a section that turns the School on later finds it there
    assert "Семинар школы" in _section(app.test_client().get(URL).get_data(as_text=True),
                                       "ms-upcoming")


# -- in a real browser: axe-core, and vnu for HTML validity (the office's demo content) ----


def test_axe_finds_nothing_on_the_school(office, page):
    from tests.browser import axe_problems

    _seed_office(office)
    problems = axe_problems(office, page, [URL])
    assert not problems, problems


@pytest.mark.browser  # the Nu HTML Checker runs on Java
def test_the_school_is_valid_html(office, tmp_path):
    from tests.browser import vnu_errors

    _seed_office(office)
    target = tmp_path / "school.html"
    target.write_bytes(office.test_client().get(URL).get_data())
    errors = vnu_errors([target])
    assert not errors, "\n".join(errors)
