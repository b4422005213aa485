"""The audit log: who changed what and when, with before and after of text fields.

Written in the same transaction as the change itself, so the log never disagrees
with the data.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import AuditEntry

SKIP = {"id", "created_at", "updated_at", "version"}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def snapshot(obj) -> dict[str, Any]:
    """The column values of a row, JSON-ready."""
    return {
        c.key: _plain(getattr(obj, c.key))
        for c in sa.inspect(type(obj)).columns
        if c.key not in SKIP
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    sess: Session, *, actor: str, action: str, kind: str, obj, changes: dict | None = None,
    hid_public: bool = False,
) -> AuditEntry:
    """Add a journal entry; ``hid_public``: the change took a public record off the site."""
    if hid_public:
        changes = {**(changes or {}), AuditEntry.HID_PUBLIC: [True, False]}
    entry = AuditEntry(
        actor=actor[:200],
        action=action,
        item_kind=kind,
        item_id=obj.id,
        item_title=str(getattr(obj, "title", None) or getattr(obj, "full_name", "")
                       or getattr(obj, "name", ""))[:300],
        changes=changes,
    )
    sess.add(entry)
    return entry
