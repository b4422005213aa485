"""«Заявка в Лигу менторов»: the school's curator sends an application to the office.

Shown when MENTORING_OFFICE_URL and MENTORING_OFFICE_TOKEN are set (the key the office
made for this school). The directions come from the office's own list; the contact is
prefilled with the section's curator; the office's answer is shown as it came.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..queries.home import section_info
from . import blueprint as bp
from .forms_base import AdminForm, not_blank
from .guard import requires
from .league_client import OfficeError, directions, send


class LeagueForm(AdminForm):
    directions = SelectMultipleField(
        "Направления, по которым школа готова наставничать", choices=[],
        validators=[InputRequired("Отметьте хотя бы одно направление.")])
    contact_name = StringField("Контактное лицо (ФИО)",
                               validators=[not_blank, Length(max=300)])
    contact_position = StringField("Должность", validators=[Length(max=300)])
    contact_phone = StringField("Телефон", validators=[Length(max=100)])
    contact_email = StringField("Электронная почта", validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message="Укажите адрес вида name@school.ru."), Length(max=300)])
    note = TextAreaField("Опыт школы по направлениям (для управления)",
                         validators=[Length(max=3000)])


def _office() -> tuple[str, str] | None:
    cfg = current_app.config
    if not cfg["MENTORING_OFFICE_URL"] or not cfg["MENTORING_OFFICE_TOKEN"]:
        return None
    return cfg["MENTORING_OFFICE_URL"], cfg["MENTORING_OFFICE_TOKEN"]


@bp.route("/liga-mentorov/", methods=["GET", "POST"])
@requires()
def league_application():
    office = _office()
    posted = request.method == "POST"
    if office is None:  # nothing to send to: a POST is refused as the form would be
        return render_template("mentoring/admin/league.html", form=None, problem=None,
                               answer=None, configured=False), 400 if posted else 200
    try:
        offered = directions(office[0])
    except OfficeError as exc:
        return render_template("mentoring/admin/league.html", form=None, problem=str(exc),
                               answer=None, configured=True), 502 if posted else 200
    form = LeagueForm()
    form.directions.choices = [(n, n) for n in offered]
    if not form.is_submitted():
        info = section_info(current_app.extensions["mentoring"].session())
        if info is not None:
            form.contact_name.data = info.curator_name
            form.contact_position.data = info.curator_position
            form.contact_phone.data = info.curator_phone
            form.contact_email.data = info.curator_email
    answer = problem = None
    status = 200
    if form.validate_on_submit():
        if not (form.contact_phone.data or "").strip() and not form.contact_email.data:
            form.contact_phone.errors = ["Укажите телефон или электронную почту."]
            status = 400
        else:
            payload = {"directions": form.directions.data, "note": form.note.data or None,
                       "contact": {"name": form.contact_name.data,
                                   "position": form.contact_position.data or None,
                                   "phone": form.contact_phone.data or None,
                                   "email": form.contact_email.data or None}}
            try:
                answer = send(office[0], office[1], payload)
            except OfficeError as exc:
                problem, status = str(exc), 502
    elif form.is_submitted():
        status = 400
    return render_template("mentoring/admin/league.html", form=form, problem=problem,
                           answer=answer, configured=True), status
