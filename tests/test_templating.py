"""The section's Russian dates and numbers: the helpers written without Babel's pattern
parser (issue 13: a list page formats one per row) give exactly what Babel gives."""

from __future__ import annotations

from datetime import datetime

import pytest
from babel.dates import format_datetime
from babel.numbers import format_decimal

from mentoring_site import templating
from mentoring_site.models import NewsItem


def test_plural_groups_digits_as_babel_does():
    for n in [*range(-1200, 1200, 7), 10_000, 123_456, 10**6, 987_654_321]:
        assert templating.group_digits(n) == format_decimal(n, locale=templating.RU)
    assert templating.ru_plural(1, "год", "года", "лет") == "1 год"
    assert templating.ru_plural(22, "год", "года", "лет") == "22 года"
    assert templating.ru_plural(11, "год", "года", "лет") == "11 лет"
    assert templating.ru_plural(12345, "участник", "участника", "участников") == \
        "12\u00a0345 участников"


def test_an_event_time_reads_as_the_long_date_and_the_time():
    for value in (datetime(2026, 11, 22, 15, 0), datetime(2027, 1, 2, 9, 5)):
        got = templating.ru_local_datetime(value)
        babel = format_datetime(value, format="d MMMM y 'г.', HH:mm", locale=templating.RU)
        # the date as every other date of the section: «г.» held to the year by a narrow
        # no-break space (Babel's long format); otherwise what the Babel pattern gave
        assert got == babel.replace(" г.", "\u202fг."), got
    assert templating.ru_local_datetime(None) == ""


class _Event:
    def __init__(self, starts, ends=None, place=None):
        self.event_starts_at, self.event_ends_at, self.event_place = starts, ends, place


def test_event_facts_as_the_macros_wrote_them():
    start = datetime(2026, 11, 22, 15, 0)
    same_day = templating.event_facts(_Event(start, datetime(2026, 11, 22, 17, 0), "Зал <2>"))
    assert same_day == (
        '<dl class="m-facts">\n  <div><dt>Когда</dt><dd><time datetime="2026-11-22T15:00">'
        '22 ноября 2026\u202fг., 15:00</time>–<time datetime="2026-11-22T17:00">17:00</time>'
        '</dd></div>\n  <div><dt>Где</dt><dd>Зал &lt;2&gt;</dd></div>\n</dl>')
    two_days = templating.event_when(_Event(start, datetime(2026, 11, 23, 12, 0)))
    assert two_days.endswith(' — <time datetime="2026-11-23T12:00">23 ноября 2026\u202fг., '
                             '12:00</time>')
    assert templating.event_facts(_Event(None)) == '<dl class="m-facts">\n</dl>'


#: The ``image`` macro as it was written in Jinja before it moved to Python: the reference.
OLD_IMAGE_MACRO = """
{%- macro image(media, thumb=true, alt=none, cls='') -%}
{%- if mentoring_images_hidden() -%}
{%- set text = media.alt_text if alt is none else alt -%}
{%- if text %}<span class="m-img-alt">Изображение: {{ text }}</span>{% endif -%}
{%- else -%}
{%- set w, h = media.width, media.height -%}
{%- set use_thumb = thumb and media.thumb_name -%}
{%- if use_thumb and w and h -%}
{%- if w >= 480 and h >= 360 -%}
{%- set w, h = 480, 360 -%}
{%- else -%}
{%- set s = [1, 480 / w, 360 / h]|min -%}
{%- set w, h = [(w * s)|round|int, 1]|max, [(h * s)|round|int, 1]|max -%}
{%- endif -%}
{%- endif -%}
<img src="{{ mentoring_url('mentoring.media',
  name=(media.thumb_name if use_thumb else media.stored_name)) }}" alt="{{
  media.alt_text if alt is none else alt }}"
{%- if w and h %} width="{{ w }}" height="{{ h }}"{% endif %} loading="lazy" decoding="async"
{%- if cls %} class="{{ cls }}"{% endif %}>
{%- endif -%}
{%- endmacro -%}
{{ image(media, thumb, alt, cls) }}"""


class _Media:
    def __init__(self, width, height, thumb="t.webp", alt="Фото «<b>»"):
        self.width, self.height, self.thumb_name = width, height, thumb
        self.stored_name, self.alt_text = "s.jpg", alt


@pytest.mark.parametrize("hidden", [False, True])
def test_image_makes_what_the_macro_made(app, hidden, monkeypatch):
    from mentoring_site.public import accessibility

    monkeypatch.setattr(accessibility, "images_hidden", lambda: hidden)
    reference = app.jinja_env.from_string(OLD_IMAGE_MACRO)
    sizes = [(1200, 900), (480, 360), (479, 1000), (100, 50), (3, 1000), (1000, 3), (0, 0),
             (None, None), (481, 200), (333, 333)]
    with app.test_request_context("/nastavnichestvo/"):
        for w, h in sizes:
            for media in (_Media(w, h), _Media(w, h, thumb=None), _Media(w, h, alt="")):
                for thumb, alt, cls in [(True, None, ""), (False, None, "m-x"),
                                        (True, "Другое <i>", 'a"b'), (True, "", "")]:
                    want = reference.render(media=media, thumb=thumb, alt=alt, cls=cls,
                                            mentoring_images_hidden=lambda: hidden)
                    got = templating.image(media, thumb, alt, cls)
                    assert got == want, (w, h, thumb, alt, cls)


#: The card macros as they were written in Jinja before they moved to Python: the reference.
OLD_CARD_MACROS = """
{%- macro date(value) -%}
<time datetime="{{ value.isoformat() }}">{{ value|mentoring_date }}</time>
{%- endmacro -%}
{%- macro program_dates(program) -%}
с {{ date(program.starts_on) }} по {{ date(program.ended_on or program.planned_end_on) }}
{%- endmacro -%}
{%- macro hidden_people(card) -%}
{%- if card.hidden_people > 0 -%}
<p class="m-muted">
{%- if card.mentors or card.mentees -%}
и ещё {{ card.hidden_people|mentoring_plural('участник', 'участника', 'участников') }}
{%- else -%}
В программе {{ card.hidden_people|mentoring_plural('участник', 'участника', 'участников') }}
{%- endif -%}
</p>
{%- endif -%}
{%- endmacro -%}
{%- macro progress(card, id) -%}
{%- if card.percent_done is not none -%}
<div class="m-progress">
  <span id="{{ id }}">План выполнен на {{ card.percent_done }}&nbsp;%</span>
  <progress max="100" value="{{ card.percent_done }}" aria-labelledby="{{ id }}">{{ card.percent_done }}&nbsp;%</progress>
</div>
{%- endif -%}
{%- endmacro -%}
{%- macro status_badge(status) -%}
<span class="m-badge m-badge--{{ status.value }}">{{ status.label }}</span>
{%- endmacro -%}
{{ date(program.starts_on) }}|{{ program_dates(program) }}|{{ hidden_people(card) }}|
{{- progress(card, id) }}|{{ status_badge(program.status) }}"""  # noqa: E501


class _Program:
    def __init__(self, starts_on, planned_end_on, ended_on, status):
        self.starts_on, self.planned_end_on, self.ended_on = starts_on, planned_end_on, ended_on
        self.status = status


class _Card:
    def __init__(self, hidden, mentors, mentees, percent):
        self.hidden_people, self.mentors, self.mentees = hidden, mentors, mentees
        self.percent_done = percent


def test_the_card_helpers_make_what_the_macros_made(app):
    from datetime import date

    from mentoring_site.models import ProgramStatus

    reference = app.jinja_env.from_string(OLD_CARD_MACROS)
    programs = [_Program(date(2026, 9, 1), date(2027, 5, 31), None, status)
                for status in ProgramStatus]
    programs.append(_Program(date(2025, 1, 31), date(2025, 12, 1), date(2025, 6, 15),
                             ProgramStatus.ENDED_EARLY))
    cards = [_Card(hidden, mentors, mentees, percent)
             for hidden in (0, 1, 2, 5, 11, 21, 1234)
             for mentors, mentees in (([], []), (["a"], []), ([], ["b"]))
             for percent in (None, 0, 37, 100)]
    with app.test_request_context("/nastavnichestvo/"):
        for program in programs:
            for card in cards:
                for id_ in ("m-progress-7", 'x"<y'):
                    want = reference.render(program=program, card=card, id=id_)
                    got = "|".join([
                        templating.time_date(program.starts_on),
                        templating.program_dates(program), templating.hidden_people(card),
                        templating.progress(card, id_), templating.status_badge(program.status)])
                    assert got == want, (program.status, card.hidden_people, id_)


def test_the_pagination_visits_the_numbers_it_shows_and_no_more():
    """``page_numbers`` holds every number the old loop over all pages showed (a link or
    an ellipsis), in order, and at most nine numbers however many pages there are."""

    class _Paged:
        def __init__(self, page, pages):
            self.page, self.pages = page, pages

    for pages in [*range(1, 40), 500, 10_000]:
        for page in {*range(1, min(pages, 40) + 1), pages}:
            shown = [n for n in range(1, pages + 1)
                     if n in (1, pages) or abs(n - page) <= 3]
            numbers = templating.page_numbers(_Paged(page, pages))
            assert numbers == shown and len(numbers) <= 9, (page, pages)


#: The person and case cards as they were written in Jinja (their inner macros as they are).
OLD_CARDS = """
{%- macro image(media, thumb=true, alt=none, cls='') -%}{{ mentoring_image(media, thumb, alt, cls) }}{%- endmacro -%}
{%- macro person_link(p) -%}{{ mentoring_person_links([p]) }}{%- endmacro -%}
{%- macro utc_date(value) -%}{{ mentoring_time_utc(value) }}{%- endmacro -%}
{%- macro person_facts(p, experience='Стаж') -%}
{%- if p.subjects is not none or p.qualification is not none or p.experience_years is not none %}
<dl class="m-facts">
  {%- if p.subjects is not none %}
  <div><dt>Предметы</dt><dd>{{ p.subjects }}</dd></div>
  {%- endif %}
  {%- if p.qualification is not none %}
  <div><dt>Квалификация</dt><dd>{{ p.qualification }}</dd></div>
  {%- endif %}
  {%- if p.experience_years is not none %}
  <div><dt>{{ experience }}</dt><dd>{{ p.experience_years|mentoring_plural('год', 'года', 'лет') }}</dd></div>
  {%- endif %}
</dl>
{%- endif %}
{%- endmacro -%}
{%- macro person_card(p, level=2) -%}
<article class="m-card m-person" aria-labelledby="person-{{ p.id }}-{{ level }}">
  {%- if p.photo %}
  {{ image(p.photo, cls='m-person__photo') }}
  {%- endif %}
  <div class="m-card__body">
    <h{{ level }} class="m-card__title" id="person-{{ p.id }}-{{ level }}">{{ person_link(p) }}</h{{ level }}>
    {%- if p.position is not none %}
    <p class="m-person__position">{{ p.position }}</p>
    {%- endif %}
    {{ person_facts(p) }}
  </div>
</article>
{%- endmacro -%}
{%- macro case_card(case, level=2, limit=200, details=true) -%}
<article class="m-card" aria-labelledby="m-case-{{ case.id }}">
  {%- if case.photos %}
  {{ image(case.photos[0].media, cls='m-card__image') }}
  {%- endif %}
  <div class="m-card__body">
    <h{{ level }} class="m-card__title" id="m-case-{{ case.id }}"><a href="{{ mentoring_url('mentoring.case', slug=case.slug) }}">{{ case.title }}</a></h{{ level }}>
    {%- if case.summary %}
    <p>{{ case.summary|mentoring_plain(limit) }}</p>
    {%- endif %}
    {%- if details %}
    <p class="m-muted">Программа: <a href="{{ mentoring_url('mentoring.program', slug=case.program.slug) }}">{{ case.program.title }}</a></p>
    <p class="m-muted">Опубликовано {{ utc_date(case.published_at) }}</p>
    {%- endif %}
  </div>
</article>
{%- endmacro -%}
{%- if kind == "person" %}{{ person_card(p, level) }}|{{ person_facts(p, experience) }}
{%- else %}{{ case_card(case, level, limit, details) }}{% endif %}"""  # noqa: E501


class _Photo:
    width, height, thumb_name, stored_name = 800, 600, "t.webp", "s.jpg"
    alt_text = "Портрет «<b>»"


class _Case:
    def __init__(self, photos, summary, program):
        self.id, self.slug, self.title = 7, "sluchai-7", "Случай <7> & «кейс»"
        self.photos, self.summary, self.program = photos, summary, program
        self.published_at = datetime(2026, 11, 30, 21, 30)


class _CaseProgram:
    slug, title = "prog-1", "Программа «<i>»"


class _CasePhoto:
    media = _Photo()


@pytest.mark.parametrize("hidden", [False, True])
def test_the_cards_make_what_the_macros_made(app, hidden, monkeypatch):
    from mentoring_site.public import accessibility
    from mentoring_site.rules import PublicPerson

    monkeypatch.setattr(accessibility, "images_hidden", lambda: hidden)
    reference = app.jinja_env.from_string(OLD_CARDS)
    people = [
        PublicPerson(id=i, slug=f"p{i}", name=name, is_student=student, position=position,
                     subjects=subjects, qualification=qualification,
                     experience_years=years, bio=None, awards=None, photo=photo)
        for i, (name, student, position, subjects, qualification, years, photo) in enumerate([
            ("Иванова <Анна>", False, "Учитель & <b>", "Физика", "Высшая", 1, _Photo()),
            ("Петров", False, None, None, None, None, None),
            ("Сидоров", True, "Ученик 7 класса", None, None, None, None),
            ("Кузнецова", False, "", "", "Первая", 0, _Photo()),
            ("Смирнов", False, None, None, "<script>", 22, None),
            ("Орлова", False, "Методист", "Русский «язык»", None, 11, None),
        ])]
    cases = [_Case(photos, summary, _CaseProgram())
             for photos in ([], [_CasePhoto()]) for summary in ("", "**Итоги**: 3 < 5 " * 40)]
    with app.test_request_context("/nastavnichestvo/"):
        for p in people:
            for level in (2, 4):
                for experience in ("Стаж", "Педагогический <стаж>"):
                    want = reference.render(kind="person", p=p, level=level,
                                            experience=experience)
                    got = (templating.person_card(p, level) + "|"
                           + templating.person_facts(p, experience))
                    assert got == want, (p.name, level, experience)
        for case in cases:
            for level, limit, details in ((2, 200, True), (3, 160, False)):
                want = reference.render(kind="case", case=case, level=level, limit=limit,
                                        details=details)
                assert templating.case_card(case, level, limit, details) == want


#: A programme's card as programs.html wrote it in Jinja (its helpers as they are).
OLD_PROGRAM_CARD = """
  {%- set program = card.program %}
  <li>
    <article class="m-card m-program" aria-labelledby="m-program-{{ program.id }}">
      <div class="m-card__body">
        <p>{{ mentoring_status_badge(program.status) }}</p>
        <h2 class="m-card__title" id="m-program-{{ program.id }}"><a href="{{ mentoring_url('mentoring.program', slug=program.slug) }}">{{ program.title }}</a></h2>
        <dl class="m-facts">
          <div><dt>Форма</dt><dd>{{ program.form.name }}</dd></div>
          <div><dt>Вид</dt><dd>{{ program.type.label }}</dd></div>
          <div><dt>Сроки</dt><dd>{{ mentoring_program_dates(program) }}</dd></div>
          {%- if program.directions %}
          <div><dt>{{ 'Направления' if program.directions|length > 1 else 'Направление' }}</dt><dd>{{ program.direction_names }}</dd></div>
          {%- endif %}
          {%- if card.mentors %}
          <div><dt>{{ 'Наставники' if card.mentors|length > 1 else 'Наставник' }}</dt><dd>{{ mentoring_person_links(card.mentors) }}</dd></div>
          {%- endif %}
          {%- if card.mentees %}
          <div><dt>{{ 'Наставляемые' if card.mentees|length > 1 else 'Наставляемый' }}</dt><dd>{{ mentoring_person_links(card.mentees) }}</dd></div>
          {%- endif %}
        </dl>
        {{ mentoring_hidden_people(card) }}
        {{ mentoring_progress(card, 'm-progress-' ~ program.id) }}
      </div>
    </article>
  </li>"""  # noqa: E501


class _Named:
    def __init__(self, name):
        self.name = self.label = name


class _ListedProgram(_Program):
    def __init__(self, directions, status):
        from datetime import date

        super().__init__(date(2026, 9, 1), date(2027, 5, 31), None, status)
        self.id, self.slug, self.title = 12, "prog-<12>", "Программа «<b>» & Ко"
        self.form, self.type = _Named("Форма <i>"), _Named("Индивидуальная & групповая")
        self.directions = [_Named(d) for d in directions]
        self.direction_names = "; ".join(directions)


class _ListedCard(_Card):
    def __init__(self, program, hidden, mentors, mentees, percent):
        super().__init__(hidden, mentors, mentees, percent)
        self.program = program


def test_the_programme_card_makes_what_the_template_made(app):
    from mentoring_site.models import ProgramStatus
    from mentoring_site.rules import PublicPerson

    reference = app.jinja_env.from_string(OLD_PROGRAM_CARD)
    people = [PublicPerson(id=i, slug=f"p{i}", name=name, is_student=student)
              for i, (name, student) in enumerate([("Иванова <Анна>", False),
                                                   ("Мария К.", True), ("Петров & сын", False)])]
    crowds = ([], people[:1], people[1:2], people)
    with app.test_request_context("/nastavnichestvo/programmy/"):
        for status in ProgramStatus:
            for directions in ([], ["Цифровая <среда>"], ["Один", "Два «три»"]):
                program = _ListedProgram(directions, status)
                for mentors in crowds:
                    for mentees in crowds:
                        for hidden, percent in ((0, None), (1, 0), (3, 43), (21, 100)):
                            card = _ListedCard(program, hidden, mentors, mentees, percent)
                            want = reference.render(card=card)
                            got = f"\n  <li>\n    {templating.program_card(card)}\n  </li>"
                            assert got == want, (status, directions, hidden)


#: A row of the news list as news.html wrote it in Jinja (its helpers as they are).
OLD_NEWS_ROW = """
{%- macro image(media, thumb=true, alt=none, cls='') -%}{{ mentoring_image(media, thumb, alt, cls) }}{%- endmacro -%}
  <li>
    <article class="m-news-row" aria-labelledby="m-news-{{ item.id }}">
      {%- if item.image %}
      {{ image(item.image, cls='m-news-row__image') }}
      {%- endif %}
      <div>
        <p><span class="m-badge m-badge--{{ item.kind.value }}">{{ item.kind.label }}</span> <span class="m-muted">{{ mentoring_time_utc(item.published_at) }}</span></p>
        <h2 id="m-news-{{ item.id }}"><a href="{{ mentoring_url('mentoring.news_item', slug=item.slug) }}">{{ item.title }}</a></h2>
        {%- if item.kind == 'announcement' and (item.event_starts_at or item.event_place) %}
        {{ mentoring_event_facts(item) }}
        {%- if event_past is defined and event_past(item) %}<p class="m-event-past">Мероприятие состоялось.</p>{% endif %}
        {%- endif %}
        {%- if item.summary %}
        <p>{{ item.summary|mentoring_plain(300) }}</p>
        {%- endif %}
      </div>
    </article>
  </li>"""  # noqa: E501


class _NewsItem(_Event):
    has_event_facts = NewsItem.has_event_facts  # the model's own rule, on this stand-in

    def __init__(self, kind, image, starts, ends, place, summary):
        super().__init__(starts, ends, place)
        self.id, self.slug, self.title = 5, "novost-<5>", "Новость «<b>» & анонс"
        self.kind, self.image, self.summary = kind, image, summary
        self.published_at = datetime(2026, 11, 30, 21, 30)


@pytest.mark.parametrize("hidden", [False, True])
def test_the_news_row_makes_what_the_template_made(app, hidden, monkeypatch):
    from mentoring_site.models import NewsKind
    from mentoring_site.public import accessibility

    monkeypatch.setattr(accessibility, "images_hidden", lambda: hidden)
    reference = app.jinja_env.from_string(OLD_NEWS_ROW)
    start, end = datetime(2026, 12, 5, 15, 0), datetime(2026, 12, 5, 17, 0)
    items = [_NewsItem(kind, image, starts, ends, place, summary)
             for kind in NewsKind for image in (None, _Photo())
             for starts, ends, place in ((None, None, None), (start, None, None),
                                         (start, end, "Зал <2>"), (None, None, "Кабинет 7"))
             for summary in ("", "**Итоги** <script>x</script> & 3 < 5 " * 20)]
    with app.test_request_context("/nastavnichestvo/novosti/"):
        for item in items:
            for past in (None, lambda _: True, lambda _: False):
                values = {} if past is None else {"event_past": past}
                want = reference.render(item=item, **values)
                got = f"<li>\n    {templating.news_row(item, past)}\n  </li>"
                assert got == want, (item.kind, item.image, item.event_place, past)
