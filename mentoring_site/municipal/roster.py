"""The office's list of schools: add, rename, take off, import from a TOML file.

The list lives in the database (``RegistrySchool``); the TOML file of earlier versions is
now an import (``flask mentoring import-schools``). A school taken off the list keeps its
snapshots: the registry on an earlier date still shows it. Adding the same address again
puts the school back with its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db import begin_write
from ..models.registry import RegistrySchool
from .schools import MAX_NAME, School, derived_key, load_schools, normalize_url


class RosterError(ValueError):
    """The change cannot be made; the message (Russian) says why."""


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    updated: list[str]
    removed: list[str]


def current_schools(sess: Session) -> list[School]:
    """The schools on the list now, in the office's order."""
    rows = sess.scalars(sa.select(RegistrySchool).where(RegistrySchool.removed_at.is_(None))
                        .order_by(RegistrySchool.position, RegistrySchool.id))
    return [as_school(r) for r in rows]


def as_school(row: RegistrySchool) -> School:
    return School(key=row.key, name=row.name, url=row.url, position=row.position)


def _next_position(sess: Session) -> int:
    return (sess.scalar(sa.select(sa.func.max(RegistrySchool.position))) or 0) + 1


def add_school(sess: Session, name: str, url: str, key: str | None = None) -> RegistrySchool:
    """Add a school (or put a removed one back); the caller commits."""
    name = " ".join(name.split())
    if not name:
        raise RosterError("Укажите название школы.")
    if len(name) > MAX_NAME:
        raise RosterError(f"Название длиннее {MAX_NAME} символов.")
    try:
        url = normalize_url(url)
    except ValueError as exc:
        raise RosterError(str(exc).capitalize() + ".") from None
    row = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.url == url))
    if row is not None:
        if row.removed_at is None:
            raise RosterError(f"Этот адрес уже есть в списке: «{row.name}».")
        row.removed_at, row.name = None, name
        return row
    key = key or derived_key(url)
    if sess.scalar(sa.select(RegistrySchool.id).where(RegistrySchool.key == key)):
        key = f"{key[:90]}-{_next_position(sess)}"
    row = RegistrySchool(key=key, name=name, url=url, position=_next_position(sess))
    sess.add(row)
    return row


def remove_school(sess: Session, row: RegistrySchool) -> None:
    """Take a school off the list; its history stays (the caller commits)."""
    if row.removed_at is None:
        row.removed_at = now_utc()


def import_schools(sess: Session, schools: Sequence[School], *,
                   remove_missing: bool = False) -> ImportResult:
    """Make the list hold the file's schools (matched by id, then by address).

    Names and order follow the file; with ``remove_missing`` a school not in the file is
    taken off the list. The caller commits.
    """
    rows = list(sess.scalars(sa.select(RegistrySchool)))
    by_key = {r.key: r for r in rows}
    by_url = {r.url: r for r in rows}
    added, updated, seen = [], [], set()
    for school in schools:
        row = by_key.get(school.key) or by_url.get(school.url)
        if row is None:
            row = RegistrySchool(key=school.key, name=school.name, url=school.url)
            sess.add(row)
            added.append(school.name)
        else:
            if (row.name, row.url, row.removed_at) != (school.name, school.url, None):
                updated.append(school.name)
            row.name, row.url, row.removed_at = school.name, school.url, None
        row.position = school.position
        seen.add(id(row))
    removed = []
    if remove_missing:
        for row in rows:
            if id(row) not in seen and row.removed_at is None:
                remove_school(sess, row)
                removed.append(row.name)
    return ImportResult(added, updated, removed)


def import_configured_file(app: Flask, sess: Session) -> int:
    """MUNICIPAL_SCHOOLS_FILE into an empty list; the number of schools imported."""
    path = app.config.get("MUNICIPAL_SCHOOLS_FILE")
    if not path or current_schools(sess):
        return 0
    schools = load_schools(path)
    begin_write(sess)
    result = import_schools(sess, schools)
    sess.commit()
    return len(result.added)
