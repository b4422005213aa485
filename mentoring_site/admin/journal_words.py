"""The journal in words: Russian field names, values as the curator chose or typed them,
times in the school's time zone.

An entry stores column names and plain JSON values (``audit.snapshot``: enums by value,
dates and UTC times as ISO strings). The names come from the admin forms' labels (the
words the curator saw when making the change), the values from the model's column types.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from wtforms.fields.core import UnboundField

from .. import clock
from ..models import (
    Account,
    Answer,
    Consent,
    EventRegistration,
    ProcessingAgreement,
    ProcessingConsent,
    Registration,
)
from .forms import ConsentForm
from .forms_consents import ProcessingAgreementForm
from .kinds import KINDS

#: Journal kinds saved outside the generic screens: their models and forms.
OTHER_MODELS: dict[str, type] = {
    "answer": Answer, "processing_consent": ProcessingConsent, "consent": Consent,
    "processing_agreement": ProcessingAgreement, "registration": Registration,
    "event_registration": EventRegistration, "account": Account,
}
OTHER_FORMS: dict[str, type] = {"consent": ConsentForm,
                                "processing_agreement": ProcessingAgreementForm}
#: Columns no form names (or names otherwise), whatever the kind.
NAMES = {
    "status": "Статус", "slug": "Адрес страницы", "title": "Название", "sort": "Порядок",
    "person_id": "Человек", "program_id": "Программа", "news_id": "Анонс",
    "questionnaire_id": "Анкета", "submitted_at": "Отправлена", "answers": "Ответы",
    "consent_text": "Текст согласия", "consent_number": "Номер текста согласия",
    "decided_at": "Решение принято", "reminded_at": "Напоминание отправлено",
    "is_open": "Запись открыта", "capacity": "Мест", "deadline": "Запись до",
    "day_details": "Письмо в день мероприятия", "name": "Имя", "organisation": "Организация",
    "email": "Электронная почта", "comment": "Комментарий", "number": "Номер",
    "purpose": "Цель", "text": "Текст", "login": "Имя входа", "display_name": "Имя",
    "role": "Роль", "is_active": "Действует", "signed_on": "Дата подписания",
    "withdrawn_on": "Дата отзыва", "valid_until": "Действует до",
    "document_ref": "Реквизиты документа", "scan_id": "Скан документа",
    "representative_name": "Законный представитель",
    "representative_document": "Документ представителя",
}
#: Stored in school-local time already (event times), not UTC.
LOCAL_TIMES = {"event_starts_at", "event_ends_at", "deadline"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _form_labels(form_cls: type | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """A form class's field labels and its fixed choices, read without a request."""
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for name in dir(form_cls) if form_cls else ():
        field = getattr(form_cls, name, None)
        if not isinstance(field, UnboundField):
            continue
        text = field.kwargs.get("label") or (field.args[0] if field.args else None)
        if isinstance(text, str):
            labels[name] = text
        fixed = field.kwargs.get("choices")
        if isinstance(fixed, list | tuple):  # not a callable or choices filled per request
            choices[name] = {str(pair[0]): str(pair[1]) for pair in fixed
                             if isinstance(pair, tuple | list) and len(pair) == 2}
    return labels, choices


@lru_cache(maxsize=64)
def _kind(item_kind: str) -> tuple[type | None, dict[str, str], dict[str, dict[str, str]]]:
    admin_kind = KINDS.get(item_kind)
    model = admin_kind.model if admin_kind else OTHER_MODELS.get(item_kind)
    labels, choices = _form_labels(admin_kind.form if admin_kind else OTHER_FORMS.get(item_kind))
    return model, labels, choices


def field_name(item_kind: str, field: str) -> str:
    """«Заголовок» for ``title``: the form's label, then the common names, else as stored."""
    _model, labels, _choices = _kind(item_kind)
    if field in labels:
        return labels[field]
    if field.endswith("_id") and field[:-3] in labels:
        return labels[field[:-3]]
    return NAMES.get(field, field)


def _column(model: type | None, field: str) -> Any:
    if model is None:
        return None
    return sa.inspect(model).columns.get(field)


def value_text(item_kind: str, field: str, value: Any) -> str:
    """A stored value in words: enum labels, да/нет, ДД.ММ.ГГГГ, the school's time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    model, _labels, choices = _kind(item_kind)
    column = _column(model, field)
    enum_class = getattr(column.type, "enum_class", None) if column is not None else None
    if isinstance(enum_class, type) and issubclass(enum_class, Enum):
        try:
            member = enum_class(value)
        except ValueError:
            return str(value)
        return str(getattr(member, "label", member.value))
    if str(value) in choices.get(field, {}):
        return choices[field][str(value)]
    if isinstance(value, str) and _ISO_TIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if field not in LOCAL_TIMES and moment.tzinfo is None:
            moment = clock.to_local(moment)
        return f"{moment:%d.%m.%Y %H:%M}"
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes(item_kind: str, stored: dict[str, Any] | None) -> list[tuple[str, str | None, str]]:
    """The entry's changes as (field name, before or None for a new value, after)."""
    rows = []
    for field, pair in (stored or {}).items():
        if field.startswith("_") or not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        rows.append((field_name(item_kind, field),
                     None if before is None else value_text(item_kind, field, before),
                     value_text(item_kind, field, after)))
    return rows
