"""The curator's questionnaires: the questionnaires and their questions (generic kinds,
saved through ``editing``), the consent text (a new numbered version on each change), the
answers (a list with filters, one answer, CSV and XLSX downloads, the status).

Answers are personal data: shown only here, behind the curator's login, always as text
(Jinja escapes; CSV/XLSX cells that look like formulas get a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from .. import clock, editing
from ..db import begin_write, session
from ..models import (
    Answer,
    AnswerStatus,
    ConsentPurpose,
    ProcessingConsent,
    Program,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnairePurpose,
)
from ..questionnaires import bank, pairs, retention
from ..questionnaires.answers import in_order
from ..questionnaires.store import current_consent
from ..urls import content_disposition, small_int
from . import blueprint as bp
from .crud import Kind, ListFilter, register
from .forms_questionnaires import (
    AnswerStatusForm,
    ConsentTextForm,
    QuestionForm,
    QuestionnaireForm,
)
from .guard import requires

PER_PAGE = 25
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# -- questionnaires and questions: generic kinds --------------------------------------------


def _prepare_questionnaire(form, sess: Session) -> None:
    programs = sess.execute(sa.select(Program.id, Program.title).order_by(Program.title)).all()
    form.program_id.choices = [(0, "— не связана с программой —"),
                               *((i, t) for i, t in programs)]


def _questionnaire_context(sess: Session, obj: Questionnaire, **_: Any) -> dict[str, Any]:
    n = sess.scalar(sa.select(sa.func.count()).select_from(Answer).where(
        Answer.questionnaire_id == obj.id)) or 0
    return {"questions": obj.questions, "answer_count": n}


def _answers_exist(sess: Session, obj: Questionnaire) -> str | None:
    n = sess.scalar(sa.select(sa.func.count()).select_from(Answer).where(
        Answer.questionnaire_id == obj.id)) or 0
    if not n:
        return None
    return (f"На анкету есть ответы ({n}). Выгрузите и удалите их или просто закройте "
            "анкету: закрытая анкета не видна на сайте.")


register(Kind(
    name="questionnaire", url="ankety", model=Questionnaire, form=QuestionnaireForm,
    plural="Анкеты", singular="анкету",
    columns=[("Название", lambda o: o.title), ("Назначение", lambda o: o.purpose.label),
             ("Принимает ответы", lambda o: ("да" if o.is_open else "нет") + (
                 f", до {o.deadline:%d.%m.%Y}" if o.deadline else ""))],
    search=(Questionnaire.title,), order_by=(Questionnaire.sort, Questionnaire.id),
    markdown_fields=("intro",), prepare_form=_prepare_questionnaire,
    slug_source=lambda q: q.slug or q.title,  # the address stays when the title changes
    delete_problem=_answers_exist, template="mentoring/admin/questionnaire.html",
    context=_questionnaire_context,
    filters={"naznachenie": ListFilter("Назначение", dict(QuestionnairePurpose.choices()),
                                       lambda v: Questionnaire.purpose
                                       == QuestionnairePurpose(v))},
))


def _prepare_question(form, sess: Session) -> None:
    form.questionnaire_id.choices = [(i, t) for i, t in sess.execute(
        sa.select(Questionnaire.id, Questionnaire.title).order_by(Questionnaire.sort))]
    chosen = request.args.get("anketa", "")
    if request.method == "GET" and small_int(chosen) and not form.questionnaire_id.data:
        form.questionnaire_id.data = int(chosen)


def _question_problems(_sess: Session, q: Question) -> list[tuple[str, str]]:
    options = list(q.options or [])
    if q.kind not in (QuestionKind.ONE, QuestionKind.SEVERAL):
        q.options = []  # options of another kind would never be shown
        return []
    if len(options) < 2:
        return [("options", "Для выбора из списка нужны хотя бы два варианта, каждый с новой "
                            "строки.")]
    if len(options) > 50 or any(len(o) > 300 for o in options):
        return [("options", "Не больше 50 вариантов, каждый не длиннее 300 знаков.")]
    if len(set(options)) != len(options):
        return [("options", "Варианты ответа повторяются: оставьте каждый один раз.")]
    return []


register(Kind(
    name="question", url="voprosy-anket", model=Question, form=QuestionForm,
    plural="Вопросы анкет", singular="вопрос",
    columns=[("Вопрос", lambda o: o.text), ("Анкета", lambda o: o.questionnaire.title),
             ("Вид ответа", lambda o: o.kind.label),
             ("Обязательный", lambda o: "да" if o.required else ""),
             ("Порядок", lambda o: o.sort)],
    search=(Question.text,), order_by=(Question.questionnaire_id, Question.sort, Question.id),
    prepare_form=_prepare_question, slug_source=None, problems=_question_problems,
))


# -- the consent text -------------------------------------------------------------------------

CONSENT_KIND = editing.RecordKind(name="processing_consent", model=ProcessingConsent,
                                  slug_source=None)


@bp.route("/soglasie-na-obrabotku/", methods=["GET", "POST"])
@requires()
def processing_consent():
    """The text asked with the questionnaires."""
    return _consent_text(ConsentPurpose.QUESTIONNAIRE)


@bp.route("/soglasie-na-obrabotku/registraciya/", methods=["GET", "POST"])
@requires()
def registration_consent():
    """The text asked with event registration (its own: no «анкета» in it)."""
    return _consent_text(ConsentPurpose.REGISTRATION)


def _consent_text(purpose: ConsentPurpose):
    """Each change is a new numbered text; answers and registrations keep the text they
    were given under."""
    sess = session()
    current = current_consent(sess, purpose)
    form = ConsentTextForm(data={"text": current.text if current else ""}) \
        if request.method == "GET" else ConsentTextForm()
    if request.method == "POST" and form.validate():
        begin_write(sess)
        number = (sess.scalar(sa.select(sa.func.max(ProcessingConsent.number))) or 0) + 1
        editing.save_record(sess, CONSENT_KIND, None, {"number": number, "purpose": purpose,
                                                       "text": form.text.data.rstrip()},
                            actor=g.mentoring_editor.label)
        flash(f"Сохранена редакция № {number} текста согласия.", "ok")
        return redirect(request.path)
    return render_template("mentoring/admin/processing_consent.html", form=form,
                           current=current, purpose=purpose, purposes=ConsentPurpose,
                           message=form.csrf_message()), 400 if form.csrf_failed else 200


# -- answers ----------------------------------------------------------------------------------


def _answers_query():
    stmt = sa.select(Answer).join(Answer.questionnaire)
    chosen = request.args.get("anketa", "")
    if (chosen_id := small_int(chosen)) is not None:
        stmt = stmt.where(Answer.questionnaire_id == chosen_id)
    status = request.args.get("sostoyanie", "")
    if status in {s.value for s in AnswerStatus}:
        stmt = stmt.where(Answer.status == AnswerStatus(status))
    return stmt


@bp.get("/otvety/")
@requires()
def answers():
    sess = session()
    retention.purge_configured(sess)  # the safety net: nothing past its term is shown
    raw = request.args.get("page", "1")
    page = small_int(raw, lo=1, hi=99_999) or 1
    stmt = _answers_query()
    total = sess.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = sess.scalars(stmt.order_by(Answer.submitted_at.desc(), Answer.id.desc())
                        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template(
        "mentoring/admin/answers.html", rows=rows, total=total, page=page,
        pages=max(1, math.ceil(total / PER_PAGE)), statuses=AnswerStatus.choices(),
        questionnaires=sess.scalars(sa.select(Questionnaire).order_by(Questionnaire.sort)).all(),
        summary=lambda a: (in_order(a.answers or {}) or [("", "—")])[0][1])


@bp.route("/otvety/<mentoring_id:answer_id>/", methods=["GET", "POST"])
@requires()
def answer(answer_id: int):
    sess = session()
    item = sess.get(Answer, answer_id) or abort(404)
    form = AnswerStatusForm()
    if request.method == "POST" and form.validate() \
            and form.status.data in {s.value for s in AnswerStatus}:
        return _set_status(sess, item, form)
    return render_template("mentoring/admin/answer.html", item=item, form=form,
                           rows=in_order(item.answers or {}), local=clock.to_local,
                           bank_label=bank.BANK_NAMES.get(bank.bank_of(
                               item.questionnaire.purpose)),
                           pairs=pairs.for_answer(sess, item),
                           message=form.csrf_message()), 400 if form.csrf_failed else 200


ANSWER_KIND = editing.RecordKind(name="answer", model=Answer, slug_source=None)


def _set_status(sess: Session, item: Answer, form):
    begin_write(sess)
    version = small_int(str(form.version.data or "")) or 0
    try:
        editing.save_record(sess, ANSWER_KIND, item.id,
                            {"status": AnswerStatus(form.status.data)},
                            actor=g.mentoring_editor.label, version=version)
    except editing.EditError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Ответ отмечен: «{AnswerStatus(form.status.data).label}».", "ok")
    return redirect(url_for("mentoring_admin.answer", answer_id=item.id))


# -- downloads --------------------------------------------------------------------------------


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(sess: Session) -> tuple[str, list[str], list[list[str]]]:
    """One questionnaire's answers as a table: its title, the header, the rows."""
    chosen = request.args.get("anketa", "")
    chosen_id = small_int(chosen)
    questionnaire = sess.get(Questionnaire, chosen_id) if chosen_id else None
    if questionnaire is None:
        flash("Чтобы скачать ответы, выберите анкету.", "error")
        abort(redirect(url_for("mentoring_admin.answers")))
    rows = sess.scalars(_answers_query().order_by(Answer.submitted_at, Answer.id)).all()
    questions = [q.text for q in questionnaire.questions]
    for a in rows:  # questions since removed still have their answers' column
        questions += [q for q, _ in in_order(a.answers or {}) if q not in questions]
    header = ["№", "Дата и время", "Состояние", *questions, "Редакция согласия"]
    table = []
    for a in rows:
        given = dict(in_order(a.answers or {}))
        table.append([str(a.id), f"{clock.to_local(a.submitted_at):%d.%m.%Y %H:%M}",
                      a.status.label, *(given.get(q, "") for q in questions),
                      str(a.consent_number)])
    return questionnaire.title, header, table


def _download(body: bytes, content_type: str, title: str, ext: str) -> Response:
    response = Response(body, content_type=content_type)
    day = f"{clock.today():%Y-%m-%d}"
    response.headers["Content-Disposition"] = content_disposition(
        f"Ответы — {title} — {day}.{ext}", f"answers-{day}.{ext}")
    return response


@bp.get("/otvety/vygruzka.csv")
@requires()
def answers_csv():
    title, header, rows = _table(session())
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with the mark; «;» as with Russian settings
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([[_cell(v) for v in row] for row in [header, *rows]])
    return _download(out.getvalue().encode("utf-8"), "text/csv; charset=utf-8", title, "csv")


@bp.get("/otvety/vygruzka.xlsx")
@requires()
def answers_xlsx():
    title, header, rows = _table(session())
    from openpyxl import Workbook  # only when a table is made, not at the site's start

    book = Workbook()
    sheet = book.active
    sheet.title = "Ответы"
    for row in [header, *rows]:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), "application/vnd.openxmlformats-officedocument."
                     "spreadsheetml.sheet", title, "xlsx")

from . import questionnaire_bank  # noqa: E402,F401  (its routes register on import)
