"""What an announcement's page shows of its registration: whether the form is offered,
whether the event is over, places left. Counts only: no registration is ever read out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import rules
from ..models import EventRegistration, NewsItem, NewsKind, Registration, RegistrationStatus
from .base import built


@dataclass(frozen=True)
class RegistrationBox:
    """``takes``: the announcement takes registrations at all; ``open``: the form is
    offered now; ``past``: the event took place; ``free``: places left (None: no limit)."""

    takes: bool = False
    open: bool = False
    past: bool = False
    capacity: int | None = None
    free: int | None = None
    deadline: datetime | None = None

    @property
    def full(self) -> bool:
        return self.free == 0


@built
def _settings_statement() -> sa.Select:
    return sa.select(EventRegistration).where(EventRegistration.news_id == sa.bindparam("news_id"))


def registration_box(sess: Session, item: NewsItem, now_local: datetime) -> RegistrationBox:
    if item.kind is not NewsKind.ANNOUNCEMENT:
        return RegistrationBox()
    settings = sess.scalar(_settings_statement(), {"news_id": item.id})
    taken = 0
    if settings is not None and settings.capacity is not None \
            and rules.registration_open(settings, item, now_local):
        taken = _taken(sess, [item.id]).get(item.id, 0)
    return _box(item, settings, taken, now_local)


def registration_boxes(sess: Session, items: list[NewsItem],
                       now_local: datetime) -> dict[int, RegistrationBox]:
    """The boxes of a list of announcements («Школа наставничества»): two statements
    whatever the number of items, the settings and the places taken."""
    ids = [i.id for i in items if i.kind is NewsKind.ANNOUNCEMENT]
    settings = {s.news_id: s for s in sess.scalars(sa.select(EventRegistration).where(
        EventRegistration.news_id.in_(ids)))} if ids else {}
    taken = _taken(sess, list(settings)) if settings else {}
    return {i.id: _box(i, settings.get(i.id), taken.get(i.id, 0), now_local) for i in items}


def _taken(sess: Session, news_ids: list[int]) -> dict[int, int]:
    """Places taken per announcement: registrations submitted or accepted, counted."""
    rows = sess.execute(
        sa.select(Registration.news_id, sa.func.count()).where(
            Registration.news_id.in_(news_ids),
            Registration.status.in_([RegistrationStatus.SUBMITTED,
                                     RegistrationStatus.ACCEPTED]))
        .group_by(Registration.news_id))
    return {news_id: count for news_id, count in rows}


def _box(item: NewsItem, settings: EventRegistration | None, taken: int,
         now_local: datetime) -> RegistrationBox:
    if item.kind is not NewsKind.ANNOUNCEMENT:
        return RegistrationBox()
    past = rules.event_past(item, now_local)
    if settings is None or not settings.is_open:
        return RegistrationBox(past=past)
    is_open = rules.registration_open(settings, item, now_local)
    free = None
    if is_open and settings.capacity is not None:
        free = max(0, settings.capacity - taken)
    return RegistrationBox(takes=True, open=is_open, past=past, capacity=settings.capacity,
                           free=free, deadline=settings.deadline)
