"""Public questionnaires: the list of open ones, a form that works without JavaScript, and
the thank-you page after it (POST, then redirect). Answers are never shown here: a visitor
only ever sees the answers they typed, on the form that came back to them."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, url_for

from .. import queries
from .. import questionnaires as forms
from ..compat import limit_request_body
from ..db import session
from ..models import ProcessingConsent, Questionnaire
from ..questionnaires.protect import Limits
from ..questionnaires.store import CONSENT_CHANGED
from . import blueprint as bp
from . import meta
from .views import _clock, _one

NOT_SENT = "Анкета не отправлена: исправьте ответы, отмеченные ниже."


@bp.get("/ankety/")
def questionnaires():
    items = queries.open_questionnaires(session(), _clock())
    entries = [(q.title, url_for("mentoring.questionnaire", slug=q.slug)) for q in items]
    return render_template(
        "mentoring/questionnaires.html", items=items,
        meta=meta.for_list("Анкеты", "Анкеты наставников и наставляемых, опросы "
                           "участников программ наставничества.", entries),
    )


@bp.route("/ankety/<slug>/", methods=["GET", "POST"])
def questionnaire(slug: str):
    if request.method == "POST":
        _refuse_cross_origin()
        refusal = forms.over_limit(session(), _address(), Limits.from_config(current_app.config))
        if refusal is not None:  # a flood costs two reads: its body is neither read nor shown
            return _notice(None, "Анкета не принята", str(refusal), refusal.status)
    item = _one(queries.questionnaire_form, slug)
    consent = forms.current_consent(session())
    if request.method == "GET" or consent is None:
        return _form(item, consent)
    submission, status, message = _submit(item)
    if submission is None:
        return redirect(url_for("mentoring.questionnaire_thanks", slug=slug), 303)
    return _form(item, consent, submission, message, status)


@bp.get("/ankety/<slug>/spasibo/")
def questionnaire_thanks(slug: str):
    item = _one(queries.questionnaire_form, slug)
    return _notice(None, "Спасибо, анкета отправлена",
                   f"Ваши ответы на анкету «{item.title}» получены. Куратор наставничества "
                   "рассмотрит их и при необходимости свяжется с вами.")


def _notice(item: Questionnaire | None, heading: str, text: str, status: int = 200):
    """A short page instead of the form: thanks, or why nothing was taken."""
    return render_template("mentoring/questionnaire_notice.html", item=item, heading=heading,
                           text=text, meta=meta.for_page(heading, None)), status


def _address() -> str:
    return request.remote_addr or "?"


def _form(item: Questionnaire, consent: ProcessingConsent | None,
          submission: forms.Submission | None = None, message: str | None = None,
          status: int = 200):
    """The form, empty or as typed; never cached (it holds a fresh stamp, or answers)."""
    stamp = forms.issue_stamp(item.id, consent.number) if consent else None
    response = current_app.make_response((render_template(
        "mentoring/questionnaire.html", item=item, consent=consent, stamp=stamp,
        sub=submission or forms.Submission(), message=message,
        field_name=forms.field_name, honeypot=forms.HONEYPOT, stamp_name=forms.STAMP,
        meta=meta.for_page(item.title, item.intro)), status))
    response.headers["Cache-Control"] = "no-store"
    return response


def _submit(item: Questionnaire) -> tuple[forms.Submission | None, int, str | None]:
    """Read, check and store one POST: (None, 303, None) when stored, or the submission as
    typed with the status and the message to show it back with."""
    cfg = current_app.config
    limit_request_body(cfg["MENTORING_FORM_MAX_BYTES"])  # 413 before reading more
    limits = Limits.from_config(cfg)
    submission = forms.read(item.questions, request.form)
    try:
        consent_number = forms.check_bot(request.form, item.id, limits)
        if not submission.ok:
            return submission, 200, NOT_SENT
        forms.accept(session(), item, submission, consent_number=consent_number,
                     address=_address(), limits=limits)
    except forms.Refusal as refusal:
        if refusal.message == CONSENT_CHANGED:
            submission.typed["consent"] = False
        return submission, refusal.status, refusal.message
    return None, 303, None


def _refuse_cross_origin() -> None:
    """A POST sent by another site's page is refused before anything is read."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(403)


@bp.errorhandler(413)
def _too_large(_error):
    return _notice(None, "Анкета слишком большая", "Анкета не отправлена: в ней слишком много "
                   "текста. Вернитесь назад, сократите самые длинные ответы и отправьте анкету "
                   "снова.", 413)
