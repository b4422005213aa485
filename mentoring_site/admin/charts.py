"""The school year's figures as small bar charts: SVG made on the server, no JavaScript.

Why drawn here and not by a charting library: four horizontal bar charts need a few
rectangles and labels, and a library would bring JavaScript or a large dependency for it.
The figures are the year's read model (``reports.figures``), never counted again here, so
a chart says what the analytical report says. Each chart has its data as a table too
(the template puts it under the picture): the SVG itself is one image named by its
``<title>`` and summed up in its ``<desc>`` for a screen reader.

User text (a programme's title, a level's name) is escaped once, where the SVG is made;
the result is ``Markup`` and goes into the page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..reports.figures import Table, YearFigures

EMPTY = "Нет данных"
WIDTH = 640
LABEL_WIDTH = 250  # the category names on the left
VALUE_ROOM = 56  # the value printed after the longest bar
BAR = 16
GAP = 4  # between the bars of one category
ROW_GAP = 12  # between categories
TOP = 8
LEGEND = 24
FONT = 13
LABEL_CHARS = 30  # a longer name is cut with «…» (the table below has it whole)
#: Colours of the series: dark enough for 3:1 against white (WCAG 1.4.11).
COLOURS = ("#0b4f9c", "#b34700", "#1e7b3a")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page: the ids of the title and the table
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # printed after each value: "%" or ""
    scale_max: float | None = None  # a fixed end of the scale (100 for percentages)
    note: str = ""  # a line under the chart (the mean % done)
    header: tuple[str, ...] = field(default=())  # the table's first column, then series

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values)

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table under the chart: a category and its value in every series."""
        return [(c, [_number(s.values[i], self.unit) for s in self.series])
                for i, c in enumerate(self.categories)]

    @property
    def svg(self) -> Markup:
        return render(self)


def _number(value: float, unit: str = "") -> str:
    text = f"{value:g}".replace(".", ",")
    return f"{text}{unit}" if unit == "%" else text


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{FONT}"'
            f' fill="#1b1f24"{bold}>{escape(text)}</text>')


def render(chart: Chart) -> Markup:
    """The chart as an ``<svg>`` element: one image (``role="img"``), named by its title.

    Bars are horizontal, one row per category and one bar per series in it; a bar's length
    is its value over the scale's end (the largest value, or ``scale_max``), so bars of one
    chart compare. No data at all (nothing scored yet, no programmes) gives «Нет данных».
    """
    title_id, desc_id = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    height: float
    if chart.empty:
        height = 40
        body = [_text(WIDTH / 2, 25, EMPTY, anchor="middle")]
        desc = EMPTY
    else:
        body, height = _bars(chart)
        desc = "; ".join(
            f"{c}: " + ", ".join(
                (f"{s.name.lower()} {v}" if len(chart.series) > 1 else v)
                for s, v in zip(chart.series, values, strict=True))
            for c, values in chart.rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="a-chart" role="img"'
        f' aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {height:g}"'
        f' width="{WIDTH}" height="{height:g}" font-family="system-ui, sans-serif">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))


def _bars(chart: Chart) -> tuple[list[str], float]:
    plot = WIDTH - LABEL_WIDTH - VALUE_ROOM
    top = max((v for s in chart.series for v in s.values), default=0)
    scale = max(chart.scale_max or 0, top) or 1
    n = len(chart.series)
    row = n * BAR + (n - 1) * GAP
    body: list[str] = []
    y = TOP
    if n > 1:  # a legend: the colour of each series
        x = LABEL_WIDTH
        for colour, s in zip(COLOURS, chart.series, strict=False):
            body.append(f'<rect x="{x}" y="{y}" width="{BAR}" height="{BAR}" fill="{colour}"/>')
            body.append(_text(x + BAR + 6, y + BAR - 3, s.name))
            x += BAR + 14 + 8 * len(s.name)
        y += LEGEND
    for i, category in enumerate(chart.categories):
        body.append(_text(LABEL_WIDTH - 8, y + row / 2 + FONT / 2 - 2, _cut(category),
                          anchor="end"))
        for colour, s in zip(COLOURS, chart.series, strict=False):
            value = s.values[i]
            length = plot * value / scale
            body.append(f'<rect class="a-chart-bar" x="{LABEL_WIDTH}" y="{y:g}"'
                        f' width="{length:.2f}" height="{BAR}" fill="{colour}"/>')
            body.append(_text(LABEL_WIDTH + length + 4, y + BAR - 3,
                              _number(value, chart.unit), weight="600"))
            y += BAR + GAP
        y += ROW_GAP - GAP
    return body, y + TOP - ROW_GAP


# -- the year's charts ------------------------------------------------------------------------


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _without_total(table: Table) -> list[list[object]]:
    return [r for r in table.rows if r[0] not in ("Итого", "Всего")]


def _counts(key: str, title: str, table: Table, names: Sequence[str],
            header: str) -> Chart:
    rows = _without_total(table)
    return Chart(
        key=key, title=title, categories=tuple(str(r[0]) for r in rows),
        series=tuple(Series(name, tuple(_float(r[i + 1]) for r in rows))
                     for i, name in enumerate(names)),
        header=(header, *names))


def year_charts(figures: YearFigures) -> list[Chart]:
    """Programmes by status, mentors and mentees (teachers and pupils), the effectiveness
    levels «на входе» and «по итогам», and each programme's % of the plan done."""
    label = figures.year.label
    statuses = _counts("statuses", f"Программы {label} по статусам",
                       figures.table("Статусы"), ["Программ"], "Статус")
    people = _counts("people", f"Наставники и наставляемые {label}: педагоги и обучающиеся",
                     figures.table("Участники"), ["Наставников", "Наставляемых"], "Категория")
    levels = _counts("levels", f"Уровни эффективности {label}: на входе и по итогам",
                     figures.table("Эффективность"), ["На входе", "По итогам"], "Уровень")
    planned = [r for r in figures.table("Выполнение плана").rows if r[-1] is not None]
    mean = figures.mean_percent_done
    plan = Chart(
        key="plan", title=f"Выполнение планов мероприятий {label}, % выполненных",
        categories=tuple(str(r[0]) for r in planned),
        series=(Series("% выполненных", tuple(_float(r[-1]) for r in planned)),),
        unit="%", scale_max=100, header=("Программа", "% выполненных"),
        note="" if mean is None else f"В среднем выполнено {_number(mean, '%')} мероприятий.")
    return [statuses, people, levels, plan]
