"""Storing an answer: the one write a visitor can make.

A deliberate exception to "every save through ``editing.py``": the save path is for the
curator's edits (a version to check, a slug, a journal entry naming the editor, restore).
An answer has none of these, and a journal entry would copy a person's answers into the
audit log, where they would outlive the answer's deletion (152-ФЗ: data kept no longer than
its purpose). What the curator later does with an answer (its status, the person it
became) goes through ``editing.py`` like any other change.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..db import begin_write
from ..models import Answer, ConsentPurpose, ProcessingConsent, Questionnaire
from ..signals import content_saved
from .answers import Submission
from .protect import Limits, Refusal, take_place

CONSENT_CHANGED = ("Пока вы заполняли анкету, школа изменила текст согласия на обработку "
                   "персональных данных. Прочитайте новый текст ниже и, если согласны, "
                   "отметьте согласие и отправьте анкету ещё раз. Ваши ответы сохранены.")


def current_consent(sess: Session, purpose: ConsentPurpose = ConsentPurpose.QUESTIONNAIRE,
                    ) -> ProcessingConsent | None:
    """The school's consent text in force for ``purpose``'s form: its highest number."""
    return sess.scalar(sa.select(ProcessingConsent)
                       .where(ProcessingConsent.purpose == purpose)
                       .order_by(ProcessingConsent.number.desc()).limit(1))


def accept(sess: Session, questionnaire: Questionnaire, submission: Submission, *,
           consent_number: int, address: str, limits: Limits) -> Answer:
    """Store a checked submission with the consent text it was given under, within the
    limits (``Refusal`` otherwise), and commit. Hosts hear ``content_saved`` (kind
    ``"answer"``), e.g. to tell the curator."""
    questionnaire_id = questionnaire.id
    begin_write(sess)
    try:
        consent = current_consent(sess)
        if consent is None or consent.number != consent_number:
            raise Refusal(CONSENT_CHANGED)
        take_place(sess, address, limits)
        answer = Answer(questionnaire_id=questionnaire_id, answers=submission.clean,
                        consent_text=consent.text, consent_number=consent.number)
        sess.add(answer)
        sess.flush()
        answer_id = answer.id
        sess.commit()
    except BaseException:
        sess.rollback()
        raise
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    content_saved.send(app, _async_wrapper=app.ensure_sync, kind="answer", id=answer_id,
                       action="create")
    return answer
