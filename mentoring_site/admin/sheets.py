"""The effectiveness sheet as data the school edits: criteria, indicators, and the levels
with their thresholds (checked by ``monitoring.sheet.check_levels``).

A sheet already used for scores keeps its criteria and indicators (a changed sheet could no
longer be compared with the scores made on it); its level thresholds may still move, and the
levels of those scores follow.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from ..db import session
from ..models import Assessment, Criterion, Indicator, Sheet
from ..monitoring import MonitoringError
from ..monitoring import sheet as sheet_rules
from . import blueprint as bp
from .crud import Kind, register, run_action
from .forms_base import with_ids
from .forms_monitoring import CriterionForm, IndicatorForm, LevelsForm, SheetForm
from .guard import requires


def _used(sess, sheet: Sheet) -> bool:
    return sess.scalar(sa.select(Assessment.id).where(Assessment.sheet_id == sheet.id)
                       .limit(1)) is not None


def _context(sess, sheet: Sheet, **forms) -> dict:
    indicator = forms.get("indicator") or IndicatorForm(formdata=None)
    indicator.criterion_id.choices = [(c.id, c.title) for c in sheet.criteria]
    try:
        sheet_rules.check_levels(sheet)
        levels_problem = None
    except MonitoringError as exc:
        levels_problem = str(exc)
    return {
        "used": _used(sess, sheet),
        "max_total": sheet_rules.max_total(sheet),
        "levels_problem": levels_problem,
        "levels_typed": getattr(forms.get("levels"), "typed", None) or {},
        "levels_form": forms.get("levels") or LevelsForm(formdata=None),
        "criterion_form": with_ids(forms.get("criterion") or CriterionForm(formdata=None),
                                   "criterion"),
        "indicator_form": with_ids(indicator, "indicator"),
        "action_error": forms.get("error"),
    }


SHEETS = register(Kind(
    name="sheet", url="listy-ocenki", model=Sheet, form=SheetForm,
    plural="Листы оценки эффективности", singular="лист оценки",
    columns=[("Лист", lambda o: o.name), ("Действующий", lambda o: "да" if o.active else "")],
    order_by=(Sheet.id,), slug_source=None, search=(Sheet.name,),
    template="mentoring/admin/sheet.html", context=_context,
    delete_problem=lambda sess, s: ("По этому листу уже поставлены оценки: его нельзя удалить, "
                                    "снимите отметку «Действующий»." if _used(sess, s) else None),
))


def _structure_open(sess, sheet: Sheet) -> None:
    if _used(sess, sheet):
        raise MonitoringError("По этому листу уже поставлены оценки: его критерии и показатели "
                              "не меняются. Создайте новый лист.")


@bp.post("/listy-ocenki/<int:obj_id>/kriterii/")
@requires()
def sheet_criterion_add(obj_id: int):
    def do(sess, sheet, form):
        _structure_open(sess, sheet)
        sheet.criteria.append(Criterion(title=form.title.data.strip(),
                                        sort=len(sheet.criteria) + 1))
        return f"добавлен критерий «{form.title.data.strip()}»"

    return run_action(SHEETS, obj_id, CriterionForm(), "criterion", do, "Критерий добавлен.")


@bp.post("/listy-ocenki/<int:obj_id>/pokazateli/")
@requires()
def sheet_indicator_add(obj_id: int):
    form = IndicatorForm()
    sheet = session().get(Sheet, obj_id)
    form.criterion_id.choices = [(c.id, c.title) for c in sheet.criteria] if sheet else []

    def do(sess, sheet, form):
        _structure_open(sess, sheet)
        criterion = next(c for c in sheet.criteria if c.id == form.criterion_id.data)
        criterion.indicators.append(Indicator(title=form.title.data.strip(),
                                              sort=len(criterion.indicators) + 1))
        return f"добавлен показатель «{form.title.data.strip()}»"

    return run_action(SHEETS, obj_id, form, "indicator", do,
                      "Показатель добавлен. Проверьте границы уровней.")


@bp.post("/listy-ocenki/<int:obj_id>/urovni/")
@requires()
def sheet_levels(obj_id: int):
    form = LevelsForm()
    form.typed = {k: v for k, v in request.form.items() if k[:3] in ("nam", "min", "max")}

    def do(sess, sheet, form):
        for lv in sheet.levels:
            name = form.typed.get(f"name{lv.id}", lv.name).strip()
            try:
                lo = int(form.typed.get(f"min{lv.id}", ""))
                hi = int(form.typed.get(f"max{lv.id}", ""))
            except ValueError:
                raise MonitoringError(
                    f"Уровень «{lv.name}»: границы — целые числа баллов.") from None
            if not name:
                raise MonitoringError("У каждого уровня должно быть название.")
            lv.name, lv.min_total, lv.max_total = name, lo, hi
        sheet_rules.check_levels(sheet)
        return "границы уровней: " + "; ".join(
            f"{lv.name} {lv.min_total}–{lv.max_total}" for lv in sheet.levels)

    return run_action(SHEETS, obj_id, form, "levels", do, "Границы уровней сохранены.")
