"""The section's Russian dates and numbers: the helpers written without Babel's pattern
parser (issue 13: a list page formats one per row) give exactly what Babel gives."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_decimal

from mentoring_site import templating


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
