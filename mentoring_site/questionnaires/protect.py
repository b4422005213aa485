"""Keeping bots and floods away from the public forms, without third-party services.

- a honeypot: a text field inside a ``hidden`` block, which people never see or reach and
  form-filling bots fill in;
- a signed stamp: the form carries the questionnaire's id and the moment it was shown,
  signed with the app's SECRET_KEY (``auth.identity.signer``). It gives a minimum fill
  time (a person needs seconds; a script posts at once) and a maximum age. It is also the
  form's CSRF token: the form has no session and no authority a forged request could ride
  on, and together with the Origin check of the view a third-party page cannot post it;
  Flask-WTF's session token would set a cookie on every public page for nothing.
- rate limits per address and for everyone together, counted in ``auth.throttle``'s
  table (``window_*``): a flood from one address stops at its limit while other addresses
  still get through, and the global limit with the cap on unprocessed answers bounds what
  any flood can store. The request size cap is the view's (``MENTORING_FORM_MAX_BYTES``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature
from sqlalchemy.orm import Session

from .. import clock
from ..auth import throttle
from ..auth.identity import signer
from ..models import Answer, AnswerStatus

HONEYPOT = "website"
STAMP = "stamp"
_SALT = "mentoring-questionnaire"
ADDRESS_PREFIX = "form-ip:"
TOTAL_KEY = "form-total"

TOO_FAST = ("Анкета отправлена слишком быстро после открытия — так делают программы-роботы. "
            "Проверьте ответы и отправьте анкету ещё раз.")
STALE = ("Страница с анкетой была открыта слишком долго. Ваши ответы сохранены в форме ниже — "
         "проверьте их и отправьте анкету ещё раз.")
FORGED = ("Не удалось проверить форму (возможно, она открыта с другой страницы). Ваши ответы "
          "сохранены в форме ниже — отправьте анкету ещё раз.")
HONEYPOT_FILLED = ("Анкета не принята: заполнено служебное поле, которое люди не видят. "
                   "Если вы заполняли анкету сами, обновите страницу и отправьте её снова.")
FULL = ("Сейчас анкеты не принимаются: накопилось много необработанных ответов. Попробуйте "
        "отправить анкету через день-два или обратитесь к куратору наставничества.")


def _minutes(seconds: int) -> str:
    n = max(1, math.ceil(seconds / 60))
    word = "минуту" if n % 10 == 1 and n % 100 != 11 else (
        "минуты" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "минут")
    return f"{n} {word}"


@dataclass
class Refusal(Exception):
    """A submission refused before its answers were read; ``message`` is for the person,
    ``status`` the HTTP status the form comes back with."""

    message: str
    status: int = 400

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    """The settings, read once per request from the app's config."""

    min_seconds: int
    max_age: int
    per_address: int
    total: int
    window: timedelta
    max_new: int

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> Limits:
        return cls(min_seconds=cfg["MENTORING_FORM_MIN_SECONDS"],
                   max_age=cfg["MENTORING_FORM_MAX_AGE"],
                   per_address=cfg["MENTORING_FORM_LIMIT_PER_ADDRESS"],
                   total=cfg["MENTORING_FORM_LIMIT_TOTAL"],
                   window=timedelta(seconds=cfg["MENTORING_FORM_LIMIT_WINDOW"]),
                   max_new=cfg["MENTORING_FORM_MAX_NEW_ANSWERS"])


def issue_stamp(questionnaire_id: int, consent_number: int, at: float | None = None) -> str:
    """The signed stamp the form carries: which questionnaire, with which consent text,
    shown when."""
    shown_at = int(clock.epoch_seconds() if at is None else at)
    return signer(_SALT).dumps({"q": questionnaire_id, "c": consent_number, "t": shown_at})


def check_bot(form: Mapping[str, Any], questionnaire_id: int, limits: Limits) -> int:
    """The honeypot and the stamp; raises ``Refusal``, or returns the number of the consent
    text the person was shown. Nothing is written."""
    if str(form.get(HONEYPOT) or "").strip():
        raise Refusal(HONEYPOT_FILLED)
    raw = form.get(STAMP)
    try:
        data = signer(_SALT).loads(raw) if isinstance(raw, str) and len(raw) < 500 else None
    except BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("q") != questionnaire_id \
            or not isinstance(data.get("t"), int) or not isinstance(data.get("c"), int):
        raise Refusal(FORGED)
    age = clock.epoch_seconds() - data["t"]
    if age < limits.min_seconds:
        raise Refusal(TOO_FAST)
    if age > limits.max_age:
        raise Refusal(STALE)
    return data["c"]


def address_key(address: str) -> str:
    return ADDRESS_PREFIX + (address or "?")[:150]


def over_limit(sess: Session, address: str, limits: Limits, *, lock: bool = False,
               now: datetime | None = None) -> Refusal | None:
    """The refusal (429) when this address, or everyone together, reached the limit of the
    window; None otherwise. Read-only, so the view asks it before reading a flood's body."""
    now = now or clock.now_utc()
    wait = throttle.window_wait(sess, address_key(address), limits.per_address, limits.window,
                                now, lock=lock)
    if wait:
        return Refusal("С вашего адреса уже отправлено много анкет. Попробуйте ещё раз через "
                       f"{_minutes(wait)}.", 429)
    wait = throttle.window_wait(sess, TOTAL_KEY, limits.total, limits.window, now, lock=lock)
    if wait:
        return Refusal("Сейчас анкеты отправляют слишком часто. Попробуйте ещё раз через "
                       f"{_minutes(wait)}.", 429)
    return None


def take_place(sess: Session, address: str, limits: Limits,
               now: datetime | None = None) -> None:
    """Count this answer against the limits, or raise ``Refusal`` when a limit is reached
    (429) or too many answers wait unprocessed (503); call inside the transaction that
    stores the answer (the rows are locked on PostgreSQL)."""
    now = now or clock.now_utc()
    refusal = over_limit(sess, address, limits, lock=True, now=now)
    if refusal is not None:
        raise refusal
    new = sess.scalar(sa.select(sa.func.count()).select_from(Answer).where(
        Answer.status == AnswerStatus.NEW)) or 0
    if new >= limits.max_new:
        raise Refusal(FULL, 503)
    throttle.window_forget(sess, ADDRESS_PREFIX, limits.window, now)
    throttle.window_count(sess, address_key(address), limits.window, now)
    throttle.window_count(sess, TOTAL_KEY, limits.window, now)
