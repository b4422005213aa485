"""Small python-docx helpers shared by the built-in documents: a page set for A4 with
readable defaults, bold-headed tables a reader (or a test) finds again by their order.

Why our own helpers: python-docx is low-level; every report needs the same three moves,
and tables must stay plain (no merged cells) so LibreOffice and Word show them alike.

python-docx is imported by the functions, not with the module: the admin imports the
reports, and a serving worker should not pay for python-docx before its first answer
(issue 13). ``Document`` is for annotations only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
else:
    Document = object  # annotations only (postponed): no python-docx at import

__all__ = ["Document", "add_table", "new_document", "paragraph", "to_bytes"]


def new_document() -> Document:
    from docx import Document as _new
    from docx.shared import Cm, Pt

    doc = _new()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return doc


def paragraph(doc: Document, text: str, *, bold: bool = False, center: bool = False) -> None:
    par = doc.add_paragraph()
    run = par.add_run(text)
    run.bold = bold
    if center:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        par.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table(doc: Document, header: Sequence[str],
              rows: Sequence[Sequence[object]]) -> None:
    """A grid table: the header row bold; every cell as text."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    doc.add_paragraph()


def to_bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
