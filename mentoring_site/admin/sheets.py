"""The effectiveness sheet as data the school edits: the answer scale, criteria and
indicators (titles, order, added, removed), and the levels with their thresholds.

What may change once scores use the sheet is ``monitoring.sheet_edit``'s rule (wording,
order and thresholds always; the structure only on an unused sheet; nothing a score refers
to is removed). Each action goes through ``crud.run_action`` (``editing.change_record``:
journal, commit, signals); a refusal shows the page again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request

from ..db import session
from ..models import Sheet
from ..monitoring import MonitoringError, sheet_edit
from ..monitoring import sheet as sheet_rules
from . import blueprint as bp
from .crud import Kind, register, run_action
from .forms_base import with_ids
from .forms_monitoring import (
    AnswerAddForm,
    AnswerRemoveForm,
    CriterionForm,
    CriterionRemoveForm,
    IndicatorForm,
    IndicatorRemoveForm,
    LevelsForm,
    ScaleForm,
    SheetForm,
    StructureForm,
)
from .guard import requires


def _choices(form, sheet: Sheet | None):
    """The select lists of the sheet's small forms, from the sheet itself."""
    criteria = [(c.id, c.title) for c in sheet.criteria] if sheet else []
    if "criterion_id" in form:
        form.criterion_id.choices = criteria
    if "indicator_id" in form:
        form.indicator_id.choices = [(i.id, f"{i.title} ({i.criterion.title})")
                                     for i in sheet.indicators] if sheet else []
    if "answer_id" in form:
        form.answer_id.choices = [(a.id, f"{a.label} — {a.points}")
                                  for a in sheet.answers] if sheet else []
    return form


def _context(sess, sheet: Sheet, **forms) -> dict:
    def form(key: str, cls):
        return with_ids(_choices(forms.get(key) or cls(formdata=None), sheet), key)

    refused = next((k for k in forms if k != "error"), None)
    levels = forms.get("levels")
    return {
        "used": sheet_edit.used(sess, sheet),
        "max_total": sheet_rules.max_total(sheet),
        "levels_problem": (None if levels is not None else
                           " ".join(dict.fromkeys(m for _, _, m in
                                                  sheet_rules.level_problems(sheet)))),
        "refused": refused,
        "typed": getattr(forms.get(refused or ""), "typed", None) or {},
        "field_errors": getattr(levels, "field_errors", {}),
        "criterion_form": form("criterion", CriterionForm),
        "indicator_form": form("indicator", IndicatorForm),
        "answer_form": form("answer", AnswerAddForm),
        "criterion_remove_form": form("criterion_remove", CriterionRemoveForm),
        "indicator_remove_form": form("indicator_remove", IndicatorRemoveForm),
        "answer_remove_form": form("answer_remove", AnswerRemoveForm),
        "plain_form": LevelsForm(formdata=None),
        "action_error": forms.get("error"),
    }


SHEETS = register(Kind(
    name="sheet", url="listy-ocenki", model=Sheet, form=SheetForm,
    plural="Листы оценки эффективности", singular="лист оценки",
    columns=[("Лист", lambda o: o.name), ("Действующий", lambda o: "да" if o.active else "")],
    order_by=(Sheet.id,), slug_source=None, search=(Sheet.name,),
    template="mentoring/admin/sheet.html", context=_context,
    delete_problem=lambda sess, s: ("По этому листу уже поставлены оценки: его нельзя удалить, "
                                    "снимите отметку «Действующий»." if sheet_edit.used(sess, s)
                                    else None),
))


def _typed(*prefixes: str) -> dict[str, str]:
    """The inputs of a form of many rows (``name<id>``...), as typed, by their names."""
    return {k: v for k, v in request.form.items()
            if any(k.startswith(p) and k[len(p):].isascii() and k[len(p):].isdigit()
                   for p in prefixes)}


def _action(obj_id: int, form, key: str, do: Callable, done: str, prefixes=()):
    _choices(form, session().get(Sheet, obj_id))
    form.typed = _typed(*prefixes) if prefixes else {}
    return run_action(SHEETS, obj_id, form, key, do, done)


def _ids(typed: dict[str, str], prefix: str) -> dict[int, str]:
    return {int(k[len(prefix):]): v for k, v in typed.items() if k.startswith(prefix)}


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/kriterii/")
@requires()
def sheet_criterion_add(obj_id: int):
    def do(sess, sheet, form):
        criterion = sheet_edit.add_criterion(sess, sheet, form.title.data)
        return f"добавлен критерий «{criterion.title}»"

    return _action(obj_id, CriterionForm(), "criterion", do, "Критерий добавлен.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/pokazateli/")
@requires()
def sheet_indicator_add(obj_id: int):
    def do(sess, sheet, form):
        indicator = sheet_edit.add_indicator(sess, sheet, form.criterion_id.data, form.title.data)
        return f"добавлен показатель «{indicator.title}»"

    return _action(obj_id, IndicatorForm(), "indicator", do,
                   "Показатель добавлен. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/struktura/")
@requires()
def sheet_structure(obj_id: int):
    def do(sess, sheet, form):
        titles = {k: v for k, v in form.typed.items() if k[0] in "ci"}
        order: dict[str, int] = {}
        for k, v in form.typed.items():
            if k[0] == "s":
                number = sheet_rules.parse_int(v, limit=10_000)
                if number is None:
                    raise MonitoringError("Порядок — целое число от −10000 до 10000, "
                                          f"а не «{v[:20]}».")
                order[k[1:]] = number
        sheet_edit.set_structure(sheet, titles, order)
        return "переименованы и упорядочены критерии и показатели"

    return _action(obj_id, StructureForm(), "structure", do,
                   "Критерии и показатели сохранены.", prefixes=("c", "i", "sc", "si"))


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/kriterii/udalit/")
@requires()
def sheet_criterion_remove(obj_id: int):
    def do(sess, sheet, form):
        criterion = sheet_edit.remove_criterion(sess, sheet, form.criterion_id.data)
        return f"удалён критерий «{criterion.title}»"

    return _action(obj_id, CriterionRemoveForm(), "criterion_remove", do,
                   "Критерий удалён. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/pokazateli/udalit/")
@requires()
def sheet_indicator_remove(obj_id: int):
    def do(sess, sheet, form):
        indicator = sheet_edit.remove_indicator(sess, sheet, form.indicator_id.data)
        return f"удалён показатель «{indicator.title}»"

    return _action(obj_id, IndicatorRemoveForm(), "indicator_remove", do,
                   "Показатель удалён. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/shkala/")
@requires()
def sheet_scale(obj_id: int):
    def do(sess, sheet, form):
        sheet_edit.set_scale(sess, sheet, _ids(form.typed, "label"), _ids(form.typed, "points"))
        return "шкала ответов: " + "; ".join(f"{a.label} — {a.points}" for a in sheet.answers)

    return _action(obj_id, ScaleForm(), "scale", do, "Шкала ответов сохранена.",
                   prefixes=("label", "points"))


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/shkala/dobavit/")
@requires()
def sheet_answer_add(obj_id: int):
    def do(sess, sheet, form):
        answer = sheet_edit.add_answer(sess, sheet, form.label.data, form.points.data)
        return f"в шкалу добавлен ответ «{answer.label}» — {answer.points}"

    return _action(obj_id, AnswerAddForm(), "answer", do,
                   "Ответ добавлен в шкалу. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/shkala/udalit/")
@requires()
def sheet_answer_remove(obj_id: int):
    def do(sess, sheet, form):
        answer = sheet_edit.remove_answer(sess, sheet, form.answer_id.data)
        return f"из шкалы удалён ответ «{answer.label}»"

    return _action(obj_id, AnswerRemoveForm(), "answer_remove", do,
                   "Ответ удалён из шкалы. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<mentoring_id:obj_id>/urovni/")
@requires()
def sheet_levels(obj_id: int):
    def do(sess, sheet, form):
        try:
            sheet_edit.set_levels(sheet, form.typed)
        except sheet_rules.LevelsRefused as exc:  # each message goes to its field
            form.field_errors = {f"{field}{lv.id if lv else ''}": msg
                                 for lv, field, msg in exc.problems}
            raise
        return "границы уровней: " + "; ".join(
            f"{lv.name} {lv.min_total}–{lv.max_total}" for lv in sheet.levels)

    return _action(obj_id, LevelsForm(), "levels", do, "Границы уровней сохранены.",
                   prefixes=("name", "min", "max"))
