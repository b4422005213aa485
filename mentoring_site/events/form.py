"""The registration form read and checked: typed values back for the form, clean values
to store, and a Russian message for every field that is wrong."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..db import BadText, check_text

FIELDS = ("name", "organisation", "email", "comment")
MAX_LENGTH = {"name": 200, "organisation": 300, "email": 254, "comment": 2000}
CONSENT = "consent"

REQUIRED = {
    "name": "Укажите фамилию, имя и отчество.",
    "organisation": "Укажите школу или организацию, в которой вы работаете или учитесь.",
    "email": "Укажите адрес электронной почты: на него придут подтверждение заявки и "
             "решение по ней.",
}
BAD_EMAIL = ("Адрес электронной почты указан с ошибкой: он должен выглядеть так: "
             "ivanova@example.ru (латинские буквы до «@», без пробелов).")
NO_CONSENT = ("Без согласия на обработку персональных данных заявку отправить нельзя: "
              "прочитайте текст согласия и отметьте его.")

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass
class Submission:
    """``typed``: field -> what was typed; ``clean``: the values to store;
    ``errors``: field -> message."""

    typed: dict[str, Any] = field(default_factory=dict)
    clean: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_email(raw: str) -> str | None:
    """The address as stored (domain in lower case, a Cyrillic domain as punycode), or
    None when it cannot be an address a mail server would take."""
    local, at, domain = raw.rpartition("@")
    if not at or not _LOCAL.match(local) or ".." in local or local.startswith(".") \
            or local.endswith("."):
        return None
    try:
        domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(x) for x in labels) or labels[-1].isdigit():
        return None
    address = f"{local}@{domain}"
    return address if len(address) <= MAX_LENGTH["email"] else None


def read(form: Mapping[str, Any]) -> Submission:
    sub = Submission()
    for name in FIELDS:
        raw = str(form.get(name) or "")[:10_000]
        sub.typed[name] = raw
        value = raw.strip() if name == "comment" else " ".join(raw.split())
        try:
            check_text(value, name)
        except BadText as exc:
            sub.errors[name] = str(exc)
            continue
        if not value and name in REQUIRED:
            sub.errors[name] = REQUIRED[name]
        elif len(value) > MAX_LENGTH[name]:
            sub.errors[name] = (f"Не длиннее {MAX_LENGTH[name]} знаков (сейчас {len(value)}): "
                                "сократите текст.")
        elif name == "email":
            address = clean_email(value)
            if address is None:
                sub.errors[name] = BAD_EMAIL
            else:
                sub.clean[name] = address
        else:
            sub.clean[name] = value
    sub.typed[CONSENT] = bool(form.get(CONSENT))
    if not sub.typed[CONSENT]:
        sub.errors[CONSENT] = NO_CONSENT
    return sub
