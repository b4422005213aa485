"""The yearly analytical report as XLSX (one sheet per table, for the figures the office
copies into its forms) and as DOCX (the same tables with headings, for the paper file).

Why numbers stay numbers in XLSX: the office sums and filters them; a date is a date cell,
a missing value an empty cell.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from .docx_build import Document, add_table, new_document, paragraph
from .figures import YearFigures


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def year_context(figures: YearFigures, *, school: str, today: date) -> dict[str, Any]:
    """The analytical report as plain values (see README): the tables as text."""
    return {
        "school": school,
        "year": figures.year.label,
        "generated_on": f"{today:%d.%m.%Y}",
        "mentors_in_bank": figures.mentors_in_bank,
        "mentees_in_bank": figures.mentees_in_bank,
        "active_programs": figures.active_programs,
        "completed_programs": figures.completed_programs,
        "mean_percent_done": figures.mean_percent_done,
        "tables": [{"key": t.key, "title": t.title, "header": t.header,
                    "rows": [[_text(v) for v in row] for row in t.rows]}
                   for t in figures.tables],
    }


def year_xlsx(figures: YearFigures, *, school: str) -> bytes:
    from openpyxl import Workbook  # only when a table is made, not at the site's start
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in figures.tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([f"{table.title} — {school}, {figures.year.label} учебный год"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append(["" if v is None else v for v in row])
        for col, title in enumerate(table.header, 1):
            values = [title, *(_text(r[col - 1]) for r in table.rows)]
            width = min(max(len(v) for v in values) + 2, 60)
            sheet.column_dimensions[get_column_letter(col)].width = max(width, 10)
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_year_docx(ctx: dict[str, Any]) -> Document:
    doc = new_document()
    paragraph(doc, ctx["school"], center=True)
    doc.add_heading(f"Аналитический отчёт о реализации целевой модели наставничества "
                    f"за {ctx['year']} учебный год", level=0)
    for n, table in enumerate(ctx["tables"], 1):
        doc.add_heading(f"{n}. {table['title']}", level=1)
        if table["rows"]:
            add_table(doc, table["header"], table["rows"])
        else:
            paragraph(doc, "Нет данных за учебный год.")
    paragraph(doc, f"Дата составления: {ctx['generated_on']}")
    return doc
