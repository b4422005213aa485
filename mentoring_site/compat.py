"""What differs between the Pythons and dependency versions we support, in one place.

pyproject.toml declares Python 3.10+ and Flask 3.0+ (a school's hosting runs Ubuntu 22.04's
Python; a host site may pin Flask 3.0): the few forms that newer versions added are read
here, so the rest of the package is written once and ``scripts/test_matrix.sh`` proves it on
the lowest and the newest versions. Imports nothing of ours: any part may use it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from flask import Request, request

try:
    from wtforms.fields.choices import SelectChoice

    SELECT_CHOICE = True
except ImportError:  # WTForms < 3.3: choices are (value, label) pairs
    SELECT_CHOICE = False

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, published as ``tomli`` (a dependency there only)
    import tomli as tomllib

__all__ = ["Choice", "choice", "fromisoformat", "limit_request_body", "tomllib"]

#: One option of a select: ``SelectChoice`` on WTForms 3.3+, a (value, label) pair before it.
#: Read it with ``value, label, *_ = option``, which both shapes allow.
Choice = Any


def choice(value: Any, label: str) -> Choice:
    """An option as this WTForms wants it: 3.3 deprecates pairs, older versions lack
    ``SelectChoice``."""
    return SelectChoice(value, label) if SELECT_CHOICE else (value, label)


def fromisoformat(value: str) -> datetime:
    """``datetime.fromisoformat`` that reads a trailing ``Z`` (UTC) on Python 3.10 as well."""
    if sys.version_info < (3, 11) and value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)


def limit_request_body(limit: int) -> None:
    """Cap this request's body (413 past ``limit``), whatever the host's MAX_CONTENT_LENGTH.

    Flask 3.1 made ``request.max_content_length`` writable; on Flask 3.0 it is a read-only
    view of the app's setting, so the request is given a subclass of its own class in which
    the attribute is a plain one (Werkzeug reads it when the body is parsed).
    """
    current = request._get_current_object()  # type: ignore[attr-defined]
    try:
        current.max_content_length = limit
    except AttributeError:
        current.__class__ = _with_writable_limit(type(current))
        current.max_content_length = limit


_WRITABLE: dict[type[Request], type[Request]] = {}


def _with_writable_limit(cls: type[Request]) -> type[Request]:
    if cls not in _WRITABLE:
        _WRITABLE[cls] = type(cls.__name__, (cls,), {"max_content_length": None,
                                                     "__module__": __name__})
    return _WRITABLE[cls]
