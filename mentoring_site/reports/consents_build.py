"""The built-in consents (python-docx), drawn from ``consents.consent_context``: the title,
the signer's lines, the operator, the numbered text, the table of data (dissemination), the
term and withdrawal, the date and the signature. One page or two, plain tables only, so
Word and LibreOffice show it alike.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from .docx_build import Document, add_table, new_document, paragraph


def _text(doc: Document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    par = doc.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        par.paragraph_format.first_line_indent = Cm(1.25)
    par.paragraph_format.space_after = Pt(4)
    par.add_run(text).bold = bold


def _sign(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, "")
    par = doc.add_paragraph()
    par.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    par.add_run(f"{ctx['date_blank']}\t{ctx['sign']}")
    par = doc.add_paragraph()
    par.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    par.add_run(f"\t(подпись / расшифровка; {ctx['signer']})").font.size = Pt(9)


def build_consent_docx(ctx: dict[str, Any]) -> Document:
    """A built-in consent: dissemination (with the table of data) or processing."""
    doc = new_document()
    paragraph(doc, ctx["title"].upper(), bold=True, center=True)
    if ctx["is_pupil"]:
        paragraph(doc, "(даётся родителем (законным представителем) обучающегося)", center=True)
    for line in ctx["subject_lines"]:
        _text(doc, line, indent=False)
    n = 0
    for text in ctx["paragraphs"]:
        n += 1
        _text(doc, f"{n}. {text}")
    if ctx["kind"] == "rasprostranenie":
        add_table(doc, ["Категория", "Перечень персональных данных", "Сведения (как в разделе)",
                        "Согласие", "Условия и запреты"],
                  [[c["category"], c["item"], c["value"], c["allowed"], c["conditions"]]
                   for c in ctx["categories"]])
        n += 1
        _text(doc, f"{n}. Категории и перечень персональных данных, для обработки которых "
                   "устанавливаются условия и запреты, и перечень устанавливаемых условий и "
                   f"запретов (заполняется по желанию): {ctx['conditions']}")
        n += 1
        _text(doc, f"{n}. {ctx['transfer']}")
    if ctx["kind"] == "uchastie" and ctx["programs"]:
        add_table(doc, ["Программа наставничества", "Роль", "Начало", "Завершение (план)"],
                  [[r["program"], r["role"], r["starts_on"], r["ends_on"]]
                   for r in ctx["programs"]])
    n += 1
    _text(doc, f"{n}. {ctx['term']}")
    n += 1
    _text(doc, f"{n}. {ctx['withdrawal']}")
    _sign(doc, ctx)
    paragraph(doc, "")
    par = doc.add_paragraph()
    par.add_run(f"Оператор: {ctx['operator']['name']}. Бланк подготовлен в разделе "
                f"«Наставничество» {ctx['generated_on']}.").font.size = Pt(9)
    return doc
