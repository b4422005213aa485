"""Jinja filters of the section: Russian dates and plurals, Markdown through markup.py.

Filter names carry a ``mentoring_`` prefix: the Jinja environment is the host's too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from flask import Flask, current_app
from markupsafe import Markup, escape

from . import clock, markup, rules, theming, urls

RU = Locale.parse("ru_RU")  # parsed once: a locale given by name is parsed at every call


@lru_cache(maxsize=4096)
def long_date(value: date) -> str:
    """«22 ноября 2026 г.» for a calendar day. A list page shows the same few dates many
    times: each is formatted once (the office's pages use it too)."""
    return format_date(value, format="long", locale=RU)


def ru_date(value: date | datetime | None) -> str:
    """«22 ноября 2026 г.»"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.to_local(value).date()
    return long_date(value)


def ru_datetime(value: datetime | None) -> str:
    """«22 ноября 2026 г., 15:00» for stored UTC datetimes."""
    if value is None:
        return ""
    local = clock.to_local(value)
    return f"{long_date(local.date())}, {local:%H:%M}"


def ru_local_datetime(value: datetime | None) -> str:
    """Same, for datetimes already in school-local time (event times)."""
    if value is None:
        return ""
    return f"{long_date(value.date())}, {value:%H:%M}"


def group_digits(n: int) -> str:
    """«12 345»: thousands apart by a no-break space, as Babel's Russian format puts them
    (without its pattern parser: a bank's page counts a number per person)."""
    return f"{n:,}".replace(",", "\u00a0")


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """``3|mentoring_plural('наставник', 'наставника', 'наставников')`` → «3 наставника»."""
    n_abs = abs(int(n))
    if n_abs % 10 == 1 and n_abs % 100 != 11:
        word = one
    elif 2 <= n_abs % 10 <= 4 and not 12 <= n_abs % 100 <= 14:
        word = few
    else:
        word = many
    return f"{group_digits(int(n))} {word}"


@lru_cache(maxsize=512)
def _rendered(text: str, prefix: str) -> Markup:
    return markup.to_html(text, media_prefix=prefix)


def markdown_filter(text: str | None) -> Markup:
    """Markdown through markup.py; the same text is rendered once, then served from memory."""
    if not text:
        return Markup("")
    html = _rendered(text, current_app.config["MENTORING_URL_PREFIX"] + "/media/")
    from .public.accessibility import images_hidden  # imported here: it needs the public blueprint

    return markup.images_as_text(html) if images_hidden() else html


def plain_filter(text: str | None, limit: int | None = None) -> str:
    return markup.to_plain(text, limit=limit)


# -- row parts in Python: a list page shows them once per row, and a macro call costs more
# than the text it makes (the macros of the same names in _macros.html call these). Written
# as f-strings with markupsafe.escape on every value: ``Markup % args`` wraps each argument
# in a helper object, which cost more Python calls than the macro it replaced.


def time_utc(value: datetime) -> Markup:
    """``<time>`` of a stored UTC moment, shown as the school's date."""
    return Markup(f'<time datetime="{value:%Y-%m-%dT%H:%MZ}">{ru_date(value)}</time>')


def time_local(value: datetime) -> Markup:
    """``<time>`` of an event time, stored in the school's local time (no offset)."""
    return Markup(f'<time datetime="{value:%Y-%m-%dT%H:%M}">{ru_local_datetime(value)}</time>')


def event_when(item) -> Markup:
    """«22 ноября 2026 г., 15:00–17:00» or «… — 23 ноября 2026 г., 12:00»."""
    start, end = item.event_starts_at, item.event_ends_at
    out = time_local(start)
    if end:
        if end.date() == start.date():
            out += Markup(f'–<time datetime="{end:%Y-%m-%dT%H:%M}">{end:%H:%M}</time>')
        else:
            out += Markup(" — ") + time_local(end)
    return out


def event_facts(item) -> Markup:
    """An announcement's «Когда» and «Где»."""
    out = Markup('<dl class="m-facts">')
    if item.event_starts_at:
        out += Markup("\n  <div><dt>Когда</dt><dd>") + event_when(item) + Markup("</dd></div>")
    if item.event_place:
        out += Markup(f"\n  <div><dt>Где</dt><dd>{escape(item.event_place)}</dd></div>")
    return out + Markup("\n</dl>")


def time_date(value: date) -> Markup:
    """``<time>`` of a calendar day (a programme's start, a document's date)."""
    return Markup(f'<time datetime="{value.isoformat()}">{ru_date(value)}</time>')


def program_dates(program) -> Markup:
    """«с 1 сентября 2026 г. по 31 мая 2027 г.»: the actual end once there is one."""
    end = program.ended_on or program.planned_end_on
    return Markup(f"с {time_date(program.starts_on)} по {time_date(end)}")


def status_badge(status) -> Markup:
    """A programme's state as a badge; its class lets a theme colour it."""
    return Markup(f'<span class="m-badge m-badge--{escape(status.value)}">'
                  f"{escape(status.label)}</span>")


def hidden_people(card) -> Markup:
    """«и ещё 2 участника»: people shown without consent are counted, never named."""
    if card.hidden_people <= 0:
        return Markup("")
    words = escape(ru_plural(card.hidden_people, "участник", "участника", "участников"))
    lead = "и ещё" if card.mentors or card.mentees else "В программе"
    return Markup(f'<p class="m-muted">{lead} {words}</p>')


def progress(card, id: str) -> Markup:
    """The share of the plan done, as a bar with its words."""
    if card.percent_done is None:
        return Markup("")
    done, id_ = escape(card.percent_done), escape(id)
    return Markup(
        f'<div class="m-progress">\n  <span id="{id_}">План выполнен на {done}&nbsp;%</span>\n'
        f'  <progress max="100" value="{done}" aria-labelledby="{id_}">{done}&nbsp;%</progress>'
        "\n</div>")


def page_numbers(paged) -> list[int]:
    """The page numbers the pagination may show: the first, the last, and those within
    three of the current one (within two get a link, at three an ellipsis). Not every
    number: a list of 10,000 rows has 500 pages, and the loop was per request."""
    page, pages = paged.page, paged.pages
    near = range(max(1, page - 3), min(pages, page + 3) + 1)
    return sorted({1, pages, *near})


#: The largest thumbnail (media.images makes them to fit in it): its size in the <img>.
THUMB_BOX = (480, 360)


def image(media, thumb: bool = True, alt: str | None = None, cls: str = "") -> Markup:
    """A picture (its thumbnail, with the size the thumbnail has, where there is one), or
    «Изображение: <alt>» when the visitor turned pictures off (the version for the visually
    impaired). The ``image`` macro of _macros.html."""
    from .public.accessibility import images_hidden  # it needs the public blueprint

    text = media.alt_text if alt is None else alt
    if images_hidden():
        return Markup(f'<span class="m-img-alt">Изображение: {escape(text)}</span>') if text else \
            Markup("")
    w, h = media.width, media.height
    use_thumb = bool(thumb and media.thumb_name)
    if use_thumb and w and h:
        if w >= THUMB_BOX[0] and h >= THUMB_BOX[1]:
            w, h = THUMB_BOX
        else:
            scale = min(1, THUMB_BOX[0] / w, THUMB_BOX[1] / h)
            w, h = max(int(round(w * scale)), 1), max(int(round(h * scale)), 1)
    name = media.thumb_name if use_thumb else media.stored_name
    src = escape(urls.section_url("mentoring.media", name=name))
    out = f'<img src="{src}" alt="{escape(text)}"'
    if w and h:
        out += f' width="{w}" height="{h}"'
    out += ' loading="lazy" decoding="async"'
    if cls:
        out += f' class="{escape(cls)}"'
    return Markup(out + ">")


def person_links(people: Iterable[rules.PublicPerson]) -> Markup:
    """Public names, each a link to the person's page where they have one, joined by commas
    (the ``person_link``/``person_links`` macros). In Python rather than a macro: a
    programme's card names all its people, and a macro call per name cost a fifth of the
    programmes' page."""
    out = []
    for p in people:
        name = escape(p.name)
        if p.has_page:
            href = escape(urls.section_url("mentoring.person", slug=p.slug))
            out.append(f'<a href="{href}">{name}</a>')
        else:
            out.append(str(name))
    return Markup(", ".join(out))


def person_facts(p: rules.PublicPerson, experience: str = "Стаж") -> Markup:
    """What a person consented to show beyond the name and position (``PublicPerson``
    fields are None when not consented); ``experience`` labels the years of work."""
    if p.subjects is None and p.qualification is None and p.experience_years is None:
        return Markup("")
    out = '\n<dl class="m-facts">'
    if p.subjects is not None:
        out += f"\n  <div><dt>Предметы</dt><dd>{escape(p.subjects)}</dd></div>"
    if p.qualification is not None:
        out += f"\n  <div><dt>Квалификация</dt><dd>{escape(p.qualification)}</dd></div>"
    if p.experience_years is not None:
        years = ru_plural(p.experience_years, "год", "года", "лет")
        out += f"\n  <div><dt>{escape(experience)}</dt><dd>{escape(years)}</dd></div>"
    return Markup(out + "\n</dl>")


def person_card(p: rules.PublicPerson, level: int = 2) -> Markup:
    """A person's card: photo, name, what they consented to show; ``level`` is the name's
    heading level (2–6)."""
    h, anchor = escape(level), f"person-{escape(p.id)}-{escape(level)}"
    out = f'<article class="m-card m-person" aria-labelledby="{anchor}">'
    if p.photo:
        out += f"\n  {image(p.photo, cls='m-person__photo')}"
    out += (f'\n  <div class="m-card__body">\n    <h{h} class="m-card__title" id="{anchor}">'
            f"{person_links([p])}</h{h}>")
    if p.position is not None:
        out += f'\n    <p class="m-person__position">{escape(p.position)}</p>'
    return Markup(f"{out}\n    {person_facts(p)}\n  </div>\n</article>")


def case_card(case, level: int = 2, limit: int = 200, details: bool = True) -> Markup:
    """A case as a card of the gallery (the list, the section home): photo, title, summary;
    ``details`` adds its programme and publication date."""
    h, anchor = escape(level), f"m-case-{escape(case.id)}"
    out = f'<article class="m-card" aria-labelledby="{anchor}">'
    if case.photos:
        out += f"\n  {image(case.photos[0].media, cls='m-card__image')}"
    href = escape(urls.section_url("mentoring.case", slug=case.slug))
    out += (f'\n  <div class="m-card__body">\n    <h{h} class="m-card__title" id="{anchor}">'
            f'<a href="{href}">{escape(case.title)}</a></h{h}>')
    if case.summary:
        out += f"\n    <p>{escape(plain_filter(case.summary, limit))}</p>"
    if details:
        program = case.program
        link = escape(urls.section_url("mentoring.program", slug=program.slug))
        out += (f'\n    <p class="m-muted">Программа: <a href="{link}">{escape(program.title)}'
                f'</a></p>\n    <p class="m-muted">Опубликовано {time_utc(case.published_at)}</p>')
    return Markup(out + "\n  </div>\n</article>")


def news_row(item, event_past: Callable[[Any], bool] | None = None) -> Markup:
    """A news item or an announcement in the news list: picture, kind, date, title, an
    announcement's «Когда» and «Где» (with «Мероприятие состоялось.» where ``event_past``
    says so), the summary as plain text."""
    iid = escape(item.id)
    out = f'<article class="m-news-row" aria-labelledby="m-news-{iid}">'
    if item.image:
        out += f"\n      {image(item.image, cls='m-news-row__image')}"
    href = escape(urls.section_url("mentoring.news_item", slug=item.slug))
    out += (f'\n      <div>\n        <p><span class="m-badge m-badge--{escape(item.kind.value)}">'
            f'{escape(item.kind.label)}</span> <span class="m-muted">'
            f"{time_utc(item.published_at)}</span></p>\n"
            f'        <h2 id="m-news-{iid}"><a href="{href}">{escape(item.title)}</a></h2>')
    if item.has_event_facts:
        out += f"\n        {event_facts(item)}"
        if event_past is not None and event_past(item):
            out += '<p class="m-event-past">Мероприятие состоялось.</p>'
    if item.summary:
        out += f"\n        <p>{escape(plain_filter(item.summary, 300))}</p>"
    return Markup(out + "\n      </div>\n    </article>")


def program_card(card) -> Markup:
    """A programme's card on the list (``queries.ProgramCard``): state, title, form, kind,
    dates, directions, the people shown, those only counted, the plan's share done. In
    Python for the reason ``person_links`` is: twenty cards are the list's whole page."""
    program = card.program
    pid = escape(program.id)
    href = escape(urls.section_url("mentoring.program", slug=program.slug))
    out = (f'<article class="m-card m-program" aria-labelledby="m-program-{pid}">\n'
           f'      <div class="m-card__body">\n        <p>{status_badge(program.status)}</p>\n'
           f'        <h2 class="m-card__title" id="m-program-{pid}"><a href="{href}">'
           f'{escape(program.title)}</a></h2>\n        <dl class="m-facts">\n'
           f'          <div><dt>Форма</dt><dd>{escape(program.form.name)}</dd></div>\n'
           f'          <div><dt>Вид</dt><dd>{escape(program.type.label)}</dd></div>\n'
           f'          <div><dt>Сроки</dt><dd>{program_dates(program)}</dd></div>')
    if program.directions:
        word = "Направления" if len(program.directions) > 1 else "Направление"
        out += (f"\n          <div><dt>{word}</dt>"
                f"<dd>{escape(program.direction_names)}</dd></div>")
    for people, one, many in ((card.mentors, "Наставник", "Наставники"),
                              (card.mentees, "Наставляемый", "Наставляемые")):
        if people:
            out += (f"\n          <div><dt>{many if len(people) > 1 else one}</dt>"
                    f"<dd>{person_links(people)}</dd></div>")
    return Markup(f"{out}\n        </dl>\n        {hidden_people(card)}\n        "
                  f"{progress(card, f'm-progress-{program.id}')}\n      </div>\n    </article>")


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        mentoring_date=ru_date,
        mentoring_datetime=ru_datetime,
        mentoring_local_datetime=ru_local_datetime,
        mentoring_plural=ru_plural,
        mentoring_markdown=markdown_filter,
        mentoring_plain=plain_filter,
    )
    app.jinja_env.globals["mentoring_static_url"] = theming.static_url
    app.jinja_env.globals["mentoring_url"] = urls.section_url
    app.jinja_env.globals.update(
        mentoring_person_links=person_links, mentoring_time_utc=time_utc,
        mentoring_time_local=time_local, mentoring_event_when=event_when,
        mentoring_event_facts=event_facts, mentoring_image=image,
        mentoring_time_date=time_date, mentoring_program_dates=program_dates,
        mentoring_status_badge=status_badge, mentoring_hidden_people=hidden_people,
        mentoring_progress=progress, mentoring_page_numbers=page_numbers,
        mentoring_person_card=person_card, mentoring_person_facts=person_facts,
        mentoring_case_card=case_card, mentoring_program_card=program_card,
        mentoring_news_row=news_row,
    )
