"""Column helpers shared by the model modules."""

from __future__ import annotations

import enum
from typing import Self

import sqlalchemy as sa


class LabeledEnum(enum.StrEnum):
    """A stored English value with the Russian label a user reads."""

    label: str

    # ``label`` has a default only for type checkers: ``Status("draft")`` looks a member up
    # by value and never reaches ``__new__``, which runs once per member at class creation.
    def __new__(cls, value: str, label: str = "") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

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
