"""The open questionnaires and one questionnaire's form. Never an answer: answers are read
only by the admin (``queries/admin_forms.py``)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from .. import rules
from ..models import Questionnaire
from .base import Clock, NotFound


def open_questionnaires(sess: Session, clock: Clock) -> list[Questionnaire]:
    return list(sess.scalars(
        sa.select(Questionnaire).where(rules.questionnaire_open_clause(clock.today))
        .order_by(Questionnaire.sort, Questionnaire.title)))


def questionnaire_form(sess: Session, clock: Clock, slug: str) -> Questionnaire:
    """An open questionnaire with its questions; NotFound when closed or missing."""
    item = sess.scalar(
        sa.select(Questionnaire)
        .where(Questionnaire.slug == slug, rules.questionnaire_open_clause(clock.today))
        .options(selectinload(Questionnaire.questions)))
    if item is None:
        raise NotFound(slug)
    return item
