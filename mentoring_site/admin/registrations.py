"""The curator's event registrations: per announcement the settings (takes registrations,
places, deadline, the place or link told on the day), the registrations with the decisions
(accept / reject / reserve, through ``events.decide``: journaled, the letter queued), the
reserve taken up when places free, and the participants as CSV and XLSX.

Registrations are personal data: shown only here, behind the curator's login, always as
text (Jinja escapes; CSV/XLSX cells that look like formulas get a leading apostrophe).
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from wtforms import BooleanField, DateTimeLocalField, HiddenField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from .. import clock, editing, events, outbox
from ..db import session
from ..events.moderation import save_settings
from ..models import EventRegistration, NewsItem, NewsKind, Registration, RegistrationStatus
from ..urls import content_disposition
from . import blueprint as bp
from .forms_base import AdminForm
from .guard import requires
from .questionnaires import _cell

ACTIONS = {"prinyat": RegistrationStatus.ACCEPTED, "otklonit": RegistrationStatus.REJECTED,
           "v-rezerv": RegistrationStatus.RESERVE}
LABELS = {"prinyat": "Принять", "otklonit": "Отклонить", "v-rezerv": "В резерв"}


def _actions(registration: Registration) -> list[tuple[str, str]]:
    """The decision buttons a registration gets: every state but the one it is in."""
    return [(key, LABELS[key]) for key, status in ACTIONS.items()
            if registration.status is not status]


class SettingsForm(AdminForm):
    version = HiddenField()
    is_open = BooleanField("Принимать заявки на сайте")
    capacity = IntegerField("Число мест", validators=[Optional(), NumberRange(min=1, max=100000)],
                            description="Пусто — без ограничения. Когда места заняты, новые "
                                        "заявки попадают в резерв.")
    deadline = DateTimeLocalField("Принимать заявки до", validators=[Optional()],
                                  description="Пусто — до начала мероприятия.")
    day_details = TextAreaField(
        "Место или ссылка для участников", validators=[Optional(), Length(max=2000)],
        description="Придёт письмом принятым участникам в день мероприятия; на сайте не "
                    "показывается.")


class DecisionForm(AdminForm):
    version = HiddenField()


def _announcement(news_id: int) -> NewsItem:
    item = _settings_target(news_id)
    if item is None:
        abort(404)
    return item


def _settings_target(news_id: int) -> NewsItem | None:
    item = session().get(NewsItem, news_id)
    return item if item is not None and item.kind is NewsKind.ANNOUNCEMENT else None


def _settings(news_id: int) -> EventRegistration | None:
    return session().scalar(sa.select(EventRegistration).where(
        EventRegistration.news_id == news_id))


@bp.get("/registracii/")
@requires()
def registrations():
    sess = session()
    rows = sess.execute(
        sa.select(NewsItem, EventRegistration)
        .outerjoin(EventRegistration, EventRegistration.news_id == NewsItem.id)
        .where(NewsItem.kind == NewsKind.ANNOUNCEMENT)
        .order_by(NewsItem.event_starts_at.desc().nulls_last(), NewsItem.id.desc())).all()
    counted = dict(sess.execute(sa.select(Registration.news_id, sa.func.count())
                                .group_by(Registration.news_id)).all())
    return render_template("mentoring/admin/registrations.html", rows=rows, counted=counted,
                           pending=outbox.pending(sess))


@bp.route("/registracii/<mentoring_id:news_id>/", methods=["GET", "POST"])
@requires()
def registration_event(news_id: int):
    sess = session()
    settings = _settings(news_id)
    form = SettingsForm(obj=settings) if request.method == "GET" else SettingsForm()
    valid = request.method == "POST" and form.validate()
    if request.method == "POST" and form.csrf_failed and _settings_target(news_id) is None:
        abort(400)  # a POST without a valid token is refused before anything is looked up
    item = _announcement(news_id)
    if valid:
        version = int(form.version.data) if str(form.version.data or "").isdigit() else None
        try:
            save_settings(sess, news_id, {
                "is_open": bool(form.is_open.data), "capacity": form.capacity.data,
                "deadline": form.deadline.data,
                "day_details": (form.day_details.data or "").strip(),
            }, actor=g.mentoring_editor.label, version=version)
        except editing.EditError as exc:
            flash(str(exc), "error")
        else:
            flash("Настройки регистрации сохранены.", "ok")
            return redirect(url_for("mentoring_admin.registration_event", news_id=news_id))
    rows = sess.scalars(sa.select(Registration).where(Registration.news_id == news_id)
                        .order_by(Registration.created_at, Registration.id)).all()
    return render_template(
        "mentoring/admin/registration_event.html", item=item, settings=settings, form=form,
        rows=rows, counts=events.counts(sess, news_id, settings.capacity if settings else None),
        actions=_actions, local=clock.to_local, message=form.csrf_message(),
    ), 400 if form.csrf_failed else 200


@bp.post("/registracii/<mentoring_id:news_id>/zayavki/<mentoring_id:registration_id>/<action>/")
@requires()
def registration_decide(news_id: int, registration_id: int, action: str):
    form = DecisionForm()
    if not form.validate():  # checked first: a forged POST learns nothing
        flash(form.csrf_message() or "Не удалось проверить форму: обновите страницу.", "error")
        return redirect(url_for("mentoring_admin.registration_event", news_id=news_id))
    registration = session().get(Registration, registration_id)
    if action not in ACTIONS or registration is None or registration.news_id != news_id:
        abort(404)
    version = int(form.version.data) if str(form.version.data or "").isdigit() else None
    try:
        ids = events.decide(session(), registration_id, ACTIONS[action],
                            actor=g.mentoring_editor.label, version=version)
    except editing.EditError as exc:
        flash(str(exc), "error")
    else:
        outbox.send_after_response(ids)
        flash(f"Заявка № {registration_id}: {ACTIONS[action].label}. Письмо участнику "
              "поставлено в очередь.", "ok")
    return redirect(url_for("mentoring_admin.registration_event", news_id=news_id))


@bp.post("/registracii/<mentoring_id:news_id>/iz-rezerva/")
@requires()
def registration_promote(news_id: int):
    form = DecisionForm()
    if not form.validate():
        flash(form.csrf_message() or "Не удалось проверить форму: обновите страницу.", "error")
    else:
        _announcement(news_id)
        try:
            ids = events.promote(session(), news_id, actor=g.mentoring_editor.label)
        except editing.EditError as exc:
            flash(str(exc), "error")
        else:
            outbox.send_after_response(ids)
            flash(f"Из резерва принято заявок: {len(ids)}." if ids
                  else "Свободных мест нет или резерв пуст.", "ok" if ids else "error")
    return redirect(url_for("mentoring_admin.registration_event", news_id=news_id))


# -- downloads --------------------------------------------------------------------------------


def _table(news_id: int) -> tuple[str, list[list[str]]]:
    item = _announcement(news_id)
    rows = session().scalars(sa.select(Registration).where(Registration.news_id == news_id)
                             .order_by(Registration.status, Registration.created_at,
                                       Registration.id)).all()
    header = ["№", "Фамилия, имя, отчество", "Школа или организация", "Электронная почта",
              "Комментарий", "Состояние", "Подана", "Редакция согласия"]
    table = [[str(r.id), r.name, r.organisation, r.email, r.comment, r.status.label,
              f"{clock.to_local(r.created_at):%d.%m.%Y %H:%M}", str(r.consent_number)]
             for r in rows]
    return item.title, [header, *table]


def _download(body: bytes, content_type: str, title: str, ext: str) -> Response:
    response = Response(body, content_type=content_type)
    day = f"{clock.today():%Y-%m-%d}"
    response.headers["Content-Disposition"] = content_disposition(
        f"Участники — {title[:80]} — {day}.{ext}", f"participants-{day}.{ext}")
    return response


@bp.get("/registracii/<mentoring_id:news_id>/uchastniki.csv")
@requires()
def registrations_csv(news_id: int):
    title, rows = _table(news_id)
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with the mark; «;» as with Russian settings
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [[_cell(v) for v in row] for row in rows])
    return _download(out.getvalue().encode("utf-8"), "text/csv; charset=utf-8", title, "csv")


@bp.get("/registracii/<mentoring_id:news_id>/uchastniki.xlsx")
@requires()
def registrations_xlsx(news_id: int):
    from openpyxl import Workbook

    title, rows = _table(news_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "Участники"
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), "application/vnd.openxmlformats-officedocument."
                     "spreadsheetml.sheet", title, "xlsx")
