"""The League of mentor schools: its directions, applications, orders and the schools' keys.

Plain functions over a session (the caller commits), with Russian messages in
``LeagueError``, so the office's admin, the schools' API and the tests share one set of
checks. The state moves «заявка» → «включена приказом № … от …» (an order's number, date
and file) or → «отклонена» (with a reason); an included member may be excluded again only
by a new order, which is outside this tool: the office edits the member's directions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..clock import now_utc
from ..db import BadText, check_text
from ..models.league import (
    LeagueDirection,
    LeagueKey,
    LeagueMember,
    LeagueSource,
    LeagueState,
)
from ..models.registry import RegistrySchool
from . import rules

KEY_PREFIX = "liga-"
MAX_NAME = 300
MAX_POSITION = 300
MAX_PHONE = 100
MAX_EMAIL = 300
MAX_NOTE = 3000
MAX_ORDER_NUMBER = 100
MAX_REASON = 2000
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^[0-9+()\-\s.,]+(доб\.?\s*[0-9]+)?$")


class LeagueError(ValueError):
    """The change cannot be made; ``str()`` is the Russian message, ``field`` the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# -- directions -----------------------------------------------------------------------------


def directions(sess: Session, *, with_hidden: bool = False) -> list[LeagueDirection]:
    stmt = sa.select(LeagueDirection).order_by(LeagueDirection.position, LeagueDirection.id)
    if not with_hidden:
        stmt = stmt.where(LeagueDirection.hidden.is_(False))
    return list(sess.scalars(stmt))


def _direction_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise LeagueError("Укажите название направления.", "name")
    if len(name) > MAX_NAME:
        raise LeagueError(f"Название направления длиннее {MAX_NAME} символов.", "name")
    return name


def _taken(sess: Session, name: str, but: int | None = None) -> bool:
    """Compared in Python: SQLite's lower() leaves Cyrillic as it is (the list is short)."""
    rows = sess.execute(sa.select(LeagueDirection.id, LeagueDirection.name))
    return any(i != but and n.casefold() == name.casefold() for i, n in rows)


def add_direction(sess: Session, raw: str) -> LeagueDirection:
    name = _direction_name(raw)
    if _taken(sess, name):
        raise LeagueError(f"Направление «{name}» уже есть в списке.", "name")
    last = sess.scalar(sa.select(sa.func.max(LeagueDirection.position))) or 0
    row = LeagueDirection(name=name, position=last + 1, hidden=False)
    sess.add(row)
    sess.flush()
    return row


def change_direction(sess: Session, row: LeagueDirection, raw: str, hidden: bool) -> None:
    """Rename a direction (members keep it) or hide it from new applications."""
    name = _direction_name(raw)
    if _taken(sess, name, but=row.id):
        raise LeagueError(f"Направление «{name}» уже есть в списке.", "name")
    row.name, row.hidden = name, hidden


# -- members --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """The organisation's contact for the League, as the office or the school typed it."""

    name: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None


def _text(value: Any, limit: int, label: str, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise LeagueError(f"{label}: ожидается текст.", field)
    text = " ".join(value.split()) if field != "note" else value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise LeagueError(f"{label}: не длиннее {limit} символов.", field)
    try:
        check_text(text, label)
    except BadText as exc:
        raise LeagueError(f"{label}: {exc}", field) from None
    return text


def clean_contact(name: Any, position: Any, phone: Any, email: Any) -> Contact:
    contact = Contact(
        name=_text(name, MAX_NAME, "Контактное лицо", "contact_name"),
        position=_text(position, MAX_POSITION, "Должность", "contact_position"),
        phone=_text(phone, MAX_PHONE, "Телефон", "contact_phone"),
        email=_text(email, MAX_EMAIL, "Электронная почта", "contact_email"),
    )
    if contact.phone and not _PHONE_RE.match(contact.phone):
        raise LeagueError("Телефон: только цифры, пробелы, «+», «-» и скобки, например "
                          "+7 (800) 000-00-00.", "contact_phone")
    if contact.email and not _EMAIL_RE.match(contact.email):
        raise LeagueError("Электронная почта: укажите адрес вида name@school.ru.",
                          "contact_email")
    return contact


def members(sess: Session, *, state: LeagueState | None = None,
            direction_id: int | None = None) -> list[LeagueMember]:
    """Members and applications for the office, newest first, with what the list shows."""
    stmt = (sa.select(LeagueMember)
            .options(selectinload(LeagueMember.directions), selectinload(LeagueMember.school),
                     selectinload(LeagueMember.order_file))
            .order_by(LeagueMember.submitted_at.desc(), LeagueMember.id.desc()))
    if state is not None:
        stmt = stmt.where(LeagueMember.state == state)
    if direction_id is not None:
        stmt = stmt.where(LeagueMember.directions.any(LeagueDirection.id == direction_id))
    return list(sess.scalars(stmt))


def published(sess: Session) -> list[LeagueMember]:
    """The League as the public sees it: members an order included, by name."""
    return list(sess.scalars(
        sa.select(LeagueMember)
        .options(selectinload(LeagueMember.directions), selectinload(LeagueMember.school),
                 selectinload(LeagueMember.order_file))
        .where(rules.league_member_clause())
        .order_by(LeagueMember.organisation, LeagueMember.id)))


def member(sess: Session, member_id: int) -> LeagueMember | None:
    return sess.scalar(
        sa.select(LeagueMember)
        .options(selectinload(LeagueMember.directions), selectinload(LeagueMember.school),
                 selectinload(LeagueMember.order_file))
        .where(LeagueMember.id == member_id))


def chosen_directions(sess: Session, ids: Sequence[int]) -> list[LeagueDirection]:
    if not ids:
        raise LeagueError("Отметьте хотя бы одно направление.", "directions")
    rows = list(sess.scalars(sa.select(LeagueDirection).where(LeagueDirection.id.in_(ids))))
    if len(rows) != len(set(ids)):
        raise LeagueError("Такого направления нет в списке: обновите страницу.", "directions")
    return rows


def save_member(sess: Session, row: LeagueMember, *, organisation: str | None,
                school: RegistrySchool | None, chosen: list[LeagueDirection],
                contact: Contact, contacts_public: bool, note: str | None) -> LeagueMember:
    """Fill an application (new or existing) from the office's form; the caller commits."""
    if school is not None:
        name = school.name
    else:
        name = _text(organisation, MAX_NAME, "Организация", "organisation") or ""
        if not name:
            raise LeagueError("Выберите школу из реестра или укажите название организации.",
                              "organisation")
    row.school_id = school.id if school is not None else None
    row.organisation = name
    row.directions = list(chosen)
    row.contact_name, row.contact_position = contact.name, contact.position
    row.contact_phone, row.contact_email = contact.phone, contact.email
    row.contacts_public = contacts_public
    row.note = _text(note, MAX_NOTE, "Примечание", "note")
    if row.id is None:
        sess.add(row)
    sess.flush()
    return row


def include(row: LeagueMember, number: str | None, order_date: date | None,
            order_file_id: int | None) -> None:
    """«Включена приказом № … от …»: the number and date are required, the file too."""
    text = _text(number, MAX_ORDER_NUMBER, "Номер приказа", "order_number")
    if not text:
        raise LeagueError("Укажите номер приказа.", "order_number")
    if order_date is None:
        raise LeagueError("Укажите дату приказа.", "order_date")
    if not 2000 <= order_date.year <= now_utc().year + 1:
        raise LeagueError("Дата приказа указана неверно.", "order_date")
    if order_file_id is None:
        raise LeagueError("Приложите файл приказа.", "order_file")
    row.state = LeagueState.INCLUDED
    row.order_number, row.order_date, row.order_file_id = text, order_date, order_file_id
    row.reject_reason = None
    row.decided_at = now_utc()


def reject(row: LeagueMember, reason: str | None) -> None:
    if row.state is LeagueState.INCLUDED:
        raise LeagueError("Организация уже включена приказом: отклонить заявку нельзя.",
                          "reason")
    text = _text(reason, MAX_REASON, "Причина", "reason")
    if not text:
        raise LeagueError("Укажите причину отказа: её увидит школа.", "reason")
    row.state, row.reject_reason, row.decided_at = LeagueState.REJECTED, text, now_utc()


# -- the schools' keys ----------------------------------------------------------------------


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_key(sess: Session, school: RegistrySchool) -> str:
    """A new key for the school (the old one stops working); only its hash is stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    row = sess.scalar(sa.select(LeagueKey).where(LeagueKey.school_id == school.id))
    if row is None:
        row = LeagueKey(school_id=school.id)
        sess.add(row)
    row.digest, row.created_at, row.used_at = digest(raw), now_utc(), None
    sess.flush()
    return raw


def revoke_key(sess: Session, school: RegistrySchool) -> bool:
    result = sess.execute(sa.delete(LeagueKey).where(LeagueKey.school_id == school.id))
    return bool(getattr(result, "rowcount", 0))


def keys_by_school(sess: Session) -> dict[int, LeagueKey]:
    return {k.school_id: k for k in sess.scalars(sa.select(LeagueKey))}


def school_for_key(sess: Session, raw: str) -> RegistrySchool | None:
    """The registry school the key belongs to (a school taken off the list: none)."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        return None
    return sess.scalar(
        sa.select(RegistrySchool).join(LeagueKey, LeagueKey.school_id == RegistrySchool.id)
        .where(LeagueKey.digest == digest(raw), RegistrySchool.removed_at.is_(None)))


def touch_key(sess: Session, school: RegistrySchool) -> None:
    """Note when the school's key was last used (the office's list of keys shows it)."""
    sess.execute(sa.update(LeagueKey).where(LeagueKey.school_id == school.id)
                 .values(used_at=now_utc()))


# -- an application sent by a school (the API) -----------------------------------------------


@dataclass(frozen=True)
class Application:
    directions: list[LeagueDirection]
    contact: Contact
    note: str | None


def parse_application(sess: Session, data: Any) -> Application:
    """The JSON body a school sent; LeagueError with a Russian message on the first problem."""
    if not isinstance(data, Mapping):
        raise LeagueError("Тело запроса должно быть объектом JSON с полями directions, "
                          "contact и note.")
    unknown = sorted(set(data) - {"directions", "contact", "note"})
    if unknown:
        raise LeagueError(f"Неизвестное поле «{str(unknown[0])[:50]}»: допустимы directions, "
                          "contact и note.")
    names = data.get("directions")
    if not isinstance(names, list) or not names or len(names) > 50 \
            or not all(isinstance(n, str) for n in names):
        raise LeagueError("directions: укажите список названий направлений (хотя бы одно).")
    known = {d.name.casefold(): d for d in directions(sess)}
    chosen: list[LeagueDirection] = []
    for raw in names:
        found = known.get(" ".join(raw.split()).casefold())
        if found is None:
            raise LeagueError(f"Направления «{raw[:MAX_NAME]}» нет в списке управления. "
                              "Выберите направление из списка, который отдаёт управление.")
        if found not in chosen:
            chosen.append(found)
    contact = data.get("contact")
    if not isinstance(contact, Mapping):
        raise LeagueError("contact: укажите контактное лицо (name, position, phone, email).")
    extra = sorted(set(contact) - {"name", "position", "phone", "email"})
    if extra:
        raise LeagueError(f"contact: неизвестное поле «{str(extra[0])[:50]}».")
    cleaned = clean_contact(contact.get("name"), contact.get("position"), contact.get("phone"),
                            contact.get("email"))
    if not cleaned.name:
        raise LeagueError("Контактное лицо: укажите фамилию, имя и отчество.")
    if not (cleaned.phone or cleaned.email):
        raise LeagueError("Укажите телефон или электронную почту контактного лица.")
    return Application(directions=chosen, contact=cleaned,
                       note=_text(data.get("note"), MAX_NOTE, "Примечание", "note"))


def apply_from_school(sess: Session, school: RegistrySchool,
                      application: Application) -> LeagueMember:
    """The school's application: its open one is replaced, otherwise a new one is made."""
    row = sess.scalar(
        sa.select(LeagueMember).options(selectinload(LeagueMember.directions))
        .where(LeagueMember.school_id == school.id,
               LeagueMember.state == LeagueState.APPLICATION)
        .order_by(LeagueMember.id.desc()).limit(1))
    if row is None:
        row = LeagueMember(school_id=school.id, source=LeagueSource.SCHOOL,
                           state=LeagueState.APPLICATION, contacts_public=False, directions=[])
        sess.add(row)
    c = application.contact
    row.organisation = school.name
    row.directions = list(application.directions)
    row.contact_name, row.contact_position = c.name, c.position
    row.contact_phone, row.contact_email = c.phone, c.email
    row.note = application.note
    row.submitted_at = now_utc()
    sess.flush()
    return row
