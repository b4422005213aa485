"""Programmes: participants, the plan of events, and the programme's life (ч. 7)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app, url_for

from .. import clock, lifecycle
from ..db import session
from ..media import storage
from ..models import (
    Case,
    Direction,
    Person,
    Program,
    ProgramExtension,
    ProgramStatus,
    Role,
)
from ..monitoring import plan
from ..queries import admin as admin_queries
from ..questionnaires import satisfaction
from . import blueprint as bp
from . import monitoring
from .catalogs import direction_filter
from .crud import Kind, ListFilter, register, run_action
from .forms import (
    CompleteForm,
    ConfirmForm,
    EndEarlyForm,
    ExtendForm,
    ParticipantForm,
)
from .forms import ProgramForm as ProgramEditForm
from .forms_base import with_ids
from .forms_consents import WrittenConsentForm
from .guard import requires


def _form_choices(form, sess) -> None:
    form.form_id.choices = admin_queries.program_form_choices(sess)
    form.directions.choices = admin_queries.direction_choices(sess)


class _DirectionName:
    """The list's search also finds a programme by the name of one of its directions."""

    @staticmethod
    def ilike(pattern: str):
        return Program.directions.any(Direction.name.ilike(pattern))


def _problems(sess, program: Program) -> list[tuple[str, str]]:
    if program.starts_on and program.planned_end_on and not program.extensions:
        try:
            lifecycle.check_term(program.starts_on, program.planned_end_on)
        except lifecycle.LifecycleError as exc:
            return [("planned_end_on", str(exc))]
        program.initial_end_on = program.planned_end_on
    if program.extensions and program.planned_end_on:  # edited by hand after an extension
        try:
            lifecycle.check_extension(program.initial_end_on, program.planned_end_on)
        except lifecycle.LifecycleError as exc:
            return [("planned_end_on", str(exc))]
    if program.initial_end_on is None:
        program.initial_end_on = program.planned_end_on
    return []


def _written_forms(program: Program, failed) -> dict[int, WrittenConsentForm]:
    """One form per participant for the written consent; a refused one as typed."""
    forms = {p.id: with_ids(WrittenConsentForm(formdata=None, obj=p), f"written-{p.id}")
             for p in program.participations}
    if failed is not None and failed.part_id in forms:
        forms[failed.part_id] = with_ids(failed, f"written-{failed.part_id}")
    return forms


def _context(sess, program: Program, **forms) -> dict:
    participant = forms.get("participant") or ParticipantForm(formdata=None)
    participant.person_id.choices = admin_queries.people_choices(sess)
    today = clock.today()
    return {
        "participant_form": with_ids(participant, "participant"),
        "extend_form": with_ids(forms.get("extend") or ExtendForm(formdata=None), "extend"),
        "complete_form": with_ids(forms.get("complete") or CompleteForm(
            formdata=None, ended_on=today), "complete"),
        "early_form": with_ids(forms.get("early") or EndEarlyForm(formdata=None, ended_on=today),
                               "early"),
        "confirm_form": ConfirmForm(formdata=None),
        "percent": lifecycle.percent_done(program),
        "cases": sess.scalars(sa.select(Case).where(Case.program_id == program.id)).all(),
        "action_error": forms.get("error"),
        "written_forms": _written_forms(program, forms.get("written")),
        "satisfaction": satisfaction.rollup(sess, program_id=program.id),
        "satisfaction_marks": satisfaction.MARKS,
        **monitoring.context(sess, program, forms),
    }


PROGRAMS = register(Kind(
    name="program", url="programmy", model=Program, form=ProgramEditForm,
    plural="Программы наставничества", singular="программу",
    columns=[("Название", lambda o: o.title), ("Статус", lambda o: o.status.label),
             ("Начало", lambda o: f"{o.starts_on:%d.%m.%Y}"),
             ("Окончание", lambda o: f"{o.planned_end_on:%d.%m.%Y}")],
    search=(Program.title, _DirectionName), order_by=(Program.starts_on.desc(),),
    markdown_fields=("goal", "results"), prepare_form=_form_choices, problems=_problems,
    delete_problem=lambda sess, p: (
        "Нельзя удалить программу, у которой есть кейсы: сначала удалите или перенесите их."
        if sess.scalar(sa.select(Case.id).where(Case.program_id == p.id).limit(1)) else None),
    template="mentoring/admin/program.html", context=_context,
    public_url=lambda o: url_for("mentoring.program", slug=o.slug),
    filters={"status": ListFilter("Статус", {s.value: s.label for s in ProgramStatus},
                                  lambda v: Program.status == ProgramStatus(v)),
             "napravlenie": direction_filter()},
))


def _program_action(obj_id: int, form_cls, key: str, do: Callable, done_message: str):
    form = form_cls()
    if key == "participant":
        form.person_id.choices = admin_queries.people_choices(session())
    return run_action(PROGRAMS, obj_id, form, key, do, done_message)


def _add_participant(sess, program, form):
    person = sess.get(Person, form.person_id.data)
    if person is None:
        raise lifecycle.LifecycleError("Такого человека нет.")
    role = Role(form.role.data)
    lifecycle.add_participant(program, person, role)
    return f"добавлен участник {person.full_name} ({role.label.lower()})"


@bp.post("/programmy/<mentoring_id:obj_id>/uchastniki/")
@requires()
def program_participant_add(obj_id: int):
    return _program_action(obj_id, ParticipantForm, "participant", _add_participant,
                           "Участник добавлен.")


@bp.post("/programmy/<mentoring_id:obj_id>/uchastniki/<mentoring_id:part_id>/udalit/")
@requires()
def program_participant_remove(obj_id: int, part_id: int):
    def do(sess, program, _form):
        part = next((p for p in program.participations if p.id == part_id), None)
        if part is None:
            raise lifecycle.LifecycleError("Этого участника в программе уже нет.")
        lifecycle.remove_participant(program, part)
        return f"убран участник {part.person.full_name}"

    return _program_action(obj_id, ConfirmForm, "confirm", do, "Участник убран из программы.")


@bp.post("/programmy/<mentoring_id:obj_id>/pismennye-soglasiya/<mentoring_id:part_id>/")
@requires()
def program_participant_consent(obj_id: int, part_id: int):
    """Положение 3.2–3.3: the participant's written consent, its date and a private scan
    (a new scan replaces the old one, whose file goes at commit)."""
    form = WrittenConsentForm()
    form.part_id = part_id

    def do(sess, program, form):
        part = next((p for p in program.participations if p.id == part_id), None)
        if part is None:
            raise lifecycle.LifecycleError("Этого участника в программе уже нет.")
        part.written_consent_on = form.written_consent_on.data
        if form.file.data and form.file.data.filename:
            old, folder = part.written_consent_scan, current_app.extensions["mentoring"]
            part.written_consent_scan = storage.accept_upload(
                sess, folder.upload_folder, form.file.data, kind="document", private=True,
                max_bytes=current_app.config["MENTORING_MAX_DOCUMENT_BYTES"])
            if old is not None:
                storage.delete_media(sess, folder.upload_folder, old)
        return (f"письменное согласие: {part.person.full_name}, "
                f"{part.written_consent_on:%d.%m.%Y}")

    return run_action(PROGRAMS, obj_id, form, "written", do, "Письменное согласие отмечено.")


@bp.post("/programmy/<mentoring_id:obj_id>/plan/<mentoring_id:event_id>/udalit/")
@requires()
def program_event_remove(obj_id: int, event_id: int):
    def do(sess, program, _form):
        event = next((e for e in program.events if e.id == event_id), None)
        if event is None:
            raise lifecycle.LifecycleError("Такого мероприятия в плане нет.")
        plan.remove_event(event)  # an item already marked stays for the report
        return f"из плана убрано «{event.title}»"

    return _program_action(obj_id, ConfirmForm, "confirm", do, "Мероприятие убрано из плана.")


@bp.post("/programmy/<mentoring_id:obj_id>/nachat/")
@requires()
def program_start(obj_id: int):
    def do(sess, program, form) -> str:
        lifecycle.start(program)
        return "программа начата"

    return _program_action(obj_id, ConfirmForm, "confirm", do, "Программа начата.")


@bp.post("/programmy/<mentoring_id:obj_id>/prodlit/")
@requires()
def program_extend(obj_id: int):
    def do(sess, program, form):
        ext: ProgramExtension = lifecycle.extend(program, form.new_end_on.data, form.reason.data,
                                                 clock.today())
        return f"продлена до {ext.new_end_on:%d.%m.%Y}: {ext.reason}"

    return _program_action(obj_id, ExtendForm, "extend", do, "Срок программы продлён.")


@bp.post("/programmy/<mentoring_id:obj_id>/zavershit/")
@requires()
def program_complete(obj_id: int):
    def do(sess, program, form) -> str:
        lifecycle.complete(program, form.ended_on.data)
        return "программа завершена"

    return _program_action(obj_id, CompleteForm, "complete", do,
                           "Программа завершена. Теперь можно опубликовать её кейсы.")


@bp.post("/programmy/<mentoring_id:obj_id>/zavershit-dosrochno/")
@requires()
def program_end_early(obj_id: int):
    from ..models import EarlyEndReason

    def do(sess, program, form) -> str:
        lifecycle.end_early(program, EarlyEndReason(form.reason.data), form.note.data,
                            form.ended_on.data)
        return "завершена досрочно"

    return _program_action(obj_id, EndEarlyForm, "early", do, "Программа завершена досрочно.")
