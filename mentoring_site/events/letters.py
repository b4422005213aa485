"""The letters a registration brings: the confirmation, the decision, and on the day of
the event the place or the link (queued once per accepted registration by
``queue_day_letters``, which ``flask mentoring send-mail`` runs). Plain text, Russian."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy.orm import Session

from .. import clock, outbox
from ..db import begin_write
from ..models import EventRegistration, NewsItem, Registration, RegistrationStatus
from ..urls import absolute_url


def page_url(item: NewsItem) -> str:
    """The announcement's address, also from the cron command (no request there)."""
    if has_request_context():
        return absolute_url("mentoring.news_item", slug=item.slug)
    with current_app.test_request_context("/"):
        return absolute_url("mentoring.news_item", slug=item.slug)


def _when(item: NewsItem) -> list[str]:
    lines = []
    if item.event_starts_at:
        lines.append(f"Когда: {item.event_starts_at:%d.%m.%Y}, {item.event_starts_at:%H:%M}")
    if item.event_place:
        lines.append(f"Где: {item.event_place}")
    return lines


def _letter(registration: Registration, item: NewsItem, *paragraphs: str) -> str:
    school = current_app.config["MENTORING_SCHOOL_NAME"]
    parts = [f"Здравствуйте, {registration.name}!", *paragraphs,
             "\n".join(_when(item)), f"Страница мероприятия: {page_url(item)}",
             f"{school}\n\nВы получили это письмо, потому что этот адрес указали при "
             "регистрации на мероприятие на сайте. Если вы не регистрировались, просто "
             "не отвечайте на него."]
    return "\n\n".join(p for p in parts if p) + "\n"


def _details(settings: EventRegistration | None) -> str:
    if settings is None or not settings.day_details.strip():
        return ""
    return f"Место проведения или ссылка для подключения:\n{settings.day_details.strip()}"


def confirmation(registration: Registration, item: NewsItem) -> tuple[str, str]:
    if registration.status is RegistrationStatus.RESERVE:
        text = (f"Ваша заявка на участие в мероприятии «{item.title}» получена. Все места "
                "уже заняты, поэтому вы записаны в резерв: если место освободится, мы "
                "напишем вам.")
    else:
        text = (f"Ваша заявка на участие в мероприятии «{item.title}» получена. Куратор "
                "рассмотрит её и сообщит решение письмом на этот адрес.")
    return f"Заявка получена: {item.title}", _letter(registration, item, text)


def decision(registration: Registration, item: NewsItem,
             settings: EventRegistration | None) -> tuple[str, str, bool]:
    """(subject, body, whether the body already gives the day's place or link)."""
    status = registration.status
    today = clock.now_local().date()
    with_details = False
    if status is RegistrationStatus.ACCEPTED:
        paragraphs = [f"Ваша заявка на участие в мероприятии «{item.title}» принята. Ждём вас!"]
        details = _details(settings)
        if details and item.event_starts_at and item.event_starts_at.date() <= today:
            paragraphs.append(details)
            with_details = True
        elif details:
            paragraphs.append("В день мероприятия мы пришлём место проведения или ссылку "
                              "для подключения.")
        subject = f"Заявка принята: {item.title}"
    elif status is RegistrationStatus.REJECTED:
        paragraphs = [f"К сожалению, ваша заявка на участие в мероприятии «{item.title}» "
                      "отклонена. Вопросы можно задать куратору наставничества."]
        subject = f"Заявка отклонена: {item.title}"
    elif status is RegistrationStatus.RESERVE:
        paragraphs = [f"Ваша заявка на участие в мероприятии «{item.title}» переведена в "
                      "резерв: все места заняты. Если место освободится, мы напишем вам."]
        subject = f"Заявка в резерве: {item.title}"
    else:
        paragraphs = [f"Ваша заявка на участие в мероприятии «{item.title}» снова на "
                      "рассмотрении. Куратор сообщит решение письмом."]
        subject = f"Заявка на рассмотрении: {item.title}"
    return subject, _letter(registration, item, *paragraphs), with_details


def day_letter(registration: Registration, item: NewsItem,
               settings: EventRegistration | None) -> tuple[str, str]:
    text = f"Напоминаем: мероприятие «{item.title}» — сегодня."
    return f"Сегодня: {item.title}", _letter(registration, item, text, _details(settings))


def queue_day_letters(sess: Session) -> int:
    """Queue the «сегодня» letter (with the place or the link) for every accepted
    registration to an event starting today that has not had it; commit. Run by the cron
    command, so each registration gets the letter once."""
    start = datetime.combine(clock.now_local().date(), time())
    stmt = (sa.select(Registration, NewsItem, EventRegistration)
            .join(NewsItem, NewsItem.id == Registration.news_id)
            .outerjoin(EventRegistration, EventRegistration.news_id == NewsItem.id)
            .where(Registration.status == RegistrationStatus.ACCEPTED,
                   Registration.reminded_at.is_(None),
                   NewsItem.event_starts_at >= start,
                   NewsItem.event_starts_at < start + timedelta(days=1)))
    begin_write(sess)
    n = 0
    for registration, item, settings in sess.execute(stmt).all():
        outbox.enqueue(sess, registration.email, *day_letter(registration, item, settings))
        registration.reminded_at = clock.now_utc()
        n += 1
    sess.commit()
    return n
