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
