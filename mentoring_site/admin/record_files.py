"""Files a record's own form attaches: a document's text, a material, a news picture.

The form's side only: which fields choose, remove and describe a file, what the field
says about the current one, and what the form asks of each file (``changes``). Storing,
replacing and removing happen in the save itself (``editing.save_record``), inside its
transaction: a file is kept only if the whole save goes through.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..editing import BadFile, FileChange


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


def changes(slots: tuple[FileSlot, ...], form) -> dict[str, FileChange]:
    """What the form asks of each file, for ``editing.save_record``."""
    return {
        slot.relation: FileChange(
            media_kind=slot.media_kind,
            upload=form[slot.field].data,
            remove=bool(slot.remove in form and form[slot.remove].data),
            alt_text=form[slot.alt].data if slot.alt else None,
        )
        for slot in slots
    }


def field_of(slots: tuple[FileSlot, ...], error: BadFile) -> str | None:
    """The form field a refused file's message belongs to."""
    for slot in slots:
        if slot.relation == error.relation:
            return slot.alt if error.field == "alt_text" and slot.alt else slot.field
    return None
