"""Plan templates: the named plans a curator copies into a new programme, with their items
(stage, form of work, title, responsible, due offset) added, edited, moved and removed.

The template's name and description save through the generic screens
(``editing.save_record``); each item action is the template's change
(``editing.change_record``: journal, commit, signals). A programme made from a template
keeps its own copy of the items, so editing a template never changes a running plan.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import editing
from ..db import session
from ..models import PlanStage, PlanTemplate, PlanTemplateItem, WorkForm
from ..monitoring import MonitoringError, plan
from ..queries import admin_monitoring as choices
from . import blueprint as bp
from .crud import Kind, form_refusal, owned_or_404, register, run_action
from .forms import ConfirmForm
from .forms_base import with_ids
from .forms_monitoring import NO_CHOICE, PlanTemplateForm, TemplateItemForm
from .guard import requires


def _item_form(sess, form=None, item: PlanTemplateItem | None = None):
    if form is None:
        form = TemplateItemForm(formdata=None) if item is None else TemplateItemForm(
            formdata=None, title=item.title, stage=item.stage.value,
            work_form_id=item.work_form_id or NO_CHOICE, responsible=item.responsible,
            due_offset_days=item.due_offset_days)
    form.work_form_id.choices = choices.work_form_choices(sess)
    return form


def _context(sess, template: PlanTemplate, **forms) -> dict:
    return {
        "item_form": with_ids(_item_form(sess, forms.get("item")), "item"),
        "confirm_form": ConfirmForm(formdata=None),
        "action_error": forms.get("error"),
    }


def _name_problems(sess, template: PlanTemplate) -> list[tuple[str, str]]:
    problem = plan.template_name_problem(sess, template)
    return [("name", problem)] if problem else []


PLAN_TEMPLATES = register(Kind(
    name="plan_template", url="shablony-plana", model=PlanTemplate, form=PlanTemplateForm,
    plural="Шаблоны планов", singular="шаблон плана",
    columns=[("Шаблон", lambda o: o.name), ("Мероприятий", lambda o: len(o.items))],
    order_by=(PlanTemplate.name, PlanTemplate.id), slug_source=None,
    search=(PlanTemplate.name,), template="mentoring/admin/plan_template.html",
    context=_context,
    problems=lambda sess, t: _name_problems(sess, t),
))


def _work_form(sess, form) -> WorkForm | None:
    chosen = form.work_form_id.data
    if not chosen or chosen == NO_CHOICE:
        return None
    found = sess.get(WorkForm, chosen)
    if found is None:
        raise MonitoringError("Такой формы работы нет в списке: обновите страницу.")
    return found


def _values(sess, form) -> dict:
    return {"stage": PlanStage(form.stage.data), "work_form": _work_form(sess, form),
            "responsible": form.responsible.data or "",
            "due_offset_days": form.due_offset_days.data}


def _action(obj_id: int, form, key: str, do: Callable, done: str):
    if "work_form_id" in form:
        _item_form(session(), form)
    return run_action(PLAN_TEMPLATES, obj_id, form, key, do, done)


@bp.post("/shablony-plana/<mentoring_id:obj_id>/punkty/")
@requires()
def plan_template_item_add(obj_id: int):
    def do(sess, template, form):
        item = plan.add_template_item(template, form.title.data, **_values(sess, form))
        return f"в шаблон добавлено «{item.title}»"

    return _action(obj_id, TemplateItemForm(), "item", do, "Мероприятие добавлено в шаблон.")


def _move(obj_id: int, item_id: int, step: int):
    def do(sess, template, _form):
        item = plan.move_template_item(template, item_id, step)
        return f"«{item.title}» {'выше' if step < 0 else 'ниже'} в шаблоне"

    return _action(obj_id, ConfirmForm(), "confirm", do, "Порядок мероприятий изменён.")


@bp.post("/shablony-plana/<mentoring_id:obj_id>/punkty/<mentoring_id:item_id>/vyshe/")
@requires()
def plan_template_item_up(obj_id: int, item_id: int):
    return _move(obj_id, item_id, -1)


@bp.post("/shablony-plana/<mentoring_id:obj_id>/punkty/<mentoring_id:item_id>/nizhe/")
@requires()
def plan_template_item_down(obj_id: int, item_id: int):
    return _move(obj_id, item_id, +1)


@bp.post("/shablony-plana/<mentoring_id:obj_id>/punkty/<mentoring_id:item_id>/udalit/")
@requires()
def plan_template_item_remove(obj_id: int, item_id: int):
    def do(sess, template, _form):
        item = plan.remove_template_item(template, item_id)
        return f"из шаблона убрано «{item.title}»"

    return _action(obj_id, ConfirmForm(), "confirm", do, "Мероприятие убрано из шаблона.")


@bp.route("/shablony-plana/<mentoring_id:obj_id>/punkty/<mentoring_id:item_id>/",
          methods=["GET", "POST"])
@requires()
def plan_template_item_edit(obj_id: int, item_id: int):
    """One item of a template on a page of its own: its stage, form, title, responsible
    and due offset."""
    item = owned_or_404(PlanTemplateItem, item_id, "template_id", obj_id)
    sess = session()
    form = _item_form(sess, TemplateItemForm() if request.method == "POST" else None, item)
    message, status = None, 200
    if request.method == "POST":
        if not form.validate():
            message, status = form_refusal(form)
        elif (message := _save_item(obj_id, item_id, form)) is None:
            flash("Мероприятие шаблона изменено.", "ok")
            return redirect(url_for("mentoring_admin.plan_template_edit", obj_id=obj_id,
                                    _anchor=f"template-item-{item_id}"))
        else:
            item = sess.get(PlanTemplateItem, item_id) or abort(404)
    return render_template("mentoring/admin/plan_template_item.html", kind=PLAN_TEMPLATES,
                           template=sess.get(PlanTemplate, obj_id), item=item, form=form,
                           message=message), status


def _save_item(obj_id: int, item_id: int, form) -> str | None:
    """Down the save path as the template's change; the refusal's message, or None."""
    def change(sess, template) -> str:
        found = plan.template_item(template, item_id)
        plan.edit_template_item(found, form.title.data, **_values(sess, form))
        return f"изменено мероприятие шаблона «{found.title}»"

    try:
        editing.change_record(session(), PLAN_TEMPLATES.record, obj_id, change,
                              actor=g.mentoring_editor.label)
    except editing.EditError as exc:
        session().rollback()
        return str(exc)
    return None
