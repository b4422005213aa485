"""The programme page's monitoring: the plan by stage with each item's outcome, plan
templates, and the effectiveness sheet scored «на входе» and «по итогам».

Views only parse the form and call one domain function of ``monitoring`` inside
``crud.run_action`` (so ``editing.change_record`` checks, journals, commits and signals);
a refusal shows the page again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import clock, editing
from ..db import session
from ..models import (
    Assessment,
    AssessmentStage,
    PlanEvent,
    PlanOutcome,
    PlanStage,
    PlanTemplate,
    Program,
    WorkForm,
)
from ..monitoring import MonitoringError, assessments, plan
from ..monitoring import sheet as sheet_rules
from ..queries import admin_monitoring as choices
from . import blueprint as bp
from .crud import form_refusal, owned_or_404, run_action
from .forms_base import with_ids
from .forms_monitoring import (
    NO_CHOICE,
    DoneForm,
    NotDoneForm,
    PlanEventForm,
    RescoreForm,
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
    """The radio groups ``i<indicator id>`` as sent (ASCII ids only: «i²» is no indicator)."""
    return {k: v[:20] for k, v in request.form.items()
            if k.startswith(ANSWER_PREFIX) and k[1:].isascii() and k[1:].isdigit()
            and len(k) < 12}


def _answers(typed: dict[str, str]) -> list[tuple[int, str]]:
    """As typed: ``sheet.check_answers`` says which are not points of the scale."""
    return [(int(k[1:]), v) for k, v in typed.items()]


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
        "score_answer_errors": getattr(score_form, "answer_errors", {}),
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


@contextmanager
def _answer_errors(form) -> Iterator[None]:
    """A refused sheet's problems kept on the form, each shown at its indicator."""
    try:
        yield
    except sheet_rules.AnswersRefused as exc:
        form.answer_errors = exc.problems
        raise


def _event(program: Program, event_id: int):
    event = next((e for e in program.events if e.id == event_id), None)
    if event is None:
        raise MonitoringError("Такого мероприятия в плане нет.")
    return event


@bp.post("/programmy/<mentoring_id:obj_id>/plan/")
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


@bp.post("/programmy/<mentoring_id:obj_id>/plan/<mentoring_id:event_id>/vypolneno/")
@requires()
def program_event_done(obj_id: int, event_id: int):
    def do(sess, program, form):
        event = _event(program, event_id)
        plan.mark_done(event, form.done_on.data, form.result.data or "")
        return f"выполнено «{event.title}»"

    return _action(obj_id, DoneForm, "done", do, "Мероприятие отмечено выполненным.", event_id)


@bp.post("/programmy/<mentoring_id:obj_id>/plan/<mentoring_id:event_id>/ne-vypolneno/")
@requires()
def program_event_not_done(obj_id: int, event_id: int):
    def do(sess, program, form):
        event = _event(program, event_id)
        plan.mark_not_done(event, form.reason.data)
        return f"не выполнено «{event.title}»: {event.not_done_reason}"

    return _action(obj_id, NotDoneForm, "notdone", do,
                   "Мероприятие отмечено невыполненным, причина записана.", event_id)


@bp.post("/programmy/<mentoring_id:obj_id>/plan/<mentoring_id:event_id>/snyat-otmetku/")
@requires()
def program_event_reopen(obj_id: int, event_id: int):
    from .forms import ConfirmForm

    def do(sess, program, _form):
        event = _event(program, event_id)
        plan.reopen(event)
        return f"снята отметка с «{event.title}»"

    return _action(obj_id, ConfirmForm, "confirm", do, "Отметка снята.", event_id)


@bp.post("/programmy/<mentoring_id:obj_id>/plan/shablon/")
@requires()
def program_apply_template(obj_id: int):
    def do(sess, program, form):
        template = sess.get(PlanTemplate, form.template_id.data)
        if template is None:
            raise MonitoringError("Такого шаблона плана нет.")
        events = plan.apply_template(program, template)
        return f"применён шаблон плана «{template.name}» ({len(events)} мероприятий)"

    return _action(obj_id, TemplateForm, "template", do, "Шаблон плана применён.")


@bp.post("/programmy/<mentoring_id:obj_id>/ocenka/")
@requires()
def program_score(obj_id: int):
    def do(sess, program, form):
        person = next((p.person for p in program.participations
                       if p.person_id == form.person_id.data), None)
        stage = AssessmentStage(form.stage.data)
        with _answer_errors(form):
            assessments.record_assessment(
                sess, program, stage=stage, scored_on=form.scored_on.data,
                answers=_answers(form.typed), assessor_name=form.assessor_name.data,
                person=person)
        who = person.full_name if person is not None else "группа в целом"
        return f"оценка эффективности «{stage.label}»: {who}"

    return _action(obj_id, ScoreForm, "score", do, "Лист оценки эффективности сохранён.")


# -- a plan item corrected, a saved score corrected: pages of their own ---------------------


def _page(template: str, program: Program, status: int = 200, **values):
    from .programs import PROGRAMS

    return render_template(template, kind=PROGRAMS, program=program, **values), status


def _change(program_id: int, change: Callable[..., str]) -> str | None:
    """Down the save path as the programme's change (journal, commit, signals); the
    refusal's message, or None when saved."""
    from .programs import PROGRAMS

    try:
        editing.change_record(session(), PROGRAMS.record, program_id, change,
                              actor=g.mentoring_editor.label)
    except editing.EditError as exc:
        session().rollback()
        return str(exc)
    return None


def _work_form(sess, form) -> WorkForm | None:
    chosen = form.work_form_id.data
    found = sess.get(WorkForm, chosen) if chosen and chosen != NO_CHOICE else None
    if chosen and chosen != NO_CHOICE and found is None:
        raise MonitoringError("Такой формы работы нет в списке: обновите страницу.")
    return found


@bp.route("/programmy/<mentoring_id:obj_id>/plan/<mentoring_id:event_id>/izmenit/",
          methods=["GET", "POST"])
@requires()
def program_event_edit(obj_id: int, event_id: int):
    """Correct a plan item: its title, stage, form of work, responsible and due date."""
    event = owned_or_404(PlanEvent, event_id, "program_id", obj_id)
    form = _plan_event_form(event)
    message, status = None, 200
    if request.method == "POST":
        if not form.validate():
            message, status = form_refusal(form)
        elif (message := _change(obj_id, _plan_event_change(form, event_id))) is None:
            flash("Мероприятие плана изменено.", "ok")
            return redirect(url_for("mentoring_admin.program_edit", obj_id=obj_id,
                                    _anchor=f"plan-item-{event_id}"))
        else:
            event = session().get(PlanEvent, event_id) or abort(404)
    from .forms import ConfirmForm

    return _page("mentoring/admin/plan_event.html", event.program, status, event=event,
                 form=form, message=message, confirm_form=ConfirmForm(formdata=None))


def _plan_event_form(event: PlanEvent) -> PlanEventForm:
    """The posted form, or the item's values to correct."""
    form = PlanEventForm() if request.method == "POST" else PlanEventForm(
        formdata=None, title=event.title, stage=event.stage.value if event.stage else "",
        work_form_id=event.work_form_id or NO_CHOICE, responsible=event.responsible,
        due_on=event.due_on)
    return _prepare(form, session(), event.program)


def _plan_event_change(form: PlanEventForm, event_id: int) -> Callable[..., str]:
    def change(sess, program) -> str:
        item = _event(program, event_id)
        plan.edit_event(item, form.title.data, stage=PlanStage(form.stage.data)
                        if form.stage.data else None, work_form=_work_form(sess, form),
                        responsible=form.responsible.data or "", due_on=form.due_on.data)
        return f"изменено мероприятие плана «{item.title}»"

    return change


@bp.route("/programmy/<mentoring_id:obj_id>/ocenka/<mentoring_id:assessment_id>/",
          methods=["GET", "POST"])
@requires()
def program_rescore(obj_id: int, assessment_id: int):
    """Correct a saved score (on entry or final), from its saved answers; a correction
    begun before someone else's is refused as stale, with the typed answers kept."""
    found = owned_or_404(Assessment, assessment_id, "program_id", obj_id)
    form, typed = _rescore_form(found)
    message, status = None, 200
    if request.method == "POST":
        if not form.validate():
            message, status = form_refusal(form)
        else:
            message, status = _rescore(obj_id, assessment_id, form, typed)
            if message is None:
                flash("Оценка исправлена.", "ok")
                return redirect(url_for("mentoring_admin.program_edit", obj_id=obj_id,
                                        _anchor="a-scores"))
            found = session().get(Assessment, assessment_id) or abort(404)
    return _page("mentoring/admin/rescore.html", found.program, status, assessment=found,
                 form=with_ids(form, "rescore"), typed=typed, message=message,
                 total=sheet_rules.assessment_total(found))


def _rescore_form(found: Assessment) -> tuple[RescoreForm, dict[str, str]]:
    """The posted form and answers, or the saved ones (with the version they are at)."""
    if request.method == "POST":
        form, typed = RescoreForm(), _typed_answers()
    else:
        form = RescoreForm(formdata=None, obj=found)
        form.version.data = str(found.version)
        typed = {f"i{k}": str(v) for k, v in assessments.scored_answers(found).items()}
    form.answer_errors = {}
    return form, typed


def _rescore(obj_id: int, assessment_id: int, form,
             typed: dict[str, str]) -> tuple[str | None, int]:
    version = str(form.version.data or "")

    def change(sess, program) -> str:
        found = sess.get(Assessment, assessment_id)
        if found is None:
            raise editing.Gone("Эта оценка уже удалена.")
        if not version.isascii() or not version.isdigit() or int(version) != found.version:
            raise editing.Conflict
        before = sheet_rules.assessment_total(found)
        with _answer_errors(form):
            assessments.rescore(found, _answers(typed), scored_on=form.scored_on.data,
                                assessor_name=form.assessor_name.data)
        who = found.person.full_name if found.person is not None else "группа в целом"
        return (f"исправлена оценка эффективности «{found.stage.label}» ({who}): было "
                f"{before} баллов, стало {sheet_rules.assessment_total(found)}")

    message = _change(obj_id, change)
    return message, 409 if message == editing.STALE else 200
