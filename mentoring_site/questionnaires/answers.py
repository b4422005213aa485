"""A submission read against its questions: typed values back for the form, clean values
for storage, and a Russian message for every field that is wrong.

The caps keep one answer small (a flood cannot fill the disk with long texts); choices are
checked against the options offered, so a forged request cannot store free text there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from ..db import BadText, check_text
from ..models import Question, QuestionKind

#: Longest answer, in characters, per kind of free-text question.
MAX_LENGTH = {QuestionKind.SHORT: 300, QuestionKind.LONG: 4000}
#: Longest value read from a choice or date field (anything longer is not an option).
_MAX_CHOICE = 1000
CONSENT = "consent"

REQUIRED = "Ответьте на этот вопрос: он обязательный."
CHOOSE_ONE = "Выберите один из вариантов."
CHOOSE_SOME = "Отметьте хотя бы один вариант."
NOT_OFFERED = "Выберите вариант из предложенных."
SCALE = "Выберите оценку от 1 до 5."
DATE = "Укажите дату в виде ДД.ММ.ГГГГ, например 01.09.2027."
NO_CONSENT = ("Без согласия на обработку персональных данных анкету отправить нельзя: "
              "прочитайте текст согласия и отметьте его.")

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass
class Submission:
    """``typed``: field name -> what the person typed (kept on the form when it comes back);
    ``clean``: the answers to store, keyed by question id; ``errors``: field name -> message."""

    typed: dict[str, Any] = field(default_factory=dict)
    clean: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def field_name(question: Question) -> str:
    return f"q{question.id}"


def read(questions: Iterable[Question], form: MultiDict[str, str]) -> Submission:
    """Every question's answer checked; the consent checkbox too (``CONSENT``)."""
    sub = Submission()
    for question in questions:
        name = field_name(question)
        if question.kind is QuestionKind.SEVERAL:
            raw: Any = [v[:_MAX_CHOICE] for v in form.getlist(name) if isinstance(v, str)]
        else:
            raw = form.get(name, "")
            raw = raw if isinstance(raw, str) else ""
        sub.typed[name] = raw
        try:
            value = _value(question, raw)
        except ValueError as exc:
            sub.errors[name] = str(exc)
            continue
        sub.clean[str(question.id)] = {"question": question.text, "kind": question.kind.value,
                                       "value": value}
    sub.typed[CONSENT] = form.get(CONSENT) == "1"
    if not sub.typed[CONSENT]:
        sub.errors[CONSENT] = NO_CONSENT
    return sub


def _value(question: Question, raw: Any) -> Any:
    """The clean value of one answer (None: not answered), or ValueError with the message."""
    kind = question.kind
    if kind is QuestionKind.SEVERAL:
        chosen = set(raw)
        if not chosen <= set(question.options):
            raise ValueError(NOT_OFFERED)
        if not chosen and question.required:
            raise ValueError(CHOOSE_SOME)
        return [o for o in question.options if o in chosen]  # the options' order, no repeats
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()  # browsers send CRLF
    if not text:
        if question.required:
            raise ValueError({QuestionKind.ONE: CHOOSE_ONE, QuestionKind.SCALE: SCALE}.get(
                kind, REQUIRED))
        return None
    if kind in MAX_LENGTH:
        if kind is QuestionKind.SHORT:
            text = " ".join(text.split())
        limit = MAX_LENGTH[kind]
        if len(text) > limit:
            raise ValueError(f"Ответ длиннее {limit} знаков ({len(text)}): сократите его.")
        try:
            check_text(text)
        except BadText as exc:
            raise ValueError(str(exc)) from None
        return text
    if kind is QuestionKind.ONE:
        if text not in question.options:
            raise ValueError(NOT_OFFERED)
        return text
    if kind is QuestionKind.SCALE:
        if text not in ("1", "2", "3", "4", "5"):
            raise ValueError(SCALE)
        return int(text)
    return parse_date(text).isoformat()


def parse_date(text: str) -> date:
    """ДД.ММ.ГГГГ (typed by hand) or ГГГГ-ММ-ДД (a browser's date field), years 1900–2100."""
    m = _DMY.match(text)
    parts = (m.group(3), m.group(2), m.group(1)) if m else None
    if parts is None and (m := _ISO.match(text)):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        raise ValueError(DATE)
    try:
        value = date(*(int(p) for p in parts))
    except ValueError:
        raise ValueError(DATE) from None
    if not 1900 <= value.year <= 2100:
        raise ValueError(DATE)
    return value


def shown(value: Any, kind: str = "") -> str:
    """One stored answer as text for the curator (lists joined, a date as ДД.ММ.ГГГГ,
    nothing as a dash)."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if kind == QuestionKind.DATE.value and isinstance(value, str) and _ISO.match(value):
        y, m, d = value.split("-")
        return f"{d}.{m}.{y}"
    return str(value)


def in_order(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A stored answer's (question as asked, answer as text) pairs, in the order asked."""
    return [(str(item.get("question", "")), shown(item.get("value"), item.get("kind", "")))
            for item in answers.values() if isinstance(item, dict)]
