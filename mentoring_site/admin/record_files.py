"""Files a record's own form attaches: a document's text, a material, a news picture.

Chosen with the other fields, stored only if the whole save goes through (the upload is
flushed inside the save's transaction; a rollback removes the written file), replaced or
removed later (the old file goes at commit). Uploads still enter through
``storage.accept_upload`` alone, so the checks are the same as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from ..media import storage


@dataclass(frozen=True)
class FileSlot:
    """A file the record's own form attaches (a document's text, a news picture): chosen
    with the other fields, stored only if the whole save goes through, replaced or removed
    later. Uploads still enter through ``storage.accept_upload`` alone."""

    field: str  # the FileField
    relation: str  # the model's relationship to MediaFile
    media_kind: str  # "document" or "image"
    remove: str  # the BooleanField that takes the current file away
    alt: str | None = None  # images: the field with the picture's description


def prepare(slots: tuple[FileSlot, ...], form, obj, *, from_row: bool) -> None:
    """Describe the current file at its field; no «remove» box when there is nothing."""
    for slot in slots:
        media = getattr(obj, slot.relation, None) if obj is not None else None
        form[slot.field].description = _hint(slot, media)
        if media is None:
            del form[slot.remove]
        elif from_row and slot.alt:
            form[slot.alt].data = media.alt_text


def _hint(slot: FileSlot, media) -> str:
    cfg = current_app.config
    if slot.media_kind == "image":
        kinds, limit = "JPEG, PNG или WebP", cfg["MENTORING_MAX_IMAGE_BYTES"]
    else:
        kinds, limit = "PDF, DOC, DOCX, XLS, XLSX, ODT или ODS", cfg["MENTORING_MAX_DOCUMENT_BYTES"]
    megabytes = f"{limit / 2**20:.1f}".removesuffix(".0")
    hint = f"{kinds}, не больше {megabytes} МБ."
    if media is not None:
        hint += f" Сейчас: «{media.original_name}». Выберите другой файл, чтобы заменить его."
    return hint


def chosen(slots: tuple[FileSlot, ...], form) -> bool:
    """Whether the request brought a file (lost if the save is refused: say so)."""
    return any(getattr(form[slot.field].data, "filename", "") for slot in slots)


def attach(slots: tuple[FileSlot, ...], sess: Session, form, obj) -> None:
    """Store the chosen files, replace or remove the old ones (their files go at commit).

    A refusal (``storage.StorageError``) names the field of this form it belongs to.
    """
    for slot in slots:
        try:
            _attach(slot, sess, form, obj)
        except storage.StorageError as exc:
            exc.field = slot.alt if exc.field == "alt_text" and slot.alt else slot.field
            raise


def _attach(slot: FileSlot, sess: Session, form, obj) -> None:
    folder = current_app.extensions["mentoring"].upload_folder
    current = getattr(obj, slot.relation)
    chosen = form[slot.field].data
    if chosen is not None and getattr(chosen, "filename", ""):
        limit = current_app.config["MENTORING_MAX_IMAGE_BYTES" if slot.media_kind == "image"
                                   else "MENTORING_MAX_DOCUMENT_BYTES"]
        media = storage.accept_upload(sess, folder, chosen, kind=slot.media_kind, max_bytes=limit,
                                      alt_text=form[slot.alt].data if slot.alt else "")
        setattr(obj, slot.relation, media)
    elif slot.remove in form and form[slot.remove].data:
        setattr(obj, slot.relation, None)
    else:  # the file stays; its description may have been edited
        if current is not None and slot.alt:
            current.alt_text = storage.clean_alt(form[slot.alt].data, required=True)
        return
    if current is not None:
        storage.delete_media(sess, folder, current)
