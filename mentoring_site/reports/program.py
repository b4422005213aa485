"""The справка-отчёт of one programme (regional order: «% выполненных мероприятий,
результат; % не выполненных мероприятий, причина; общие выводы»).

Why a context of plain values: the same dictionary feeds the built-in document (made here
with python-docx) and a school's own template (docxtpl, Jinja tags), so the README documents
one set of names and both documents say the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from babel.dates import format_date
from sqlalchemy.orm import Session

from ..models import Program, Role
from ..monitoring import assessments, plan
from . import ReportError
from .docx_build import Document, add_table, new_document, paragraph


def ru_date(value: date | None) -> str:
    return format_date(value, format="dd.MM.yyyy", locale="ru") if value else ""


def find_program(sess: Session, slug: str) -> Program:
    program = sess.scalars(sa.select(Program).where(Program.slug == slug)).first()
    if program is None:
        raise ReportError(f"Программа «{slug}» не найдена.")
    return program


def _person(part) -> dict[str, str]:
    person = part.person
    return {"name": person.full_name, "position": person.position, "kind": person.kind.label}


def program_context(sess: Session, program: Program, *, school: str,
                    today: date) -> dict[str, Any]:
    """Everything the справка-отчёт says, as strings, numbers and lists (see README)."""
    tally = plan.tally(program)
    stages: list[dict[str, Any]] = []
    n = 0
    for stage, events in plan.by_stage(program):
        rows = []
        for e in events:
            n += 1
            rows.append({
                "n": n, "title": e.title, "stage": stage.label if stage else "Без этапа",
                "work_form": e.work_form.name if e.work_form else "",
                "responsible": e.responsible, "due_on": ru_date(e.due_on),
                "outcome": e.outcome.label, "done_on": ru_date(e.done_on),
                "result": e.result, "reason": e.not_done_reason,
            })
        stages.append({"title": stage.label if stage else "Без этапа", "events": rows})
    items = [e for s in stages for e in s["events"]]
    scores = []
    for row in assessments.program_scores(sess, program):
        ch = row.change
        scores.append({
            "who": row.person.full_name if row.person else "Группа в целом",
            "entry_on": ru_date(row.entry.scored_on if row.entry else None),
            "entry_total": ch.before, "entry_level": ch.level_before or "",
            "final_on": ru_date(row.final.scored_on if row.final else None),
            "final_total": ch.after, "final_level": ch.level_after or "",
            "change": ch.delta,
        })
    return {
        "school": school,
        "generated_on": ru_date(today),
        "program": {
            "title": program.title, "slug": program.slug, "form": program.form.name,
            "target_group": program.form.target_group.label, "type": program.type.label,
            "status": program.status.label, "directions": [d.name for d in program.directions],
            "goal": program.goal, "is_group": program.is_group,
            "starts_on": ru_date(program.starts_on),
            "initial_end_on": ru_date(program.initial_end_on),
            "planned_end_on": ru_date(program.planned_end_on),
            "ended_on": ru_date(program.ended_on),
            "early_end_reason": program.early_end_reason.label
            if program.early_end_reason else "",
            "early_end_note": program.early_end_note,
            "order_number": program.order_number, "order_date": ru_date(program.order_date),
            "results": program.results, "conclusions": program.conclusions,
        },
        "extensions": [{"decided_on": ru_date(x.decided_on),
                        "previous_end_on": ru_date(x.previous_end_on),
                        "new_end_on": ru_date(x.new_end_on), "reason": x.reason}
                       for x in program.extensions],
        "mentors": [_person(p) for p in program.participations if p.role is Role.MENTOR],
        "mentees": [_person(p) for p in program.participations if p.role is Role.MENTEE],
        "stages": stages,
        "tally": {"total": tally.total, "done": tally.done, "not_done": tally.not_done,
                  "open": tally.open, "percent_done": tally.percent_done,
                  "percent_not_done": tally.percent_not_done},
        "done": [{"title": e["title"], "result": e["result"]} for e in items
                 if e["done_on"]],
        "not_done": [{"title": e["title"], "reason": e["reason"]} for e in items
                     if e["reason"]],
        "scores": scores,
    }


def _num(value: int | None) -> str:
    return "—" if value is None else str(value)


def _pct(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def build_program_docx(ctx: dict[str, Any]) -> Document:
    """The built-in справка-отчёт: headings, a passport table, the plan, the figures."""
    p = ctx["program"]
    doc = new_document()
    paragraph(doc, ctx["school"], center=True)
    doc.add_heading("Справка-отчёт о реализации программы наставничества", level=0)
    paragraph(doc, f"«{p['title']}»", bold=True, center=True)

    doc.add_heading("1. Сведения о программе", level=1)
    term = f"{p['starts_on']} – {p['initial_end_on']}"
    order = " от ".join(x for x in (f"№ {p['order_number']}" if p["order_number"] else "",
                                     p["order_date"]) if x)
    early = "; ".join(x for x in (p["early_end_reason"], p["early_end_note"]) if x)
    ended = p["ended_on"] + (f" (досрочно: {early})" if p["early_end_reason"] else "")
    add_table(doc, ["Показатель", "Значение"], [
        ["Форма наставничества", p["form"]],
        ["Целевая группа", p["target_group"]],
        ["Вид наставничества", p["type"]],
        ["Пара или группа", "группа" if p["is_group"] else "пара"],
        ["Направления", "; ".join(p["directions"]) or "—"],
        ["Статус", p["status"]],
        ["Срок по программе", term],
        ["Срок с учётом продлений", f"{p['starts_on']} – {p['planned_end_on']}"],
        ["Дата завершения", ended or "—"],
        ["Приказ о закреплении", order or "—"],
    ])
    if ctx["extensions"]:
        paragraph(doc, "Продления срока:", bold=True)
        add_table(doc, ["Дата решения", "Прежний срок", "Новый срок", "Причина"],
                  [[x["decided_on"], x["previous_end_on"], x["new_end_on"], x["reason"]]
                   for x in ctx["extensions"]])

    doc.add_heading("2. Участники", level=1)
    people = ([["Наставник", m["name"], m["position"]] for m in ctx["mentors"]]
              + [["Наставляемый", m["name"], m["position"] or m["kind"]]
                 for m in ctx["mentees"]])
    add_table(doc, ["Роль", "ФИО", "Должность / категория"], people)

    doc.add_heading("3. План мероприятий", level=1)
    rows = [[str(e["n"]), e["stage"], e["title"], e["work_form"], e["responsible"],
             e["due_on"], e["outcome"], e["result"] or e["reason"]]
            for s in ctx["stages"] for e in s["events"]]
    add_table(doc, ["№", "Этап", "Мероприятие", "Форма работы", "Ответственные", "Срок",
                    "Отметка о выполнении", "Результат / причина"], rows)

    t = ctx["tally"]
    doc.add_heading("4. Выполнение плана", level=1)
    add_table(doc, ["Показатель", "Мероприятий", "%"], [
        ["Всего мероприятий", str(t["total"]), "100 %" if t["total"] else "—"],
        ["Выполнено", str(t["done"]), _pct(t["percent_done"])],
        ["Не выполнено", str(t["not_done"]), _pct(t["percent_not_done"])],
        ["Не отмечено", str(t["open"]), "—"],
    ])
    if ctx["not_done"]:
        paragraph(doc, "Не выполненные мероприятия и причины:", bold=True)
        add_table(doc, ["Мероприятие", "Причина"],
                  [[e["title"], e["reason"]] for e in ctx["not_done"]])

    doc.add_heading("5. Эффективность (лист оценки)", level=1)
    if ctx["scores"]:
        add_table(doc, ["Наставляемый (группа)", "На входе, баллы", "Уровень на входе",
                        "По итогам, баллы", "Уровень по итогам", "Изменение"],
                  [[s["who"], _num(s["entry_total"]), s["entry_level"] or "—",
                    _num(s["final_total"]), s["final_level"] or "—", _num(s["change"])]
                   for s in ctx["scores"]])
    else:
        paragraph(doc, "Оценка эффективности не проводилась.")

    doc.add_heading("6. Результаты и общие выводы", level=1)
    if p["results"]:
        paragraph(doc, p["results"])
    paragraph(doc, p["conclusions"] or "Выводы не внесены.")
    paragraph(doc, f"Дата составления: {ctx['generated_on']}")
    return doc
