"""The programme page's monitoring: the plan by stage with each item's outcome, plan
templates, and the effectiveness sheet scored «на входе» and «по итогам».

Views only parse the form and call one domain function of ``monitoring`` inside
``crud.run_action`` (so ``editing.change_record`` checks, journals, commits and signals);
a refusal shows the page again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request

from .. import clock
from ..db import session
from ..models import AssessmentStage, PlanOutcome, PlanStage, PlanTemplate, Program, WorkForm
from ..monitoring import MonitoringError, assessments, plan
from ..queries import admin_monitoring as choices
from . import blueprint as bp
from .crud import run_action
from .forms_base import with_ids
from .forms_monitoring import (
    NO_CHOICE,
    DoneForm,
    NotDoneForm,
    PlanEventForm,
    ScoreForm,
    TemplateForm,
)
from .guard import requires

ANSWER_PREFIX = "i"


def _prepare(form, sess, program: Program | None):
    if "work_form_id" in form:
        form.work_form_id.choices = choices.work_form_choices(sess)
    if "template_id" in form:
        form.template_id.choices = choices.plan_template_choices(sess)
    if "person_id" in form and program is not None:
        form.person_id.choices = choices.mentee_choices(program)
    return form


def _typed_answers() -> dict[str, str]:
    return {k: v for k, v in request.form.items()
            if k.startswith(ANSWER_PREFIX) and k[1:].isdigit()}


def context(sess, program: Program, forms: dict) -> dict:
    """What the programme page shows of monitoring; ``forms`` holds a refused form."""
    today = clock.today()
    refused = forms.get("error") is not None

    def kept(key: str, event_id: int, make: Callable):
        form = forms.get(key)
        if form is not None and getattr(form, "event_id", None) == event_id:
            return with_ids(form, f"{key}{event_id}")
        return with_ids(make(), f"{key}{event_id}")

    try:
        sheet = assessments.active_sheet(sess)
    except MonitoringError:
        sheet = None
    rows = assessments.program_scores(sess, program)
    if rows and rows[0].entry is not None:
        sheet = rows[0].entry.sheet  # the result is scored on the baseline's sheet
    score_form = forms.get("score") or ScoreForm(formdata=None, scored_on=today)
    event_form = forms.get("event") or PlanEventForm(formdata=None)
    template_form = forms.get("template") or TemplateForm(formdata=None)
    return {
        "event_form": with_ids(_prepare(event_form, sess, program), "event"),
        "template_form": with_ids(_prepare(template_form, sess, program), "template"),
        "done_forms": {e.id: kept("done", e.id, lambda: DoneForm(formdata=None, done_on=today))
                       for e in program.events},
        "not_done_forms": {e.id: kept("notdone", e.id, lambda: NotDoneForm(formdata=None))
                           for e in program.events},
        "stages": [(stage, events, plan.tally_of(events))
                   for stage, events in plan.by_stage(program)],
        "tally": plan.tally(program),
        "open_items": [e for e in program.events if e.outcome is PlanOutcome.OPEN],
        "score_form": with_ids(_prepare(score_form, sess, program), "score"),
        "score_typed": getattr(score_form, "typed", {}),
        "score_error": forms.get("error") if refused and "score" in forms else None,
        "score_rows": rows,
        "sheet": sheet,
    }


def _action(obj_id: int, form_cls, key: str, do: Callable, done: str, event_id=None):
    from .programs import PROGRAMS

    sess = session()
    form = _prepare(form_cls(), sess, sess.get(Program, obj_id))
    form.event_id = event_id
    form.typed = _typed_answers() if key == "score" else {}
    return run_action(PROGRAMS, obj_id, form, key, do, done)


def _event(program: Program, event_id: int):
    event = next((e for e in program.events if e.id == event_id), None)
    if event is None:
        raise MonitoringError("Такого мероприятия в плане нет.")
    return event


@bp.post("/programmy/<int:obj_id>/plan/")
@requires()
def program_event_add(obj_id: int):
    def do(sess, program, form):
        work_form = (sess.get(WorkForm, form.work_form_id.data)
                     if form.work_form_id.data != NO_CHOICE else None)
        event = plan.add_event(
            program, form.title.data, stage=PlanStage(form.stage.data) if form.stage.data else None,
            work_form=work_form, responsible=form.responsible.data or "",
            due_on=form.due_on.data)
        return f"в план добавлено «{event.title}»"

    return _action(obj_id, PlanEventForm, "event", do, "Мероприятие добавлено в план.")


@bp.post("/programmy/<int:obj_id>/plan/<int:event_id>/vypolneno/")
@requires()
def program_event_done(obj_id: int, event_id: int):
    def do(sess, program, form):
        event = _event(program, event_id)
        plan.mark_done(event, form.done_on.data, form.result.data or "")
        return f"выполнено «{event.title}»"

    return _action(obj_id, DoneForm, "done", do, "Мероприятие отмечено выполненным.", event_id)


@bp.post("/programmy/<int:obj_id>/plan/<int:event_id>/ne-vypolneno/")
@requires()
def program_event_not_done(obj_id: int, event_id: int):
    def do(sess, program, form):
        event = _event(program, event_id)
        plan.mark_not_done(event, form.reason.data)
        return f"не выполнено «{event.title}»: {event.not_done_reason}"

    return _action(obj_id, NotDoneForm, "notdone", do,
                   "Мероприятие отмечено невыполненным, причина записана.", event_id)


@bp.post("/programmy/<int:obj_id>/plan/<int:event_id>/snyat-otmetku/")
@requires()
def program_event_reopen(obj_id: int, event_id: int):
    from .forms import ConfirmForm

    def do(sess, program, _form):
        event = _event(program, event_id)
        plan.reopen(event)
        return f"снята отметка с «{event.title}»"

    return _action(obj_id, ConfirmForm, "confirm", do, "Отметка снята.", event_id)


@bp.post("/programmy/<int:obj_id>/plan/shablon/")
@requires()
def program_apply_template(obj_id: int):
    def do(sess, program, form):
        template = sess.get(PlanTemplate, form.template_id.data)
        if template is None:
            raise MonitoringError("Такого шаблона плана нет.")
        events = plan.apply_template(program, template)
        return f"применён шаблон плана «{template.name}» ({len(events)} мероприятий)"

    return _action(obj_id, TemplateForm, "template", do, "Шаблон плана применён.")


@bp.post("/programmy/<int:obj_id>/ocenka/")
@requires()
def program_score(obj_id: int):
    def do(sess, program, form):
        person = next((p.person for p in program.participations
                       if p.person_id == form.person_id.data), None)
        stage = AssessmentStage(form.stage.data)
        answers = [(int(k[1:]), int(v)) for k, v in form.typed.items() if v.lstrip("-").isdigit()]
        assessments.record_assessment(
            sess, program, stage=stage, scored_on=form.scored_on.data, answers=answers,
            assessor_name=form.assessor_name.data, person=person)
        who = person.full_name if person is not None else "группа в целом"
        return f"оценка эффективности «{stage.label}»: {who}"

    return _action(obj_id, ScoreForm, "score", do, "Лист оценки эффективности сохранён.")
