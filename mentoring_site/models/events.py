"""Registration for announced events, and the outgoing mail queue.

An announcement (``NewsItem`` of kind «Анонс») keeps its date, time and public place; what
registration adds lives beside it in ``EventRegistration`` (one row per announcement that
takes registrations), so the news model and its admin stay as they are.

Registrations are personal data like questionnaire answers: a name, a school, an e-mail.
No rule in ``rules.py`` lets one out; the public sees only counts (places left). The
consent text is copied into each registration (152-ФЗ ст. 9: the operator proves what the
person agreed to), from the same numbered ``ProcessingConsent`` the questionnaires use.

Mail is queued in the database (``MailMessage``) and sent by ``outbox``: a failing SMTP
server loses nothing, a message waits for its next attempt.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now_utc
from ..db import Base, Timestamped
from ._types import LabeledEnum, enum_column
from .content import NewsItem


class RegistrationStatus(LabeledEnum):
    SUBMITTED = "submitted", "подана"
    ACCEPTED = "accepted", "принята"
    REJECTED = "rejected", "отклонена"
    RESERVE = "reserve", "в резерве"


class EventRegistration(Timestamped, Base):
    """An announcement's registration settings. Times are school-local (as the event's)."""

    __tablename__ = "mentoring_event_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_news.id", ondelete="CASCADE"), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    #: places; None: no limit
    capacity: Mapped[int | None] = mapped_column()
    #: the last moment registrations are taken (school-local); None: until the event starts
    deadline: Mapped[datetime | None] = mapped_column()
    #: the place or the link, told to accepted participants only, on the day (by mail)
    day_details: Mapped[str] = mapped_column(sa.Text, default="")

    news: Mapped[NewsItem] = relationship()


class Registration(Timestamped, Base):
    """One person's application to one event; ``decided_at``: the curator's last decision,
    ``reminded_at``: when the «сегодня» letter with the place or link was queued."""

    __tablename__ = "mentoring_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_news.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[str] = mapped_column(sa.String(300))
    email: Mapped[str] = mapped_column(sa.String(254))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    consent_text: Mapped[str] = mapped_column(sa.Text)
    consent_number: Mapped[int] = mapped_column()
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus), default=RegistrationStatus.SUBMITTED, index=True)
    decided_at: Mapped[datetime | None] = mapped_column()
    reminded_at: Mapped[datetime | None] = mapped_column()

    news: Mapped[NewsItem] = relationship()


class MailMessage(Base):
    """A letter to send. Unsent while ``sent_at`` is None; tried again from
    ``next_attempt_at`` on (exponential backoff after each failure)."""

    __tablename__ = "mentoring_mail_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
