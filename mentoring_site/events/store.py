"""Storing a registration: a visitor's one write here, with the questionnaires' protection.

As with questionnaire answers (see ``questionnaires/store.py``), the visitor's write is not
a curator's edit and does not go through ``editing.py``: no version, no journal entry
copying a person's data into the audit log. The curator's decisions do (``moderation``).
The confirmation letter is queued in the same transaction: it exists exactly when the
registration does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from .. import clock, outbox, rules
from ..auth import throttle
from ..db import begin_write
from ..models import (
    ConsentPurpose,
    EventRegistration,
    NewsItem,
    ProcessingConsent,
    Registration,
    RegistrationStatus,
)
from ..questionnaires import protect
from ..questionnaires import store as answers_store
from ..questionnaires.protect import Limits, Refusal
from ..signals import content_saved
from . import letters
from .form import Submission
from .moderation import is_full

__all__ = ["CLOSED", "Refusal", "check_bot", "consent_in_force", "issue_stamp", "over_limit",
           "register"]

CLOSED = "Регистрация закрыта: заявки на это мероприятие больше не принимаются."
CONSENT_CHANGED = ("Пока вы заполняли заявку, школа изменила текст согласия на обработку "
                   "персональных данных. Прочитайте новый текст ниже и, если согласны, "
                   "отметьте согласие и отправьте заявку ещё раз. Введённое сохранено.")
FULL = ("Сейчас заявки не принимаются: накопилось много нерассмотренных заявок. Попробуйте "
        "через день-два или обратитесь к куратору наставничества.")


def _stamp_id(news_id: int) -> int:
    """The stamp's form id: negative, so a questionnaire's stamp never fits a registration."""
    return -news_id


def consent_in_force(sess: Session) -> ProcessingConsent | None:
    """The registrations' own consent text (not the questionnaires': no «анкета» here)."""
    return answers_store.current_consent(sess, ConsentPurpose.REGISTRATION)


def issue_stamp(news_id: int, consent_number: int, at: float | None = None) -> str:
    return protect.issue_stamp(_stamp_id(news_id), consent_number, at)


def check_bot(form: Mapping[str, Any], news_id: int, limits: Limits) -> int:
    """The honeypot and the signed stamp (minimum fill time, CSRF); the consent number."""
    return protect.check_bot(form, _stamp_id(news_id), limits)


def _in(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} мин."


def over_limit(sess: Session, address: str, limits: Limits, *,
               lock: bool = False) -> Refusal | None:
    """The refusal (429) when this address, or everyone together, sent too many forms in
    the window (the questionnaires' counters: a flood is a flood); None otherwise."""
    now = clock.now_utc()
    wait = throttle.window_wait(sess, protect.address_key(address), limits.per_address,
                                limits.window, now, lock=lock)
    if wait:
        return Refusal("С вашего адреса уже отправлено много заявок. Попробуйте ещё раз "
                       f"через {_in(wait)}", 429)
    wait = throttle.window_wait(sess, protect.TOTAL_KEY, limits.total, limits.window, now,
                                lock=lock)
    if wait:
        return Refusal("Сейчас заявки отправляют слишком часто. Попробуйте ещё раз через "
                       f"{_in(wait)}", 429)
    return None


def _take_place(sess: Session, address: str, limits: Limits) -> None:
    refusal = over_limit(sess, address, limits, lock=True)
    if refusal is not None:
        raise refusal
    waiting = sess.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.status.in_([RegistrationStatus.SUBMITTED, RegistrationStatus.RESERVE])))
    if (waiting or 0) >= limits.max_new:
        raise Refusal(FULL, 503)
    now = clock.now_utc()
    throttle.window_forget(sess, protect.ADDRESS_PREFIX, limits.window, now)
    throttle.window_count(sess, protect.address_key(address), limits.window, now)
    throttle.window_count(sess, protect.TOTAL_KEY, limits.window, now)


def register(sess: Session, news_id: int, submission: Submission, *, consent_number: int,
             address: str, limits: Limits) -> tuple[Registration, list[int]]:
    """Store a checked submission (in the reserve when the event is full) with the consent
    text it was given under and queue the confirmation; commit. Returns the registration
    and the queued letters' ids (for ``outbox.send_soon``). ``Refusal`` when registration
    closed meanwhile, the consent changed, or a limit is reached."""
    begin_write(sess)
    try:
        settings = sess.scalar(sa.select(EventRegistration)
                               .where(EventRegistration.news_id == news_id).with_for_update())
        item = sess.get(NewsItem, news_id)
        if item is None or not rules.registration_open(settings, item, clock.now_local()):
            raise Refusal(CLOSED, 409)
        assert settings is not None
        consent = consent_in_force(sess)
        if consent is None or consent.number != consent_number:
            raise Refusal(CONSENT_CHANGED)
        _take_place(sess, address, limits)
        status = (RegistrationStatus.RESERVE if is_full(sess, settings)
                  else RegistrationStatus.SUBMITTED)
        registration = Registration(news_id=news_id, status=status,
                                    consent_text=consent.text, consent_number=consent.number,
                                    **submission.clean)
        sess.add(registration)
        sess.flush()
        letter = outbox.enqueue(sess, registration.email,
                                *letters.confirmation(registration, item))
        sess.flush()
        ids = [letter.id]
        sess.commit()
    except BaseException:
        sess.rollback()
        raise
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    content_saved.send(app, _async_wrapper=app.ensure_sync, kind="registration",
                       id=registration.id, action="create")
    return registration, ids


