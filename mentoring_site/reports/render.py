"""Which document a report becomes: the built-in one, or the school's own template.

A school puts its own DOCX (made in Word or LibreOffice, with docxtpl's Jinja tags such as
``{{ program.title }}`` or ``{%tr for e in s.events %}``) into the folder named by
``MENTORING_REPORT_TEMPLATES``, under the file name of the report; that template then
receives the same context as the built-in document (README lists the names). No file
there, or no folder set: the built-in document, made in code with python-docx.

Why built in code and not shipped .docx templates: a document made in code is reviewed
like code and cannot drift from the context; a school's template is its own business.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .docx_build import Document, to_bytes

PROGRAM_TEMPLATE = "spravka-otchet.docx"
YEAR_TEMPLATE = "analiticheskij-otchet.docx"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def school_template(folder: str | None, name: str) -> Path | None:
    if not folder:
        return None
    path = Path(folder) / name
    return path if path.is_file() else None


def render_docx(folder: str | None, name: str, ctx: dict[str, Any],
                built_in: Callable[[dict[str, Any]], Document]) -> bytes:
    """The school's template ``name`` filled with ``ctx``, else the built-in document."""
    path = school_template(folder, name)
    if path is None:
        return to_bytes(built_in(ctx))
    from docxtpl import DocxTemplate

    template = DocxTemplate(path)
    template.render(ctx, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
