"""A report as a file: its bytes, its Russian name and an ASCII fallback, its type.

Why one place: the CLI and the admin screen hand over the same files; the name a curator
sees in the downloads folder is chosen here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..clock import Clock
from ..models import Program
from . import ReportError
from .figures import SchoolYear, year_figures
from .orders import blank_context, kind_of, order_context
from .program import build_program_docx, find_program, program_context
from .render import DOCX, PROGRAM_TEMPLATE, XLSX, YEAR_TEMPLATE, render_docx
from .year import build_year_docx, year_context, year_xlsx

FORMATS = {"docx": DOCX, "xlsx": XLSX}


@dataclass(frozen=True)
class ReportFile:
    filename: str  # Russian, as the curator sees it
    fallback: str  # ASCII, for old clients
    content_type: str
    data: bytes


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', " ", name).strip()[:120]


def format_of(filename: str, allowed: tuple[str, ...]) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in allowed:
        raise ReportError(f"Формат файла «{filename}» не поддерживается: нужен "
                          + " или ".join(f".{a}" for a in allowed) + ".")
    return ext


def program_report(sess: Session, slug: str, *, school: str, folder: str | None,
                   today: date) -> ReportFile:
    program = find_program(sess, slug)
    ctx = program_context(sess, program, school=school, today=today)
    data = render_docx(folder, PROGRAM_TEMPLATE, ctx, build_program_docx)
    return ReportFile(f"Справка-отчёт — {_safe(program.title)}.docx",
                      f"spravka-otchet-{program.slug}.docx", DOCX, data)


def year_report(sess: Session, year: str | SchoolYear, fmt: str, *, school: str,
                folder: str | None, clock: Clock) -> ReportFile:
    if fmt not in FORMATS:
        raise ReportError(f"Формат «{fmt}» не поддерживается: нужен docx или xlsx.")
    year = year if isinstance(year, SchoolYear) else SchoolYear.parse(year)
    figures = year_figures(sess, year, clock)
    if fmt == "xlsx":
        data = year_xlsx(figures, school=school)
    else:
        ctx = year_context(figures, school=school, today=clock.today)
        data = render_docx(folder, YEAR_TEMPLATE, ctx, build_year_docx)
    span = f"{year.first}-{year.first + 1}"
    return ReportFile(f"Аналитический отчёт {span}.{fmt}",
                      f"analiticheskij-otchet-{span}.{fmt}", FORMATS[fmt], data)


def blank_order_report(kind: str, *, today: date) -> ReportFile:
    """A roadmap document with blanks for any school (the office's base of templates)."""
    from .orders_build import build_order_docx  # python-docx only when one is made

    found = kind_of(kind)
    data = render_docx(None, found.template, blank_context(found, today), build_order_docx)
    return ReportFile(f"{_safe(found.label)} (шаблон).docx", f"shablon-{found.template}",
                      DOCX, data)


def order_report(sess: Session, kind: str, programs: list[Program], *, school: str,
                 folder: str | None, today: date) -> ReportFile:
    """An order or a protocol (``orders.KINDS``); the school's template if it has one."""
    from .orders_build import build_order_docx

    found = kind_of(kind)
    ctx = order_context(sess, found, programs, school=school, today=today)
    data = render_docx(folder, found.template, ctx, build_order_docx)
    name = found.label
    fallback = found.template.removesuffix(".docx")
    if len(programs) == 1:
        name += f" — {programs[0].title}"
        fallback += f"-{programs[0].slug}"
    return ReportFile(f"{_safe(name)}.docx", f"{fallback}.docx", DOCX, data)
