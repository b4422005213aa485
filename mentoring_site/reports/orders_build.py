"""The built-in orders and protocols (python-docx), drawn from ``orders.order_context``.

The usual form of a school's order: the school's name, «ПРИКАЗ», the date and number lines
left blank for the office, «О …», the preamble with the legal bases, «ПРИКАЗЫВАЮ:», numbered
points, the director's signature line and «С приказом ознакомлены:». Lines the curator must
check before signing (a consent not registered) come last, under their own heading.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm

from .docx_build import Document, add_table, new_document, paragraph

SIGN = "____________________ / ____________________ /"
CONSENT_NOTE = (
    "Графа «Письменное согласие» заполнена по письменным согласиям участников на участие в "
    "программе, отмеченным в разделе «Наставничество» (дата подписания). Где согласие не "
    "зарегистрировано, написано «не зарегистрировано — проверить»: такой участник "
    "закрепляется только после того, как его письменное согласие получено.")


def _text(doc: Document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    par = doc.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        par.paragraph_format.first_line_indent = Cm(1.25)
    par.add_run(text).bold = bold


def _two_sides(doc: Document, left: str, right: str) -> None:
    """One line with text at both margins (the date and the number of a document)."""
    par = doc.add_paragraph()
    par.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
    par.add_run(f"{left}\t{right}")


def _heading(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, ctx["school"], bold=True, center=True)
    if ctx["document"] == "ПРИКАЗ":
        paragraph(doc, "ПРИКАЗ", bold=True, center=True)
        _two_sides(doc, ctx["date_blank"], "№ ________")
        paragraph(doc, ctx["title"], bold=True)
    else:
        paragraph(doc, "ПРОТОКОЛ № ________", bold=True, center=True)
        paragraph(doc, "заседания педагогического совета", center=True)
        _two_sides(doc, ctx["date_blank"], "")


def _points(doc: Document, ctx: dict[str, Any]) -> None:
    for p in ctx["points"]:
        _text(doc, f"{p['n']}. {p['text']}")
        for k, sub in enumerate(p["sub"], 1):
            _text(doc, f"{p['n']}.{k}. {sub}")


def _tail(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, "")
    _two_sides(doc, "Директор", SIGN)
    paragraph(doc, "")
    paragraph(doc, "С приказом ознакомлены:", bold=True)
    rows = [[p["name"], p["position"], "", ""] for p in ctx["acquainted"]]
    rows += [["", "", "", ""] for _ in range(3)]
    add_table(doc, ["ФИО", "Должность", "Подпись", "Дата"], rows)
    _checks(doc, ctx)


def _checks(doc: Document, ctx: dict[str, Any]) -> None:
    if ctx["checks"]:
        paragraph(doc, "Перед подписанием проверить (удалите этот раздел после проверки):",
                  bold=True)
        for line in ctx["checks"]:
            _text(doc, "— " + line, indent=False)


def _participants_table(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, "Состав наставнических пар (групп)", bold=True, center=True)
    rows = []
    for n, r in enumerate(ctx["programs"], 1):
        for p in (*r["mentors"], *r["mentees"]):
            rows.append([str(n), r["title"], p["role"], p["name"], p["position"] or p["kind"],
                         p["consent_text"]])
    add_table(doc, ["№", "Программа", "Роль", "ФИО", "Должность / категория",
                    "Письменное согласие"], rows)
    _text(doc, CONSENT_NOTE, indent=False)


def _mentors_table(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, "База наставников", bold=True, center=True)
    if not ctx["mentors"]:
        paragraph(doc, "В базе наставников раздела пока никого нет: впишите наставников.")
        add_table(doc, ["№", "ФИО", "Должность", "Письменное согласие"],
                  [[str(n), "", "", ""] for n in range(1, 4)])
        return
    add_table(doc, ["№", "ФИО", "Должность", "Письменное согласие"],
              [[str(n), m["name"], m["position"], m["consent_text"]]
               for n, m in enumerate(ctx["mentors"], 1)])
    _text(doc, CONSENT_NOTE, indent=False)


def _results_table(doc: Document, ctx: dict[str, Any]) -> None:
    paragraph(doc, "Итоги программ", bold=True, center=True)
    rows = []
    for r in ctx["programs"]:
        p, t = r["program"], r["tally"]
        pct = "—" if t["percent_done"] is None else f"{t['percent_done']} %"
        rows.append([p["title"], f"{p['starts_on']} – {p['planned_end_on']}", p["ended_on"],
                     p["early_end_reason"] or "по плану", str(t["total"]), str(t["done"]),
                     str(t["not_done"]), pct])
    add_table(doc, ["Программа", "Срок", "Завершена", "Основание завершения",
                    "Мероприятий плана", "Выполнено", "Не выполнено", "Выполнение плана"], rows)


def _year_table(doc: Document, ctx: dict[str, Any]) -> None:
    if not ctx["programs"]:
        return
    paragraph(doc, f"Программы наставничества, завершённые в {ctx['year']} учебном году",
              bold=True, center=True)
    add_table(doc, ["Программа", "Наставник", "Наставляемые", "Завершена", "Выполнение плана"],
              [[r["title"], ", ".join(m["name"] for m in r["mentors"]),
                ", ".join(m["name"] for m in r["mentees"]), r["ended_on"],
                "—" if r["percent_done"] is None else f"{r['percent_done']} %"]
               for r in ctx["programs"]])


_APPENDIX = {"pary": _participants_table, "kurator": _mentors_table,
             "zavershenie": _results_table, "itog": _year_table}


def build_order_docx(ctx: dict[str, Any]) -> Document:
    """A built-in order (or, for the protocols, the council's protocol)."""
    doc = new_document()
    _heading(doc, ctx)
    if ctx["document"] != "ПРИКАЗ":
        _protocol(doc, ctx)
        return doc
    _text(doc, ctx["preamble"])
    paragraph(doc, "ПРИКАЗЫВАЮ:", bold=True)
    _points(doc, ctx)
    appendix = _APPENDIX.get(ctx["kind"])
    if appendix is not None:
        appendix(doc, ctx)
    _tail(doc, ctx)
    return doc


def _protocol(doc: Document, ctx: dict[str, Any]) -> None:
    for line in ("Председатель: ____________________", "Секретарь: ____________________",
                 "Присутствовали: ______ чел. (список прилагается). Отсутствовали: ______ чел."):
        _text(doc, line, indent=False)
    paragraph(doc, "ПОВЕСТКА ДНЯ:", bold=True)
    for n, item in enumerate(ctx["agenda"], 1):
        _text(doc, f"{n}. {item}.")
    paragraph(doc, "СЛУШАЛИ:", bold=True)
    for line in ctx["heard"]:
        _text(doc, line)
    paragraph(doc, "ВЫСТУПИЛИ:", bold=True)
    _text(doc, "____________________ (ФИО, должность) — ____________________________________")
    paragraph(doc, "ГОЛОСОВАЛИ:", bold=True)
    _text(doc, "«за» — ______, «против» — ______, «воздержались» — ______.")
    paragraph(doc, "РЕШИЛИ:", bold=True)
    for n, item in enumerate(ctx["decision"], 1):
        _text(doc, f"{n}. {item}")
    paragraph(doc, "")
    _two_sides(doc, "Председатель педагогического совета", SIGN)
    _two_sides(doc, "Секретарь", SIGN)
