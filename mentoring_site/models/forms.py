"""Questionnaires the school publishes, the consent to processing asked with them, and the
answers they collect.

Why answers copy the question text and the consent text: a curator may reword a question
or the consent after people answered; the answer must keep what the person actually read
and agreed to (152-ФЗ ст. 9: the consent's content is proved by the operator). Answers are
never public: no rule in ``rules.py`` lets one out, and no query of ``queries/`` reads them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .people import Person
from .programs import Program


class QuestionnairePurpose(LabeledEnum):
    """What the answers are for: the next step (a bank card, a roll-up) depends on it."""

    MENTOR = "mentor", "Анкета наставника"
    MENTEE = "mentee", "Анкета наставляемого"
    FEEDBACK = "feedback", "Обратная связь, удовлетворённость"
    OTHER = "other", "Другое"


class ConsentPurpose(LabeledEnum):
    """Which public form a consent text is asked with: each has its own wording (a
    registration is not a questionnaire) and its own numbered editions."""

    QUESTIONNAIRE = "questionnaire", "Анкеты"
    REGISTRATION = "registration", "Регистрация на мероприятия"


class QuestionKind(LabeledEnum):
    SHORT = "short", "Строка"
    LONG = "long", "Текст в несколько строк"
    ONE = "one", "Один вариант из списка"
    SEVERAL = "several", "Несколько вариантов из списка"
    SCALE = "scale", "Оценка от 1 до 5"
    DATE = "date", "Дата"


class AnswerStatus(LabeledEnum):
    NEW = "new", "Новая"
    PROCESSED = "processed", "Обработана"


class Questionnaire(Timestamped, Base):
    """A form the public may fill while it is open (``rules.questionnaire_open_clause``)."""

    __tablename__ = "mentoring_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    purpose: Mapped[QuestionnairePurpose] = mapped_column(
        enum_column(QuestionnairePurpose), default=QuestionnairePurpose.OTHER)
    is_open: Mapped[bool] = mapped_column(default=False)
    #: the last day answers are taken (the school's local date, inclusive); None: no deadline
    deadline: Mapped[date | None] = mapped_column()
    #: feedback of one programme's participants; None: not tied to a programme
    program_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_program.id", ondelete="SET NULL"), index=True)
    sort: Mapped[int] = mapped_column(default=0)

    program: Mapped[Program | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan",
        order_by="(Question.sort, Question.id)",
    )


class Question(Base):
    """One question; ``options`` (a JSON list of strings) only for the two choice kinds."""

    __tablename__ = "mentoring_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_questionnaire.id", ondelete="CASCADE"), index=True)
    sort: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    text: Mapped[str] = mapped_column(sa.String(500))
    help: Mapped[str] = mapped_column(sa.String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.ONE, QuestionKind.SEVERAL)


class ProcessingConsent(Base):
    """The school's text of the consent to processing of personal data (152-ФЗ ст. 9):
    operator, purposes, data, term, how to withdraw. Append-only: each change is a new row
    with the next ``number`` (one sequence for all texts), so every stored answer or
    registration points at words that still exist. One text per ``purpose``: the one in
    force is the highest number of that purpose."""

    __tablename__ = "mentoring_processing_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_column(ConsentPurpose),
                                                    default=ConsentPurpose.QUESTIONNAIRE)
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class Answer(Timestamped, Base):
    """One submitted questionnaire. ``answers``: ``{"<question id>": {"question": text as
    asked, "kind": kind, "value": str | list[str] | int | "YYYY-MM-DD" | None}}``."""

    __tablename__ = "mentoring_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_questionnaire.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    consent_text: Mapped[str] = mapped_column(sa.Text)
    consent_number: Mapped[int] = mapped_column()
    status: Mapped[AnswerStatus] = mapped_column(enum_column(AnswerStatus),
                                                 default=AnswerStatus.NEW, index=True)
    #: the bank card this answer became (the next step); None: not yet
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_person.id", ondelete="SET NULL"), index=True)

    questionnaire: Mapped[Questionnaire] = relationship()
    person: Mapped[Person | None] = relationship()
