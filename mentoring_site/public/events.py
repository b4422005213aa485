"""Registration on an announcement's own page: the block under the announcement (the form,
«Регистрация закрыта», or places left), the POST that stores a registration (then a
redirect to a thank-you page), and the letter sent at once when the SMTP server answers.

The form is the questionnaires' kind: plain HTML, no JavaScript, a honeypot and a signed
stamp, rate limits, a size cap; bad input comes back with everything typed and a Russian
message per field. Nothing of any registration is ever shown here but what the visitor
typed into the form that came back to them."""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from .. import clock, events, outbox, queries
from ..compat import limit_request_body
from ..db import session
from ..models import NewsItem
from ..queries.events import RegistrationBox, registration_box
from ..questionnaires.protect import Limits
from . import blueprint as bp
from . import meta
from .questionnaires import _address, _refuse_cross_origin

NOT_SENT = "Заявка не отправлена: исправьте поля, отмеченные ниже."


def registration_context(item: NewsItem, sub: events.Submission | None = None,
                         message: str | None = None) -> dict[str, Any]:
    """What news_item.html needs for its registration block."""
    sess = session()
    box = registration_box(sess, item, clock.now_local())
    consent = events.consent_in_force(sess) if box.open else None
    stamp = events.issue_stamp(item.id, consent.number) if consent else None
    return {"registration": box, "reg_consent": consent, "reg_stamp": stamp,
            "reg": sub or events.Submission(), "reg_message": message}


def no_store_if_form(response, box: RegistrationBox):
    """A page holding a fresh stamp (or typed data) is never cached."""
    if box.open:
        response.headers["Cache-Control"] = "no-store"
    return response


def _page(item: NewsItem, sub: events.Submission | None, message: str | None, status: int):
    context = registration_context(item, sub, message)
    response = current_app.make_response((render_template(
        "mentoring/news_item.html", item=item, meta=meta.for_news(item), **context), status))
    return no_store_if_form(response, context["registration"])


def _item(slug: str) -> NewsItem:
    from .views import _one

    return _one(queries.news_item, slug)


@bp.post("/novosti/<slug>/registraciya/")
def event_register(slug: str):
    _refuse_cross_origin()
    limits = Limits.from_config(current_app.config)
    flood = events.over_limit(session(), _address(), limits)
    item = _item(slug)
    if flood is not None:  # a flood's body is neither read nor shown back
        return _page(item, None, str(flood), flood.status)
    limit_request_body(current_app.config["MENTORING_FORM_MAX_BYTES"])
    try:
        form = request.form
    except RequestEntityTooLarge:
        return _notice(item, "Заявка слишком большая", "Заявка не отправлена: в ней слишком "
                       "много текста. Вернитесь назад, сократите комментарий и отправьте "
                       "заявку снова.", 413)
    sub = events.read(form)
    try:
        consent_number = events.check_bot(form, item.id, limits)
        if not sub.ok:
            return _page(item, sub, NOT_SENT, 200)
        _registration, ids = events.register(session(), item.id, sub,
                                             consent_number=consent_number,
                                             address=_address(), limits=limits)
    except events.Refusal as refusal:
        if refusal.message == events.CONSENT_CHANGED:
            sub.typed["consent"] = False
        return _page(item, sub, refusal.message, refusal.status)
    outbox.send_after_response(ids)
    return redirect(url_for("mentoring.event_registered", slug=slug), 303)


@bp.get("/novosti/<slug>/registraciya/spasibo/")
def event_registered(slug: str):
    item = _item(slug)
    return _notice(item, "Спасибо, заявка отправлена",
                   f"Ваша заявка на участие в мероприятии «{item.title}» получена. "
                   "Подтверждение придёт на указанный адрес электронной почты, решение "
                   "куратора — тоже письмом.")


def _notice(item: NewsItem, heading: str, text: str, status: int = 200):
    return render_template("mentoring/event_notice.html", item=item, heading=heading,
                           text=text, meta=meta.for_page(heading, None)), status
