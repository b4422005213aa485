"""Cases (best practices): published only after their programme is completed (п. 8.2)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, url_for

from .. import rules
from ..db import session
from ..media import storage
from ..models import Case, CaseAttachment, CasePhoto, Program
from ..queries import admin as admin_queries
from . import blueprint as bp
from .crud import Kind, ListFilter, register, run_action, status_filter
from .forms import AttachmentForm, CaseForm, ConfirmForm, PhotoForm
from .forms_base import with_ids
from .guard import requires


def _program_choices(form, sess) -> None:
    form.program_id.choices = admin_queries.program_choices(sess)


def _problems(sess, case: Case) -> list[tuple[str, str]]:
    if not rules.to_be_published(case):
        return []
    problem = rules.case_publication_problem(sess.get(Program, case.program_id))
    return [("status", problem)] if problem else []


def _context(sess, case: Case, **forms) -> dict:
    return {
        "photo_form": with_ids(forms.get("photo") or PhotoForm(formdata=None), "photo"),
        "attachment_form": with_ids(forms.get("attachment") or AttachmentForm(formdata=None),
                                    "attachment"),
        "confirm_form": ConfirmForm(formdata=None),
        "program": sess.get(Program, case.program_id),
        "action_error": forms.get("error"),
    }


CASES = register(Kind(
    name="case", url="luchshie-praktiki", model=Case, form=CaseForm,
    plural="Лучшие практики (кейсы)", singular="кейс",
    columns=[("Название", lambda o: o.title), ("Программа", lambda o: o.program.title),
             ("Программа завершена",
              lambda o: "да" if rules.is_program_completed(o.program) else "нет"),
             ("Статус", lambda o: o.status.label)],
    search=(Case.title, Case.summary, Case.body), order_by=(Case.updated_at.desc(),),
    markdown_fields=("body",), prepare_form=_program_choices, problems=_problems,
    template="mentoring/admin/case.html", context=_context,
    public_url=lambda o: url_for("mentoring.case", slug=o.slug),
    filters={
        "sostoyanie": status_filter(Case),
        "programma": ListFilter("Программа", {"zavershena": "завершена", "idet": "не завершена"},
                                lambda v: Case.program.has(
                                    rules.program_completed_clause() if v == "zavershena"
                                    else sa.not_(rules.program_completed_clause()))),
    },
))


def _case_action(obj_id: int, form_cls, key: str, do, done: str):
    return run_action(CASES, obj_id, form_cls(), key, do, done)


def _limits():
    cfg = current_app.config
    return cfg["MENTORING_MAX_IMAGE_BYTES"], cfg["MENTORING_MAX_DOCUMENT_BYTES"]


@bp.post("/luchshie-praktiki/<mentoring_id:obj_id>/foto/")
@requires()
def case_photo_add(obj_id: int):
    def do(sess, case, form):
        media = storage.accept_upload(
            sess, current_app.extensions["mentoring"].upload_folder, form.photo.data,
            kind="image", max_bytes=_limits()[0], alt_text=form.alt_text.data.strip())
        case.photos.append(CasePhoto(media=media, caption=form.caption.data.strip(),
                                     sort=len(case.photos)))
        return f"добавлено фото «{media.original_name}»"

    return _case_action(obj_id, PhotoForm, "photo", do, "Фотография добавлена.")


@bp.post("/luchshie-praktiki/<mentoring_id:obj_id>/foto/<mentoring_id:photo_id>/udalit/")
@requires()
def case_photo_remove(obj_id: int, photo_id: int):
    def do(sess, case, _form):
        photo = next((p for p in case.photos if p.id == photo_id), None) or abort(404)
        case.photos.remove(photo)
        return f"убрано фото «{photo.media.original_name}»"

    return _case_action(obj_id, ConfirmForm, "confirm", do, "Фотография убрана.")


@bp.post("/luchshie-praktiki/<mentoring_id:obj_id>/dokumenty/")
@requires()
def case_attachment_add(obj_id: int):
    def do(sess, case, form):
        media = storage.accept_upload(
            sess, current_app.extensions["mentoring"].upload_folder, form.file.data,
            kind="document", max_bytes=_limits()[1])
        case.attachments.append(CaseAttachment(media=media, title=form.title.data.strip()))
        return f"приложен документ «{media.original_name}»"

    return _case_action(obj_id, AttachmentForm, "attachment", do, "Документ приложен.")


@bp.post("/luchshie-praktiki/<mentoring_id:obj_id>/dokumenty/<mentoring_id:att_id>/udalit/")
@requires()
def case_attachment_remove(obj_id: int, att_id: int):
    def do(sess, case, _form):
        att = next((a for a in case.attachments if a.id == att_id), None) or abort(404)
        case.attachments.remove(att)
        return f"убран документ «{att.title}»"

    return _case_action(obj_id, ConfirmForm, "confirm", do, "Документ убран.")


@bp.get("/media/<name>")
@requires()
def media(name: str):
    """Curators see every stored file, private consent scans included (never the public)."""
    from ..models import MediaFile

    item = session().scalar(sa.select(MediaFile).where(
        sa.or_(MediaFile.stored_name == name, MediaFile.thumb_name == name))) or abort(404)
    return storage.send_media(current_app.extensions["mentoring"].upload_folder, item, name)
