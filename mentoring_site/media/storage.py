"""Files the section keeps on disk: photos, documents, signed consents.

``accept_upload`` is the one door for an uploaded file; ``filetypes`` tells what it is.
Why it is done this way:

- A file's name on disk is generated (``uuid4().hex`` and a known extension); the name a
  user uploaded is kept only as data (Cyrillic included: werkzeug's ``secure_filename``
  would erase it). So no upload can choose its path, overwrite another file, or smuggle in
  ``../`` or a ``.php`` extension, and ``path_for`` refuses any name not of that shape.
- Neither the uploaded name nor the browser's content type is trusted: the type comes from
  the content (``filetypes``), and an upload is read only up to its size limit.
- Images are decoded and encoded again by Pillow, never stored as received (``images``):
  no EXIF, XMP or comments survive, so a photo cannot leak the GPS position of a teacher's
  home, and a file that only pretends to be an image is refused.
- Writing is atomic (a temp file in the same folder, fsync, ``os.replace``): a crash or a
  full disk never leaves half a file under a name the database points to.
- Functions here add the ``MediaFile`` row and flush; committing is the caller's business.
  No file without a row and no row without a file: if the flush fails, the files just
  written are removed at once; if the transaction is later rolled back or closed without
  a commit, they are removed then (session events below). ``delete_media`` likewise removes
  a file only once the deletion of its row is committed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import IO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from ..models import MediaFile, MediaKind
from .filetypes import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    StorageError,
    ascii_name,
    clean_original_name,
    one_line,
    served_name,
    sniff_document,
    sniff_image,
)

__all__ = [  # sniffing lives in filetypes; it is exported here so one import does
    "DOCUMENT_TYPES", "IMAGE_TYPES", "StorageError", "accept_upload", "clean_alt",
    "delete_media", "path_for", "remove_stored", "sniff_document", "sniff_image",
    "store_document", "store_image", "write_atomic",
]

#: Longest alt text (the column's size).
MAX_ALT_TEXT = 300

# Exactly what _new_name() makes: 32 hex digits and a short lowercase extension.
_STORED_NAME_RE = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{2,5}$")
# session.info key: files written / files to delete in the session's current transaction.
_PENDING = "mentoring_storage_pending"


def path_for(upload_folder: Path, stored_name: str) -> Path:
    """The path of a stored file; refuses any name that we did not generate."""
    if not isinstance(stored_name, str) or not _STORED_NAME_RE.fullmatch(stored_name):
        raise StorageError("Недопустимое имя файла.")
    return Path(upload_folder) / stored_name


def _new_name(ext: str) -> str:
    return f"{uuid.uuid4().hex}.{ext}"


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(upload_folder: Path, stored_name: str, data: bytes) -> Path:
    """Write ``data`` under ``stored_name``: all or nothing, never half a file."""
    final = path_for(upload_folder, stored_name)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(final.parent)
    return final


def remove_stored(upload_folder: Path, *items: MediaFile | str | None) -> None:
    """Delete stored files at once, ignoring those already gone.

    Each item is a stored name or a ``MediaFile`` (its file and its thumbnail). While the
    row is being deleted in a transaction, use ``delete_media`` instead.
    """
    for item in items:
        names = [item.stored_name, item.thumb_name] if isinstance(item, MediaFile) else [item]
        for name in names:
            if name:
                with contextlib.suppress(OSError, StorageError):
                    path_for(upload_folder, name).unlink()


def delete_media(session: Session, upload_folder: Path, media: MediaFile) -> None:
    """Delete a MediaFile row and flush; its files go when the deletion is committed.

    A refused flush (the file is still used somewhere) raises and keeps the files.
    """
    names = [media.stored_name, media.thumb_name]
    session.delete(media)
    session.flush()
    _pending(session)["doomed"].append((Path(upload_folder), names))


def _pending(session: Session) -> dict[str, list[tuple[Path, list[str | None]]]]:
    return session.info.setdefault(_PENDING, {"written": [], "doomed": []})


@event.listens_for(Session, "after_commit")
def _delete_files_of_committed_deletions(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a savepoint released, not a commit
        return
    for folder, names in session.info.pop(_PENDING, {}).get("doomed", []):
        remove_stored(folder, *names)


@event.listens_for(Session, "after_transaction_end")
def _delete_files_of_uncommitted_rows(session: Session, transaction: SessionTransaction) -> None:
    # After a commit the list is already gone; after a rollback or close, the rows are.
    if transaction.parent is None:
        for folder, names in session.info.pop(_PENDING, {}).get("written", []):
            remove_stored(folder, *names)


def _save_files(
    session: Session, upload_folder: Path, media: MediaFile, files: list[tuple[str, bytes]]
) -> None:
    """Write every file, then flush the row; on any failure remove what was written."""
    written: list[str | None] = []
    try:
        for name, blob in files:
            write_atomic(upload_folder, name, blob)
            written.append(name)
        session.add(media)
        session.flush()
    except BaseException:
        remove_stored(upload_folder, *written)
        with contextlib.suppress(Exception):
            session.expunge(media)
        raise
    _pending(session)["written"].append((Path(upload_folder), written))


def clean_alt(alt_text: str | None, *, required: bool) -> str:
    """A picture's description on one line; required for a public picture."""
    alt = one_line(alt_text or "")
    if required and not alt:
        raise StorageError(
            "Опишите, что на фотографии: это нужно незрячим посетителям.", field="alt_text"
        )
    if len(alt) > MAX_ALT_TEXT:
        raise StorageError(
            f"Описание фотографии длиннее {MAX_ALT_TEXT} знаков ({len(alt)}). Сократите его.",
            field="alt_text",
        )
    return alt


# -- the door for uploads ------------------------------------------------------------------


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """Up to ``limit`` bytes, never asking the stream for more."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        stream.seek(0)  # a validator may have peeked at it
    chunks, size = [], 0
    while size < limit:
        chunk = stream.read(min(limit - size, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def accept_upload(
    session: Session,
    upload_folder: Path,
    file_storage: FileStorage | None,
    *,
    kind: MediaKind | str,
    max_bytes: int,
    alt_text: str = "",
    private: bool = False,
) -> MediaFile:
    """Check, store and record one uploaded file; the one way uploads enter the section.

    ``kind`` is ``"image"`` or ``"document"``. The upload's filename and content type are
    not trusted: the name is kept as data only, the type is told from the content. At most
    ``max_bytes + 1`` bytes are read. A public image needs ``alt_text``; a private one (a
    consent scan) does not. Returns the flushed MediaFile; raises StorageError, whose
    ``field`` is ``"file"`` or ``"alt_text"``.
    """
    kind = MediaKind(kind)
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    if file_storage is None or not file_storage.filename:
        raise StorageError("Выберите файл.")
    name = str(file_storage.filename)
    if kind is MediaKind.IMAGE:
        alt = clean_alt(alt_text, required=not private)  # before reading: cheap
        data = _read_at_most(file_storage.stream, max_bytes + 1)
        return store_image(session, upload_folder, data, original_name=name, alt_text=alt,
                           private=private, max_bytes=max_bytes)
    data = _read_at_most(file_storage.stream, max_bytes + 1)
    return store_document(session, upload_folder, data, original_name=name, private=private,
                          max_bytes=max_bytes)


# -- images --------------------------------------------------------------------------------


def store_image(
    session: Session,
    upload_folder: Path,
    data: bytes,
    *,
    original_name: str,
    alt_text: str,
    private: bool = False,
    max_bytes: int | None = None,
) -> MediaFile:
    """Re-encode a picture (JPEG, PNG or WebP), store it with a thumbnail, add its row."""
    from . import images  # Pillow: imported by the first picture stored, not by every worker

    alt = clean_alt(alt_text, required=False)
    picture = images.reencode(data, original_name, max_bytes=max_bytes)
    ext, ctype = ("png", "image/png") if picture.format == "PNG" else ("jpg", "image/jpeg")
    name, thumb_name = _new_name(ext), _new_name(ext)
    media = MediaFile(
        stored_name=name,
        original_name=clean_original_name(original_name, default=f"фото.{ext}"),
        content_type=ctype,
        size=len(picture.main),
        kind=MediaKind.IMAGE,
        alt_text=alt,
        width=picture.width,
        height=picture.height,
        thumb_name=thumb_name,
        is_private=private,
    )
    _save_files(session, upload_folder, media, [(name, picture.main), (thumb_name, picture.thumb)])
    return media


# -- documents -----------------------------------------------------------------------------


def store_document(
    session: Session,
    upload_folder: Path,
    data: bytes,
    *,
    original_name: str,
    content_type: str | None = None,
    private: bool = False,
    max_bytes: int | None = None,
) -> MediaFile:
    """Store a document under a generated name and add its MediaFile row.

    The type is told from the content (``sniff_document``); ``content_type`` is accepted
    for older callers and ignored.
    """
    del content_type
    ctype, ext = sniff_document(data, original_name, max_bytes=max_bytes)
    name = _new_name(ext)
    media = MediaFile(
        stored_name=name,
        original_name=clean_original_name(original_name, default=f"документ.{ext}"),
        content_type=ctype,
        size=len(data),
        kind=MediaKind.DOCUMENT,
        is_private=private,
    )
    _save_files(session, upload_folder, media, [(name, data)])
    return media


def send_media(upload_folder: Path, media: MediaFile, name: str):
    """Serve a stored file (or its thumbnail) with its real type; a document as an
    attachment, a picture inline, each named by the original name with the extension of
    what the file really is (``served_name``), the header made by ``urls``. Read into
    memory: stored files are small, never change (their names are new on every upload,
    hence the ETag), and no file handle outlives a request a browser abandoned half way.

    ``no-cache`` with the ETag (no ``max_age``): a file is served only while something
    public shows it (a person's photo only under a consent in force), so every cache must
    ask again before each use and learns of a withdrawal at once; a current copy costs a
    304."""
    import mimetypes

    from flask import abort, send_file

    from ..urls import content_disposition

    try:
        path = path_for(upload_folder, name)
        data = path.read_bytes()
    except (StorageError, OSError):
        abort(404)
    if name != media.stored_name:  # the thumbnail
        response = send_file(io.BytesIO(data), mimetype=mimetypes.guess_type(name)[0],
                             etag=name, last_modified=media.created_at)
    else:
        response = send_file(io.BytesIO(data), mimetype=media.content_type, etag=name,
                             last_modified=media.created_at)
        ext = media.verified_ext
        shown = served_name(media.original_name, ext)
        response.headers["Content-Disposition"] = content_disposition(
            shown, ascii_name(shown, ext),
            disposition="attachment" if media.kind is MediaKind.DOCUMENT else "inline")
    # Whatever the host's SEND_FILE_MAX_AGE_DEFAULT says (see the docstring).
    response.headers["Cache-Control"] = "no-cache"
    response.headers.pop("Expires", None)
    return response
