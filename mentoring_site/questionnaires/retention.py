"""Answers are kept no longer than the school says (152-ФЗ ст. 5 ч. 7: data kept no longer
than its purpose needs; the shipped consent text promises one year at most).

- ``purge``: answers older than ``MENTORING_FORM_ANSWERS_KEEP_DAYS`` are deleted — by
  ``flask mentoring purge-answers`` (cron), and as a safety net by the admin's answers list
  before it reads (one indexed count when nothing is due, so the net costs nothing);
- ``forget_withdrawn`` (and ``forget_due_withdrawals`` for a withdrawal recorded ahead of
  its date, when that date comes): when the withdrawal of a consent to processing for the banks
  (``ProcessingAgreement``, 152-ФЗ ст. 9) is recorded on a person's card, the answers that
  became that card and came before the withdrawal are deleted: they were given under that
  consent. A withdrawn consent to dissemination (ст. 10.1) only hides the person from the
  site and leaves the answers (the school still processes the data). Hooked on
  ``signals.content_saved`` (every agreement is saved through ``editing.save_record``), so
  no screen has to remember it.

Each deletion is journaled under its questionnaire with the count and the reason, never
with the answers' content (the journal would otherwise outlive the data it must forget).
The bank cards made from answers stay: they are the curator's records, with their own
consents.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from .. import audit, clock
from ..db import begin_write
from ..models import Answer, ProcessingAgreement, Questionnaire

ACTOR = "автоматически (срок хранения ответов)"
WITHDRAWAL_ACTOR = "автоматически (отзыв согласия)"


def _delete(sess: Session, where: Any, *, actor: str, reason: str) -> int:
    """Delete the answers ``where`` selects, one journal entry per questionnaire (count and
    reason), and commit. Returns how many went."""
    counts = Counter(dict(sess.execute(
        sa.select(Answer.questionnaire_id, sa.func.count()).where(where)
        .group_by(Answer.questionnaire_id)).all()))
    if not counts:
        return 0
    try:
        sess.execute(sa.delete(Answer).where(where).execution_options(
            synchronize_session=False))
        for questionnaire in sess.scalars(sa.select(Questionnaire).where(
                Questionnaire.id.in_(counts))):
            audit.record(sess, actor=actor, action="update", kind="questionnaire",
                         obj=questionnaire, changes={"действие": [
                             None, f"удалено ответов: {counts[questionnaire.id]} — {reason}"]})
        sess.commit()
    except BaseException:
        sess.rollback()
        raise
    sess.expire_all()
    return sum(counts.values())


def cutoff(keep_days: int, now: datetime | None = None) -> datetime:
    """Answers submitted before this moment (UTC) are past their term."""
    return (now or clock.now_utc()) - timedelta(days=keep_days)


def purge(sess: Session, keep_days: int, *, now: datetime | None = None,
          actor: str = ACTOR) -> int:
    """Delete the answers past their term; cheap when none is (one indexed read)."""
    where = Answer.submitted_at < cutoff(keep_days, now)
    if not sess.scalar(sa.select(sa.exists().where(where))):
        return 0
    begin_write(sess)
    return _delete(sess, where, actor=actor,
                   reason=f"истёк срок хранения ({keep_days} дн.)")


def purge_configured(sess: Session) -> int:
    """``purge`` with the app's setting, and the withdrawals whose day has come."""
    return (purge(sess, current_app.config["MENTORING_FORM_ANSWERS_KEEP_DAYS"])
            + forget_due_withdrawals(sess))


def forget_due_withdrawals(sess: Session, *, today: date | None = None) -> int:
    """A withdrawal recorded ahead of its date is acted on when the date comes: the cron
    command and the admin's answers list ask here (one read when nothing is due)."""
    today = today or clock.today()
    due = sess.execute(
        sa.select(ProcessingAgreement.person_id, sa.func.max(ProcessingAgreement.withdrawn_on))
        .where(ProcessingAgreement.withdrawn_on <= today,
               sa.exists().where(Answer.person_id == ProcessingAgreement.person_id))
        .group_by(ProcessingAgreement.person_id)).all()
    forgotten = 0
    for person_id, withdrawn_on in due:
        if withdrawn_on is not None:  # the WHERE already says so; the type does not
            forgotten += forget_person(sess, person_id, withdrawn_on)
    return forgotten


def forget_person(sess: Session, person_id: int, withdrawn_on: date, *,
                  actor: str = WITHDRAWAL_ACTOR) -> int:
    """Delete the answers that became this card and came in by the day of the withdrawal
    (an answer sent later was given under a new consent)."""
    until = clock.to_utc(datetime.combine(withdrawn_on + timedelta(days=1), datetime.min.time()))
    where = sa.and_(Answer.person_id == person_id, Answer.submitted_at < until)
    if not sess.scalar(sa.select(sa.exists().where(where))):
        return 0
    begin_write(sess)
    return _delete(sess, where, actor=actor,
                   reason=f"согласие отозвано {withdrawn_on:%d.%m.%Y}")


def forget_withdrawn(sess: Session, agreement_id: int, *, today: date | None = None) -> int:
    """After a consent to processing is saved: if it is withdrawn (as of today), forget the
    answers."""
    consent = sess.get(ProcessingAgreement, agreement_id)
    today = today or clock.today()
    if consent is None or consent.withdrawn_on is None or consent.withdrawn_on > today:
        return 0
    return forget_person(sess, consent.person_id, consent.withdrawn_on)


def on_content_saved(_sender: Any, *, kind: str, id: int, **_: Any) -> None:  # noqa: A002
    """``signals.content_saved`` receiver: a consent to processing saved withdrawn forgets
    the answers."""
    if kind == "processing_agreement":
        forget_withdrawn(current_app.extensions["mentoring"].session(), id)
