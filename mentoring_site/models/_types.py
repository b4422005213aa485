"""Column helpers shared by the model modules."""

from __future__ import annotations

import enum
from typing import TypeVar

import sqlalchemy as sa

_E = TypeVar("_E", bound="LabeledEnum")


class LabeledEnum(str, enum.Enum):
    """A stored English value with the Russian label a user reads.

    ``str`` and ``Enum`` rather than ``enum.StrEnum`` (Python 3.11+) so Python 3.10 runs it;
    ``__str__`` and ``__format__`` give the value, as ``StrEnum`` does, on every Python.
    """

    label: str

    # ``label`` has a default only for type checkers: ``Status("draft")`` looks a member up
    # by value and never reaches ``__new__``, which runs once per member at class creation.
    def __new__(cls: type[_E], value: str, label: str = "") -> _E:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str(self), spec)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def enum_column(enum_cls: type[LabeledEnum]) -> sa.Enum:
    """Stored as a short string with a CHECK constraint: no native enum type to migrate."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )
