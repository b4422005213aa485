"""Outgoing mail through the school's SMTP server: a queue in the database, drained by
``flask mentoring send-mail`` (cron) and, best effort, right after the request that
queued a letter.

Why a queue and not a direct send: a school's SMTP server is often slow or down, and a
registration must not fail because of it. A letter is written to ``MailMessage`` in the
same transaction as the change it reports, so it exists exactly when the change does; a
failed attempt is recorded (``attempts``, ``last_error``) and the letter is tried again
after an exponentially growing pause. Nothing is lost while the server is away.

«Right after the request» means after the response has been handed to the server
(``send_after_response``: ``response.call_on_close``), so the visitor never waits on a slow
SMTP server (``TIMEOUT`` per attempt); a failed attempt leaves the letter queued.

Two senders may run at once (cron and a request): each claims a letter with a conditional
UPDATE of its ``next_attempt_at`` before sending, so a letter is sent once.

Settings: ``MENTORING_MAIL_*``; a host that configures Flask-Mail (``MAIL_*``) needs no
second copy, its values are used for every ``MENTORING_MAIL_*`` left unset.
Only ``smtplib`` and ``email.message``: no new dependency.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

import sqlalchemy as sa
from flask import after_this_request, current_app
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from . import clock
from .db import begin_write
from .models import MailMessage

log = logging.getLogger(__name__)

#: First pause after a failure; doubled after each further one, up to ``MAX_DELAY``.
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
#: After this many failures a letter is no longer tried (it stays, with its last error).
MAX_ATTEMPTS = 20
#: How long a claimed letter is left to its sender before another may try it.
LEASE = timedelta(minutes=10)
#: Sent letters (with their addresses) are deleted after this long.
KEEP_SENT = timedelta(days=30)
TIMEOUT = 10.0
SETTINGS = ("SERVER", "PORT", "USE_TLS", "USE_SSL", "USERNAME", "PASSWORD", "DEFAULT_SENDER")


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str | None

    @property
    def configured(self) -> bool:
        return bool(self.server and self.sender)

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> MailSettings:
        """``MENTORING_MAIL_*``, each unset one taken from the host's Flask-Mail ``MAIL_*``."""
        values = {}
        for name in SETTINGS:
            value = cfg.get(f"MENTORING_MAIL_{name}")
            values[name] = cfg.get(f"MAIL_{name}") if value is None else value
        sender = values["DEFAULT_SENDER"]
        if isinstance(sender, tuple | list):  # Flask-Mail's ("Name", "address")
            sender = str(Address(display_name=sender[0], addr_spec=sender[1]))
        use_ssl, use_tls = bool(values["USE_SSL"]), bool(values["USE_TLS"])
        port = values["PORT"] or (465 if use_ssl else 587 if use_tls else 25)
        return cls(server=values["SERVER"] or None, port=int(port), use_tls=use_tls,
                   use_ssl=use_ssl, username=values["USERNAME"] or None,
                   password=values["PASSWORD"] or None, sender=sender or None)


@dataclass
class Result:
    sent: int = 0
    failed: int = 0
    error: str = ""


def enqueue(sess: Session, to: str, subject: str, body: str) -> MailMessage:
    """Queue a letter in the caller's transaction (the caller commits)."""
    message = MailMessage(to=to, subject=" ".join(subject.split())[:300], body=body,
                          next_attempt_at=clock.now_utc())
    sess.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failure: 1, 2, 4 ... minutes, at most 6 hours."""
    return min(FIRST_DELAY * (2 ** max(0, attempts - 1)), MAX_DELAY)


def send_due(sess: Session, settings: MailSettings, *, ids: Iterable[int] | None = None,
             limit: int = 200) -> Result:
    """Send the letters whose time has come (only ``ids`` when given), over one SMTP
    connection; each success or failure is committed at once."""
    if not settings.configured:
        return Result(error="почта не настроена (MENTORING_MAIL_SERVER, "
                            "MENTORING_MAIL_DEFAULT_SENDER)")
    now = clock.now_utc()
    stmt = (sa.select(MailMessage.id)
            .where(MailMessage.sent_at.is_(None), MailMessage.next_attempt_at <= now,
                   MailMessage.attempts < MAX_ATTEMPTS)
            .order_by(MailMessage.next_attempt_at, MailMessage.id).limit(limit))
    if ids is not None:
        stmt = stmt.where(MailMessage.id.in_(list(ids)))
    due = list(sess.scalars(stmt))
    sess.rollback()
    claimed = [i for i in due if _claim(sess, i, now)]
    result = Result()
    if not claimed:
        return result
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        for message_id in claimed:
            _failed(sess, message_id, exc)
        return Result(failed=len(claimed), error=_describe(exc))
    try:
        for message_id in claimed:
            message = sess.get(MailMessage, message_id)
            if message is None:
                continue
            try:
                smtp.send_message(_email(message, settings))
            except (OSError, smtplib.SMTPException) as exc:
                sess.rollback()
                _failed(sess, message_id, exc)
                result.failed += 1
                result.error = _describe(exc)
                continue
            begin_write(sess)
            message.sent_at = clock.now_utc()
            message.last_error = ""
            sess.commit()
            result.sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return result


def send_soon(sess: Session, settings: MailSettings, ids: Iterable[int]) -> None:
    """The attempt right after a request: never raises (the change is already committed,
    and the queue keeps whatever this could not send for the cron command)."""
    ids = list(ids)
    if not ids or not settings.configured:
        return
    try:
        send_due(sess, settings, ids=ids)
    except Exception:  # noqa: BLE001 - best effort by design; the queue keeps the letter
        sess.rollback()
        log.exception("mentoring: письмо не отправлено сразу, оно осталось в очереди")


def send_after_response(ids: Iterable[int]) -> None:
    """In a request: try ``ids`` once the response is sent (its close), in an app context of
    its own with a fresh session; the request's own transaction is over by then."""
    ids = list(ids)
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the real app
    settings = MailSettings.from_config(app.config)
    if not ids or not settings.configured:
        return

    def attempt() -> None:
        with app.app_context():
            send_soon(app.extensions["mentoring"].session(), settings, ids)

    @after_this_request
    def _later(response):
        response.call_on_close(attempt)
        return response


def forget_sent(sess: Session, now: datetime | None = None) -> int:
    """Delete letters sent more than ``KEEP_SENT`` ago (they hold e-mail addresses)."""
    before = (now or clock.now_utc()) - KEEP_SENT
    begin_write(sess)
    result: CursorResult[Any] = sess.execute(  # type: ignore[assignment]  # a DELETE's result
        sa.delete(MailMessage).where(MailMessage.sent_at < before))
    sess.commit()
    return result.rowcount or 0


def pending(sess: Session) -> int:
    return sess.scalar(sa.select(sa.func.count()).select_from(MailMessage).where(
        MailMessage.sent_at.is_(None))) or 0


# -- the steps --------------------------------------------------------------------------------


def _claim(sess: Session, message_id: int, now: datetime) -> bool:
    begin_write(sess)
    result: CursorResult[Any] = sess.execute(  # type: ignore[assignment]  # an UPDATE's result
        sa.update(MailMessage)
        .where(MailMessage.id == message_id, MailMessage.sent_at.is_(None),
               MailMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False))
    sess.commit()
    return result.rowcount == 1


def _failed(sess: Session, message_id: int, exc: BaseException) -> None:
    begin_write(sess)
    message = sess.get(MailMessage, message_id)
    if message is not None:
        message.attempts += 1
        message.last_error = _describe(exc)[:1000]
        message.next_attempt_at = clock.now_utc() + backoff(message.attempts)
    sess.commit()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _connect(settings: MailSettings) -> smtplib.SMTP:
    assert settings.server is not None
    if settings.use_ssl:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.server, settings.port, timeout=TIMEOUT,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.server, settings.port, timeout=TIMEOUT)
    try:
        if settings.use_tls and not settings.use_ssl:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _email(message: MailMessage, settings: MailSettings) -> EmailMessage:
    assert settings.sender is not None
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or None
    email["Message-ID"] = make_msgid(f"mentoring.{message.id}", domain=domain)
    email.set_content(message.body)
    return email
