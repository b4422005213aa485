"""People and their consents: the consent to dissemination decides what the public sees
(152-ФЗ ст. 10.1); the consent to processing for the banks (ст. 9) does not, and its
withdrawal removes the person's questionnaire answers (questionnaires/retention.py)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import clock, editing, rules, urls
from ..db import begin_write, session
from ..media import storage
from ..models import Consent, Honor, Participation, Person, PersonKind, ProcessingAgreement
from ..queries import admin as admin_queries
from ..queries import admin_monitoring
from ..reports import ReportError
from ..reports import consents as consent_docs
from . import blueprint as bp
from .catalogs import category_filter
from .crud import Kind, ListFilter, register, run_action
from .forms import ConfirmForm, PersonForm, PersonPhotoForm
from .forms_base import with_ids
from .forms_consents import PrintRepresentativeForm, ProcessingAgreementForm
from .forms_consents import RepresentedConsentForm as ConsentForm
from .guard import requires


def _consent_state(person: Person) -> str:
    consent = rules.consent_in_force(person, clock.today())
    if consent is None:
        return "нет действующего согласия: не показывается"
    return "согласие действует" + (f" до {consent.valid_until:%d.%m.%Y}"
                                   if consent.valid_until else "")


def _delete_problem(sess, person: Person) -> str | None:
    """Nothing may be left dangling: programmes and honors name the person."""
    programs = sess.scalars(
        sa.select(Participation).where(Participation.person_id == person.id)
    ).all()
    honors = sess.scalars(
        sa.select(Honor).where(sa.or_(Honor.person_id == person.id, Honor.partner_id == person.id))
    ).all()
    if not programs and not honors:
        return None
    parts = [f"программах: {', '.join('«' + p.program.title + '»' for p in programs)}"
             ] if programs else []
    if honors:
        parts.append(f"наградах: {', '.join('«' + h.title + '»' for h in honors)}")
    return (f"Нельзя удалить: {person.full_name} участвует в " + "; ".join(parts) + ". "
            "Сначала уберите человека оттуда. Чтобы убрать сведения о человеке с сайта, "
            "достаточно отметить отзыв согласия.")


def _context(sess, person: Person, photo_form=None, error=None) -> dict:
    return {"consents": list(reversed(person.consents)), "consent_state": _consent_state(person),
            "photo_form": with_ids(photo_form if isinstance(photo_form, PersonPhotoForm)
                                   else PersonPhotoForm(formdata=None), "photo"),
            "agreements": list(reversed(person.processing_agreements)),
            "action_error": error, "is_pupil": consent_docs.is_pupil(person),
            "confirm_form": ConfirmForm(formdata=None),
            "participations": sess.scalars(sa.select(Participation).where(
                Participation.person_id == person.id)).all()}


def _category_choices(form, sess) -> None:
    form.categories.choices = admin_monitoring.category_choices(sess)


PEOPLE = register(Kind(
    name="person", url="lyudi", model=Person, form=PersonForm,
    plural="Люди: наставники и наставляемые", singular="человека",
    columns=[("ФИО", lambda o: o.full_name), ("Кто", lambda o: o.kind.label),
             ("Должность", lambda o: o.position), ("Согласие", _consent_state)],
    search=(Person.last_name, Person.first_name, Person.position),
    order_by=(Person.last_name, Person.first_name), markdown_fields=("bio", "awards"),
    delete_problem=_delete_problem, slug_source=rules.slug_text,
    template="mentoring/admin/person.html", context=_context,
    public_url=lambda o: url_for("mentoring.person", slug=o.slug),
    filters={"kind": ListFilter("Кто", {k.value: k.label for k in PersonKind},
                                lambda v: Person.kind == PersonKind(v)),
             "kategoriya": category_filter()},
    prepare_form=_category_choices,
))


#: A consent is saved down the same path as any record (journal kind «consent»).
CONSENT = editing.RecordKind(name="consent", model=Consent, slug_source=None)


def _save_signed(kind: editing.RecordKind, form_cls, person: Person, record, *,
                 template: str, name: str, done: Callable[[], str]):
    """A signed paper of a person (a consent to dissemination or to processing): the form,
    an optional private scan, the one save path; the messages in Russian."""
    sess = session()
    form = form_cls(obj=record) if request.method == "GET" else form_cls()
    status, message = 200, None
    if request.method == "POST":
        if not form.validate():
            message = form.csrf_message() or "Проверьте поля, отмеченные ниже."
            status = 400 if form.csrf_failed else 200
        else:
            values = {f.name: f.data for f in form if f.name not in ("csrf_token", "scan")}
            if record is None:
                values["person_id"] = person.id
            scan = form.scan.data
            files = {"scan": editing.FileChange("document", upload=scan, private=True)
                     } if scan else None
            try:
                editing.save_record(sess, kind, record.id if record else None, values,
                                    actor=g.mentoring_editor.label, files=files)
            except editing.BadFile as exc:
                form.scan.errors = [*form.scan.errors, str(exc)]
                message = "Согласие не сохранено."
            except editing.EditError as exc:
                message = f"Согласие не сохранено. {exc}"
            else:
                flash(done(), "ok")
                return redirect(url_for("mentoring_admin.person_edit", obj_id=person.id))
    return render_template(template, person=person, form=form, message=message,
                           is_pupil=consent_docs.is_pupil(person), **{name: record}), status


def _save_consent(person: Person, consent: Consent | None):
    return _save_signed(CONSENT, ConsentForm, person, consent,
                        template="mentoring/admin/consent.html", name="consent",
                        done=lambda: f"Согласие сохранено. Сейчас: {_consent_state(person)}.")


@bp.route("/lyudi/<mentoring_id:obj_id>/soglasiya/novoe/", methods=["GET", "POST"])
@requires()
def consent_create(obj_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    person = sess.get(Person, obj_id) or abort(404)
    return _save_consent(person, None)


@bp.route("/soglasiya/<mentoring_id:consent_id>/", methods=["GET", "POST"])
@requires()
def consent_edit(consent_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    consent = sess.get(Consent, consent_id) or abort(404)
    return _save_consent(consent.person, consent)


#: The consent to processing, journaled as «processing_agreement»; the receiver in
#: questionnaires/retention.py forgets the answers when it is saved withdrawn.
AGREEMENT = editing.RecordKind(name="processing_agreement", model=ProcessingAgreement,
                               slug_source=None)


def _save_agreement(person: Person, agreement: ProcessingAgreement | None):
    return _save_signed(AGREEMENT, ProcessingAgreementForm, person, agreement,
                        template="mentoring/admin/processing_agreement.html", name="agreement",
                        done=lambda: "Согласие на обработку сохранено.")


@bp.route("/lyudi/<mentoring_id:obj_id>/soglasiya-obrabotka/novoe/", methods=["GET", "POST"])
@requires()
def processing_agreement_create(obj_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    person = sess.get(Person, obj_id) or abort(404)
    return _save_agreement(person, None)


@bp.route("/soglasiya-obrabotka/<mentoring_id:agreement_id>/", methods=["GET", "POST"])
@requires()
def processing_agreement_edit(agreement_id: int):
    sess = session()
    if request.method == "POST":
        begin_write(sess)
    agreement = sess.get(ProcessingAgreement, agreement_id) or abort(404)
    return _save_agreement(agreement.person, agreement)


def _person_action(obj_id: int, form_cls, do, done: str):
    return run_action(PEOPLE, obj_id, form_cls(), "photo_form", do, done)


@bp.post("/lyudi/<mentoring_id:obj_id>/foto/")
@requires()
def person_photo(obj_id: int):
    def do(sess, person, form):
        person.photo = storage.accept_upload(
            sess, current_app.extensions["mentoring"].upload_folder, form.photo.data,
            kind="image", max_bytes=current_app.config["MENTORING_MAX_IMAGE_BYTES"],
            alt_text=form.alt_text.data.strip())
        return f"новая фотография «{person.photo.original_name}»"

    return _person_action(obj_id, PersonPhotoForm, do, "Фотография сохранена. На сайте она "
                          "видна, только если согласие разрешает показывать фото.")


@bp.post("/lyudi/<mentoring_id:obj_id>/foto/udalit/")
@requires()
def person_photo_remove(obj_id: int):
    def do(sess, person, _form):
        person.photo = None
        return "фотография убрана"

    return _person_action(obj_id, ConfirmForm, do, "Фотография убрана.")


# -- printable consents: the print page and the DOCX (reports/consents.py) -----------------


def _sites(person: Person) -> list[str]:
    """Where the section publishes: its pages (this person's own, if any) and open data."""
    pages = [urls.absolute_url("mentoring.index")]
    if not consent_docs.is_pupil(person):
        pages.append(urls.absolute_url("mentoring.person", slug=person.slug))
    return [*pages, urls.absolute_url("mentoring_api.index")]


def _printable(obj_id: int, kind: str):
    """The person, the kind, the typed representative and the documents' context."""
    person = session().get(Person, obj_id) or abort(404)
    try:
        found = consent_docs.kind_of(kind)
    except ReportError:
        abort(404)
    form = PrintRepresentativeForm(request.args)
    cfg = current_app.config
    args = {"school": cfg["MENTORING_SCHOOL_NAME"], "sites": _sites(person),
            "today": clock.today(), "representative": form.typed(),
            "participations": admin_queries.participations_of(session(), person.id)}
    return person, found, form, args


def _typed_args() -> dict[str, str]:
    """The representative typed on the print page, carried to the DOCX link."""
    return {k: request.args[k] for k in ("predstavitel", "dokument") if request.args.get(k)}


@bp.get("/lyudi/<mentoring_id:obj_id>/soglasiya/blank/<kind>/")
@requires()
def consent_print(obj_id: int, kind: str):
    """A print-friendly page of the consent (print CSS hides the admin around it)."""
    person, found, form, args = _printable(obj_id, kind)
    ctx = consent_docs.consent_context(found, person, **args)
    return render_template("mentoring/admin/consent_print.html", person=person, kind=found,
                           doc=ctx, form=form, kinds=consent_docs.KINDS.values(),
                           query={} if form.errors else _typed_args())


@bp.get("/lyudi/<mentoring_id:obj_id>/soglasiya/blank/<kind>.docx")
@requires()
def consent_docx(obj_id: int, kind: str):
    """The same consent as DOCX: the school's template if it has one."""
    person, found, _form, args = _printable(obj_id, kind)
    report = consent_docs.consent_report(
        found.key, person, folder=current_app.config["MENTORING_REPORT_TEMPLATES"], **args)
    response = Response(report.data, content_type=report.content_type)
    response.headers["Content-Disposition"] = urls.content_disposition(report.filename,
                                                                       report.fallback)
    response.headers["Cache-Control"] = "no-store"
    return response
