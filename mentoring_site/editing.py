"""Saving and deleting the section's records: the one way a change goes down.

Every screen that changes a record (the generic admin, the people, programme and case
pages, the section's texts, the journal's restore) calls one function here, so every
change is checked, stored and announced the same way, in one transaction:

    check the version -> set the values -> follow the slug -> the kind's own rules
    -> store or drop files -> flush -> keep the old address (301) -> audit -> commit
    -> send ``signals.content_saved`` / ``content_deleted``

The functions take a session and plain values (no form, no request) and raise an
``EditError`` whose message the curator reads; on any refusal the transaction is rolled
back, so nothing half-saved stays and no stored file is left without its row
(``media.storage`` removes the files written in a rolled-back transaction). The signals
go only after the commit. The section keeps no data version yet: when one comes, it is
bumped in ``_commit`` with the rest of the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from blinker import Signal
from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from . import audit, clock, lifecycle, permalinks, rules
from .db import BadText
from .media import storage
from .models import AuditEntry
from .signals import content_deleted, content_saved

STALE = (
    "Пока вы редактировали, эту запись изменил другой пользователь. Ваш текст не сохранён, "
    "но остался в форме ниже. Откройте запись в новой вкладке, сравните и перенесите "
    "нужные правки, затем сохраните."
)
NOT_SAVED = "Запись не сохранена: "
#: Columns a journal entry never gives back, though they are strings: the address (the slug
#: follows a restored title, as in any save, and stays unique) and the journal's own.
_NOT_RESTORED = {*audit.SKIP, "slug"}


class EditError(Exception):
    """A change refused; ``str()`` is the Russian message, ``field`` the value it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class Conflict(EditError):
    """Someone else saved the record since this edit began (a stale version)."""

    def __init__(self, message: str = STALE):
        super().__init__(message)


class Gone(EditError):
    """The record is no longer there."""


class Refused(EditError):
    """The record may not be saved or deleted as it is; ``problems``: (field, message)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message, field=problems[0][0] if problems else None)
        self.problems = problems or []


class BadFile(EditError):
    """A file was refused (type, size, a missing description); ``relation`` says which
    file of the record, ``field`` is ``"file"`` or ``"alt_text"``."""

    def __init__(self, message: str, *, relation: str | None, field: str):
        super().__init__(message, field=field)
        self.relation = relation


@dataclass(frozen=True)
class RecordKind:
    """What the save path knows of a kind of record."""

    name: str  # the audit log's and the signals' name: "news", "case", ...
    model: type
    #: the slug follows this attribute or function of the record; None: no slug
    slug_source: str | Callable[[Any], str] | None = "title"
    #: (session, record) -> [(field, message)]: why the record may not be saved as is
    problems: Callable[[Session, Any], list[tuple[str, str]]] | None = None
    #: (session, record) -> message or None: why the record may not be deleted
    delete_problem: Callable[[Session, Any], str | None] | None = None


@dataclass(frozen=True)
class FileChange:
    """What a save does to one file of the record (a document's text, a news picture)."""

    media_kind: str  # "document" or "image"
    upload: FileStorage | None = None  # a new file: it replaces the current one
    remove: bool = False  # take the current file away
    alt_text: str | None = None  # images: the picture's description (None: not asked)
    private: bool = False  # never shown to the public (a signed consent's scan)


def _set_values(sess: Session, obj: Any, values: Mapping[str, Any]) -> None:
    """Columns take their value; a to-many relationship takes a list of ids (the rows of
    its list that still exist, in the order given)."""
    relationships = sa.inspect(type(obj)).relationships
    for name, value in values.items():
        if name in relationships and relationships[name].uselist:
            target = relationships[name].mapper.class_
            ids = [int(i) for i in value or []]
            rows = {r.id: r for r in sess.scalars(sa.select(target).where(target.id.in_(ids)))}
            value = [rows[i] for i in ids if i in rows]
        setattr(obj, name, value)


def save_record(sess: Session, kind: RecordKind, obj_id: int | None, values: Mapping[str, Any],
                *, actor: str, version: int | None = None,
                files: Mapping[str, FileChange] | None = None, action: str | None = None
                ) -> Any:
    """Create (``obj_id`` None) or update a record and commit; returns the record.

    ``values``: column name -> value, already of the column's type (``published_at``
    None means now). ``version``: the version the edit began from (None: not checked).
    ``files``: relationship name -> what to do with that file. ``action`` is what the
    journal calls the change (``"restore"``); by default create or update.
    """
    creating = obj_id is None
    obj = kind.model() if obj_id is None else _get(sess, kind, obj_id)
    if version is not None and not creating and version != obj.version:
        raise Conflict
    action = action or ("create" if creating else "update")
    before = {} if creating else audit.snapshot(obj)
    old_slug = getattr(obj, "slug", None)
    was_public = not creating and permalinks.publicly_linked(sess, obj)
    was_seen = not creating and _seen(obj)
    with _transaction(sess):
        _set_values(sess, obj, values)
        if "published_at" in values and values["published_at"] is None:
            obj.published_at = clock.now_utc()
        if kind.slug_source and hasattr(obj, "slug"):
            source = kind.slug_source
            text = source(obj) if callable(source) else getattr(obj, source)
            permalinks.follow_title(sess, obj, text, creating=creating)
        problems = kind.problems(sess, obj) if kind.problems else []
        if problems:
            raise Refused(NOT_SAVED + " ".join(msg for _, msg in problems), problems)
        if creating:
            sess.add(obj)
        for relation, change in (files or {}).items():
            _change_file(sess, obj, relation, change)
        sess.flush()
        if old_slug is not None and permalinks.slug_moved(
                old_slug, getattr(obj, "slug", None), was_public=was_public):
            permalinks.record_slug_change(sess, permalinks.kind_of(obj), obj.id, old_slug)
        obj_id = _commit(sess, kind, obj, actor=actor, action=action,
                         changes=audit.diff(before, audit.snapshot(obj)), was_seen=was_seen)
    _send(content_saved, kind=kind.name, id=obj_id, action=action)
    return obj


def change_record(sess: Session, kind: RecordKind, obj_id: int,
                  change: Callable[[Session, Any], str], *, actor: str) -> Any:
    """One action on a record's page (add a participant, upload a photo, complete...):
    ``change(session, record)`` does it and says what it did, for the journal; a rule of
    the Положение or a refused file comes back as an ``EditError``."""
    obj = _get(sess, kind, obj_id)
    was_seen = _seen(obj)
    with _transaction(sess):
        try:
            detail = change(sess, obj)
            sess.flush()
        except storage.StorageError as exc:
            raise BadFile(str(exc), relation=None, field=exc.field) from exc
        except lifecycle.LifecycleError as exc:
            raise Refused(str(exc)) from exc
        _commit(sess, kind, obj, actor=actor, action="update",
                changes={"действие": [None, detail]}, was_seen=was_seen)
    _send(content_saved, kind=kind.name, id=obj_id, action="update")
    return obj


def deletion_problem(sess: Session, kind: RecordKind, obj) -> str | None:
    """Why the record may not be deleted (programmes or honors name it...), or None."""
    return kind.delete_problem(sess, obj) if kind.delete_problem else None


def delete_record(sess: Session, kind: RecordKind, obj_id: int, *, actor: str) -> None:
    """Delete a record and commit; its old addresses are freed for other records."""
    obj = _get(sess, kind, obj_id)
    problem = deletion_problem(sess, kind, obj)
    if problem is not None:
        raise Refused(problem)
    with _transaction(sess):
        audit.record(sess, actor=actor, action="delete", kind=kind.name, obj=obj,
                     changes=audit.diff(audit.snapshot(obj), {}), hid_public=_seen(obj))
        link_kind = permalinks.kind_or_none(obj)
        if link_kind:  # its old addresses may now go to another record
            permalinks.forget_object(sess, link_kind, obj.id)
        sess.delete(obj)
        sess.commit()
    _send(content_deleted, kind=kind.name, id=obj_id)


def restorable(kind: RecordKind, entry: AuditEntry) -> bool:
    """Whether a journal entry holds earlier texts of a record of this kind."""
    if entry.item_kind != kind.name or entry.action not in ("update", "restore"):
        return False
    return bool(entry.changes and _text_columns(kind.model) & set(entry.changes))


def restore(sess: Session, kind: RecordKind, entry_id: int, *, actor: str) -> Any:
    """Put back the texts as they were before a journal entry's change, as any save does.

    What «Восстановить» restores: the texts a curator writes (titles, bodies, names,
    places, links...: ``_text_columns``), nothing else. Never the status (a restore must
    not publish a draft or hide a page), the kind, dates, numbers, links to other records,
    or the address: the slug follows a restored title and stays unique, the old one
    answering 301, as in any save. A restored name another record now has is refused by
    the kind's own check; any other clash of unique values is refused too (a message, not
    a 500). The journal and the signal see a ``restore``.
    """
    entry = sess.get(AuditEntry, entry_id)
    if entry is None or not restorable(kind, entry):
        raise Refused("Эту запись журнала нельзя восстановить.")
    if sess.get(kind.model, entry.item_id) is None:
        raise Gone("Запись, к которой относится изменение, уже удалена.")
    changes = entry.changes or {}
    values = {key: changes[key][0] or "" for key in _text_columns(kind.model) & set(changes)}
    try:
        return save_record(sess, kind, entry.item_id, values, actor=actor, action="restore")
    except sa.exc.IntegrityError as exc:  # rolled back by _transaction
        raise Refused("Текст не восстановлен: прежнее значение уже занято другой записью. "
                      "Исправьте ту запись или восстановите текст вручную.") from exc


# -- the steps --------------------------------------------------------------------------------


def _get(sess: Session, kind: RecordKind, obj_id: int):
    obj = sess.get(kind.model, obj_id)
    if obj is None:
        raise Gone("Эта запись уже удалена.")
    return obj


def _text_columns(model: type) -> set[str]:
    """The texts a restore gives back: string columns that are not a choice from a list
    (status, kind: an ``Enum`` is a ``String`` too), not a link to another record, not
    the slug."""
    columns: Any = sa.inspect(model).columns
    return {c.key for c in columns
            if isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum)
            and not c.foreign_keys and c.key not in _NOT_RESTORED}


def _change_file(sess: Session, obj, relation: str, change: FileChange) -> None:
    """Store a new file, or take the current one away (its file goes at commit), or only
    describe it anew. ``storage.accept_upload`` stays the one door for uploads."""
    state = current_app.extensions["mentoring"]
    current = getattr(obj, relation)
    try:
        if change.upload is not None and change.upload.filename:
            limit = current_app.config["MENTORING_MAX_IMAGE_BYTES" if change.media_kind == "image"
                                       else "MENTORING_MAX_DOCUMENT_BYTES"]
            setattr(obj, relation, storage.accept_upload(
                sess, state.upload_folder, change.upload, kind=change.media_kind,
                max_bytes=limit, alt_text=change.alt_text or "", private=change.private))
        elif change.remove:
            setattr(obj, relation, None)
        else:  # the file stays; its description may have been edited
            if current is not None and change.alt_text is not None:
                current.alt_text = storage.clean_alt(change.alt_text, required=True)
            return
        if current is not None:
            storage.delete_media(sess, state.upload_folder, current)
    except storage.StorageError as exc:
        raise BadFile(str(exc), relation=relation, field=exc.field) from exc


@contextmanager
def _transaction(sess: Session) -> Iterator[None]:
    """Any failure rolls the whole change back (files written in it go too); a stale
    version and a forbidden character become errors the curator can read."""
    try:
        yield
    except StaleDataError:
        sess.rollback()
        raise Conflict from None
    except BadText as exc:
        sess.rollback()
        raise Refused(NOT_SAVED + str(exc), [(exc.field, str(exc))]) from exc
    except BaseException:
        sess.rollback()
        raise


def _seen(obj) -> bool:
    """Whether the public sees the record now (read before a change and after it)."""
    moment = clock.now_utc()
    return rules.is_public_record(obj, moment, clock.today())


def _commit(sess: Session, kind: RecordKind, obj, *, actor: str, action: str,
            changes: dict, was_seen: bool = False) -> int:
    """The journal entry and the commit; returns the record's id (for the signal, which
    the caller sends once out of the transaction). A change that took a public record off
    the site says so in the journal, for the open data's Last-Modified."""
    sess.flush()
    obj_id = obj.id
    hid = was_seen and not _seen(obj)
    audit.record(sess, actor=actor, action=action, kind=kind.name, obj=obj, changes=changes,
                 hid_public=hid)
    sess.commit()
    return obj_id


def _send(signal: Signal, **values: Any) -> None:
    """As Flask sends its own signals: the app as sender, async receivers made sync."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    signal.send(app, _async_wrapper=app.ensure_sync, **values)
