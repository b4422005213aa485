"""The office's yearly report «на дату»: XLSX and DOCX, one row per school, with totals.

Built from the registry's own read model (``queries.school_lines`` and ``queries.FIGURES``),
so the report says exactly what the schools table said on that date; each figure comes
with its change against the same date a year earlier (the school's snapshot then, or
nothing when the registry did not read it by then). The files are made here with openpyxl
and python-docx: the registry does not import the section's report machinery.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from . import queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"xlsx": XLSX, "docx": DOCX}
STATES = {"never": "ещё не читали", "empty": "раздел не заполнен", "read": "прочитан"}


class ReportError(ValueError):
    """The report cannot be made as asked; the message (Russian) says why."""


@dataclass(frozen=True)
class Figure:
    value: int | None
    change: int | None  # against a year earlier; None when either is unknown


@dataclass(frozen=True)
class Row:
    name: str
    state: str  # words, STATES
    read_at: datetime | None  # the snapshot's read (naive UTC)
    figures: list[Figure]


@dataclass(frozen=True)
class OfficeReport:
    day: date
    year_before: date
    office: str
    rows: list[Row]
    totals: list[Figure]

    @property
    def labels(self) -> list[str]:
        return [label for _name, label in queries.FIGURES]


@dataclass(frozen=True)
class ReportFile:
    filename: str  # Russian, as the office sees it
    fallback: str  # ASCII
    content_type: str
    data: bytes


def end_of_day(day: date, timezone: str) -> datetime:
    """The end of ``day`` in the office's zone, as the naive UTC the tables keep."""
    end = datetime.combine(day + timedelta(days=1), time(), ZoneInfo(timezone))
    return end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_day(raw: str | None) -> date:
    """ГГГГ-ММ-ДД (as a date field sends it) or ДД.ММ.ГГГГ; ReportError in Russian."""
    text = (raw or "").strip()
    if not text:
        raise ReportError("Укажите дату отчёта.")
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", text, re.ASCII):
        text = f"{text[6:]}-{text[3:5]}-{text[:2]}"
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"Дата «{raw}» не читается: нужна дата вида 01.06.2027.") from None
    if day.year < 2000:
        raise ReportError("Реестр не хранит данных ранее 2000 года: выберите дату позже.")
    return day


def _change(now: int | None, then: int | None) -> int | None:
    return None if now is None or then is None else now - then


def office_report(sess: Session, day: date, *, timezone: str, office: str) -> OfficeReport:
    """The figures of every school listed on ``day`` and their change over the year."""
    before = year_before(day)
    lines = queries.school_lines(sess, end_of_day(day, timezone))
    then_lines = queries.school_lines(sess, end_of_day(before, timezone))
    then = {x.school.id: x.snapshot for x in then_lines}
    names = [name for name, _label in queries.FIGURES]
    rows = []
    for x in lines:
        old = then.get(x.school.id)
        rows.append(Row(
            name=x.school.name, state=STATES[x.state],
            read_at=x.snapshot.read_at if x.snapshot else None,
            figures=[Figure(getattr(x.snapshot, n) if x.snapshot else None,
                            _change(getattr(x.snapshot, n) if x.snapshot else None,
                                    getattr(old, n) if old else None)) for n in names],
        ))
    now_sums, then_sums = queries.totals(lines), queries.totals(then_lines)
    totals = [Figure(now_sums[n], _change(now_sums[n], then_sums[n])) for n in names]
    return OfficeReport(day, before, office, rows, totals)


def _signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value).replace("-", "−")


def _title(report: OfficeReport) -> str:
    return (f"Наставничество в образовательных организациях: отчёт {report.office} "
            f"на {report.day:%d.%m.%Y}")


def report_xlsx(report: OfficeReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Школы"
    sheet.append([_title(report)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([f"Изменение — к {report.year_before:%d.%m.%Y} (на ту же дату годом ранее); "
                  "пусто — число не опубликовано или школу тогда не читали."])
    header = ["Школа", "Состояние"]
    for label in report.labels:
        header += [label, "изменение за год"]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def cells(figures: list[Figure]) -> list[int | None]:
        out: list[int | None] = []
        for f in figures:
            out += [f.value, f.change]
        return out

    for row in report.rows:
        sheet.append([row.name, row.state, *cells(row.figures)])
    sheet.append(["Итого", f"школ: {len(report.rows)}", *cells(report.totals)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row_cells in sheet.iter_rows(min_row=4):
        for cell in row_cells[3::2]:
            cell.number_format = "+0;-0;0"
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 20
    for col in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_docx(report: OfficeReport) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.name = "Liberation Serif"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(_title(report), level=1)
    doc.add_paragraph(f"В каждой ячейке — число на {report.day:%d.%m.%Y} и в скобках его "
                      f"изменение к {report.year_before:%d.%m.%Y}; «—» — число не "
                      "опубликовано или школу тогда не читали.")
    doc.add_heading("Итого по школам", level=2)
    totals = doc.add_table(rows=1, cols=3)
    totals.style = "Table Grid"
    for cell, text in zip(totals.rows[0].cells, (
            "Показатель", f"На {report.day:%d.%m.%Y}", "Изменение за год"), strict=True):
        cell.text = text
    for label, f in zip(report.labels, report.totals, strict=True):
        cells = totals.add_row().cells
        cells[0].text, cells[1].text = label, "—" if f.value is None else str(f.value)
        cells[2].text = _signed(f.change)
    doc.add_heading("По школам", level=2)
    table = doc.add_table(rows=1, cols=2 + len(report.labels))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Школа", "Состояние", *report.labels],
                          strict=True):
        cell.text = text
    for row in report.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row.name, row.state
        for cell, f in zip(cells[2:], row.figures, strict=True):
            cell.text = "—" if f.value is None else f"{f.value} ({_signed(f.change)})"
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(7)
    doc.add_paragraph(f"Школ в списке на дату: {len(report.rows)}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_file(sess: Session, day: date, fmt: str, *, timezone: str,
                office: str) -> ReportFile:
    if fmt not in FORMATS:
        raise ReportError(f"Формат «{fmt}» не поддерживается: нужен xlsx или docx.")
    report = office_report(sess, day, timezone=timezone, office=office)
    data = report_xlsx(report) if fmt == "xlsx" else report_docx(report)
    return ReportFile(f"Отчёт управления на {day:%d.%m.%Y}.{fmt}",
                      f"otchet-upravleniya-{day.isoformat()}.{fmt}", FORMATS[fmt], data)
