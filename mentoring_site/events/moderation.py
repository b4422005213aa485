"""The curator's decisions on registrations: accept, reject, put in the reserve, take the
first of the reserve when a place frees up. Each decision goes through ``editing`` (the
journal records «Заявка № N: принята», never the person's data) and queues the letter
telling the person, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import clock, editing, outbox
from ..db import begin_write
from ..models import EventRegistration, NewsItem, Registration, RegistrationStatus
from . import letters

KIND = editing.RecordKind(name="registration", model=Registration, slug_source=None)
SETTINGS_KIND = editing.RecordKind(name="event_registration", model=EventRegistration,
                                   slug_source=None)
#: A registration in these states holds a place (a pending one too, until decided).
HOLDING = (RegistrationStatus.SUBMITTED, RegistrationStatus.ACCEPTED)


@dataclass(frozen=True)
class Counts:
    """How many registrations of one event are in each state, and the places."""

    by_status: dict[RegistrationStatus, int]
    capacity: int | None

    @property
    def taken(self) -> int:
        return sum(self.by_status.get(s, 0) for s in HOLDING)

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    @property
    def reserve(self) -> int:
        return self.by_status.get(RegistrationStatus.RESERVE, 0)


def counts(sess: Session, news_id: int, capacity: int | None) -> Counts:
    rows = sess.execute(sa.select(Registration.status, sa.func.count())
                        .where(Registration.news_id == news_id)
                        .group_by(Registration.status)).all()
    return Counts({RegistrationStatus(s): n for s, n in rows}, capacity)


def is_full(sess: Session, settings: EventRegistration) -> bool:
    if settings.capacity is None:
        return False
    return counts(sess, settings.news_id, settings.capacity).taken >= settings.capacity


def decide(sess: Session, registration_id: int, status: RegistrationStatus, *, actor: str,
           version: int | None = None) -> list[int]:
    """Set a registration's status and queue the letter; commit. Returns the letters' ids.
    ``editing.EditError`` (Russian) when the record changed meanwhile, the status is the
    same, or accepting would exceed the places."""
    queued: list[int] = []

    def change(sess: Session, registration: Registration) -> str:
        if version is not None and registration.version != version:
            raise editing.Conflict
        if registration.status is status:
            raise editing.Refused(f"Заявка № {registration.id} уже {status.label}.")
        settings = sess.scalar(sa.select(EventRegistration).where(
            EventRegistration.news_id == registration.news_id))
        if status is RegistrationStatus.ACCEPTED and registration.status not in HOLDING \
                and settings is not None and is_full(sess, settings):
            raise editing.Refused(
                "Свободных мест нет: все места заняты принятыми и ещё не рассмотренными "
                "заявками. Отклоните одну из них или увеличьте число мест.")
        registration.status = status
        registration.decided_at = clock.now_utc()
        item = sess.get(NewsItem, registration.news_id)
        assert item is not None
        subject, body, with_details = letters.decision(registration, item, settings)
        if with_details:
            registration.reminded_at = clock.now_utc()
        letter = outbox.enqueue(sess, registration.email, subject, body)
        sess.flush()
        queued.append(letter.id)
        return f"Заявка № {registration.id}: {status.label}"

    begin_write(sess)
    editing.change_record(sess, KIND, registration_id, change, actor=actor)
    return queued


def promote(sess: Session, news_id: int, *, actor: str) -> list[int]:
    """Accept the earliest registrations of the reserve, as many as there are free places
    (all of them when the event has no limit). Returns the letters' ids."""
    settings = sess.scalar(sa.select(EventRegistration).where(
        EventRegistration.news_id == news_id))
    capacity = settings.capacity if settings else None
    free = counts(sess, news_id, capacity).free
    stmt = (sa.select(Registration.id)
            .where(Registration.news_id == news_id,
                   Registration.status == RegistrationStatus.RESERVE)
            .order_by(Registration.created_at, Registration.id))
    if free is not None:
        stmt = stmt.limit(free)
    queued: list[int] = []
    for registration_id in list(sess.scalars(stmt)):
        queued += decide(sess, registration_id, RegistrationStatus.ACCEPTED, actor=actor)
    return queued


def save_settings(sess: Session, news_id: int, values: dict, *, actor: str,
                  version: int | None) -> EventRegistration:
    """An announcement's registration settings, created on first save."""
    current = sess.scalar(sa.select(EventRegistration).where(
        EventRegistration.news_id == news_id))
    begin_write(sess)
    return editing.save_record(
        sess, SETTINGS_KIND, current.id if current else None,
        {**values, "news_id": news_id}, actor=actor,
        version=version if current else None)
