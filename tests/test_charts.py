"""The dashboard's charts (admin/charts.py): valid SVG, bars proportional to the figures,
«Нет данных» when there are none, user text escaped; on the dashboard with their tables."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from mentoring_site.admin import charts
from mentoring_site.clock import Clock
from mentoring_site.reports.figures import SchoolYear, year_figures
from tests.admin_support import ADMIN, signed_in

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def _bars(root: ET.Element) -> list[float]:
    return [float(r.get("width", "")) for r in root.iter(f"{SVG}rect")
            if r.get("class") == "a-chart-bar"]


def _chart(categories, *series, **kw) -> charts.Chart:
    return charts.Chart(key="t", title="Проверка", categories=tuple(categories),
                        series=tuple(charts.Series(name, tuple(values))
                                     for name, values in series), **kw)


def test_the_svg_is_one_named_image():
    root = _parse(_chart(["Реализуется", "Завершена"], ("Программ", [3, 1])))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Проверка"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == "Реализуется: 3; Завершена: 1"


def test_bar_lengths_are_proportional_to_the_values():
    widths = _bars(_parse(_chart(["а", "б", "в", "г"], ("Программ", [4, 2, 1, 0]))))
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.01)
    assert widths[2] == pytest.approx(widths[0] / 4, abs=0.01)
    assert widths[3] == 0


def test_two_series_share_one_scale_and_percentages_end_at_100():
    widths = _bars(_parse(_chart(["Оптимальный", "Допустимый"],
                                 ("На входе", [1, 3]), ("По итогам", [3, 1]))))
    assert widths[0] == pytest.approx(widths[2] / 3, abs=0.01)  # entry of the 1st vs 2nd
    assert widths[1] == pytest.approx(widths[2], abs=0.01)
    full, half = _bars(_parse(_chart(["а", "б"], ("%", [100, 50]), unit="%", scale_max=100)))
    assert half == pytest.approx(full / 2, abs=0.01)
    only_half = _bars(_parse(_chart(["а"], ("%", [50]), unit="%", scale_max=100)))
    assert only_half[0] == pytest.approx(full / 2, abs=0.01)  # 50 % is half, not the whole


@pytest.mark.parametrize("chart", [
    _chart([], ("Программ", [])),
    _chart(["Реализуется", "Завершена"], ("Программ", [0, 0])),
])
def test_no_data_says_so(chart):
    root = _parse(chart)
    assert chart.empty
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Нет данных"]
    assert root.find(f"{SVG}desc").text == "Нет данных"
    assert _bars(root) == []


def test_russian_and_hostile_labels_are_escaped():
    hostile = '<script>alert("х")</script> & «Ёлка»'
    chart = charts.Chart(key="x", title='Уровни «эффективности» & <b>', categories=(hostile,),
                         series=(charts.Series("Ёж & <уж>", (2.0,)), charts.Series("б", (1.0,))))
    text = str(chart.svg)
    assert "<script>" not in text and "<b>" not in text
    root = ET.fromstring(text)  # still well-formed XML
    assert root.find(f"{SVG}title").text == 'Уровни «эффективности» & <b>'
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "Ёж & <уж>" in labels
    assert any(label.startswith("<script>") and label.endswith("…") for label in labels)


def test_year_charts_take_the_report_figures(seeded_app):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        clock = Clock.current("Europe/Moscow")
        figures = year_figures(sess, SchoolYear.of(clock.today), clock)
        made = {c.key: c for c in charts.year_charts(figures)}
    assert set(made) == {"statuses", "people", "levels", "plan"}
    statuses = dict(figures.table("Статусы").rows)
    assert dict(zip(made["statuses"].categories, made["statuses"].series[0].values,
                    strict=True)) == {k: v for k, v in statuses.items() if k != "Итого"}
    people = {r[0]: r[1:] for r in figures.table("Участники").rows if r[0] != "Итого"}
    mentors, mentees = made["people"].series
    for i, group in enumerate(made["people"].categories):
        assert [mentors.values[i], mentees.values[i]] == people[group]
    levels = {r[0]: r[1:] for r in figures.table("Эффективность").rows}
    assert not made["levels"].empty and set(made["levels"].categories) == set(levels)
    plan = made["plan"]
    assert plan.scale_max == 100 and all(0 <= v <= 100 for v in plan.series[0].values)
    assert str(figures.mean_percent_done).replace(".", ",") in plan.note


def test_the_dashboard_draws_the_charts_with_their_tables(seeded_app):
    html = signed_in(seeded_app).get(f"{ADMIN}/").get_data(as_text=True)
    year = SchoolYear.of(date.today()).label
    assert f"Учебный год {year} в цифрах" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="a-chart" role="img"') == 4
    assert html.count("Данные диаграммы таблицей") >= 3
    assert "<script" not in html


def test_an_empty_year_says_nodata_on_the_dashboard(app):
    html = signed_in(app).get(f"{ADMIN}/").get_data(as_text=True)
    assert html.count(">Нет данных</text>") == 4
    assert "Данные диаграммы таблицей" not in html
