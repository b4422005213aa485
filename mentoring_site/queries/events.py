"""What an announcement's page shows of its registration: whether the form is offered,
whether the event is over, places left. Counts only: no registration is ever read out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import rules
from ..models import EventRegistration, NewsItem, NewsKind, Registration, RegistrationStatus


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


def registration_box(sess: Session, item: NewsItem, now_local: datetime) -> RegistrationBox:
    if item.kind is not NewsKind.ANNOUNCEMENT:
        return RegistrationBox()
    past = rules.event_past(item, now_local)
    settings = sess.scalar(sa.select(EventRegistration).where(
        EventRegistration.news_id == item.id))
    if settings is None or not settings.is_open:
        return RegistrationBox(past=past)
    is_open = rules.registration_open(settings, item, now_local)
    free = None
    if is_open and settings.capacity is not None:
        taken = sess.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.news_id == item.id,
            Registration.status.in_([RegistrationStatus.SUBMITTED,
                                     RegistrationStatus.ACCEPTED]))) or 0
        free = max(0, settings.capacity - taken)
    return RegistrationBox(takes=True, open=is_open, past=past, capacity=settings.capacity,
                           free=free, deadline=settings.deadline)
