"""The report of a management-mentoring programme as DOCX (python-docx).

The «информационная справка-отчёт» of the regional order (Приложение 1, п. 8): the
programme's general data as in the typical programme, its plan with the marks, % of
events done, % not done with the reasons, the conclusions. No member's contacts: the
report goes to the coordinator and may be passed on. Plain tables (no merged cells) so
LibreOffice and Word show it alike, as the section's reports do.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document as _new
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..models.management import MgmtProgram
from . import management as rules


def _document():
    doc = _new()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    return doc


def _para(doc, text: str, *, bold: bool = False, center: bool = False) -> None:
    par = doc.add_paragraph()
    par.add_run(text).bold = bold
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(doc, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    doc.add_paragraph()


def _day(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "—"


def mark_text(item) -> str:
    if item.done is None:
        return "не отмечено"
    return "выполнено" if item.done else f"не выполнено: {item.reason}"


def report_docx(program: MgmtProgram, today: date) -> bytes:
    doc = _document()
    _para(doc, "Информационная справка-отчёт по итогам реализации менторской программы",
          bold=True, center=True)
    _para(doc, f"«{program.title}»", bold=True, center=True)
    _table(doc, ["Сведения", "Значение"], [
        ["Развивающиеся управленческие команды",
         "; ".join(t.organisation for t in rules.developing(program)) or "—"],
        ["Опытные управленческие команды",
         "; ".join(t.organisation for t in rules.experienced(program)) or "—"],
        ["Направления менторства", "; ".join(d.title for d in program.directions) or "—"],
        ["Период реализации", f"{_day(program.starts_on)} — {_day(program.ends_on)}"],
        ["Координатор", program.coordinator or "—"],
        ["Муниципальный куратор", program.curator or "—"],
        ["Утверждена", f"{_day(program.approved_on)}, {program.approved_by}"
         if program.approved_on else "не утверждена"],
        ["Состояние", program.state.label],
        ["Завершена", _day(program.completed_on)],
    ])
    _para(doc, "План мероприятий", bold=True)
    rows = []
    number = 0
    for stage, items in rules.stage_items(program.items):
        for item in items:
            number += 1
            rows.append([number, stage.label, item.title, _day(item.due_on), item.responsible,
                         mark_text(item)])
    _table(doc, ["№", "Этап", "Мероприятие", "Срок", "Ответственные", "Отметка о выполнении"],
           rows)
    figures = rules.progress(program.items)
    _para(doc, "Итоги", bold=True)
    _para(doc, f"Выполнено мероприятий: {figures.done} из {figures.total} "
               f"({figures.done_percent} %).")
    _para(doc, f"Не выполнено мероприятий: {figures.not_done} из {figures.total} "
               f"({figures.not_done_percent} %).")
    if figures.unmarked:
        _para(doc, f"Не отмечено: {figures.unmarked}.")
    not_done = [i for i in program.items if i.done is False]
    if not_done:
        _table(doc, ["Невыполненное мероприятие", "Причина"],
               [[i.title, i.reason] for i in not_done])
    _para(doc, "Общие выводы", bold=True)
    _para(doc, program.conclusions or "Выводы ещё не написаны.")
    due = rules.report_due(program)
    if program.reported_on:
        _para(doc, f"Отчёт сдан {_day(program.reported_on)} (срок — {_day(due)}).")
    elif rules.report_overdue(program, today):
        _para(doc, f"Срок сдачи отчёта — {_day(due)}: просрочен.")
    else:
        _para(doc, f"Срок сдачи отчёта — {_day(due)}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_filename(program: MgmtProgram) -> tuple[str, str]:
    return (f"Отчёт о реализации менторской программы № {program.id}.docx",
            f"otchet-mentorskaya-programma-{program.id}.docx")
