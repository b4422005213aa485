"""Files the section keeps on disk: photos, documents, signed consents.

Why it is done this way:

- A file's name on disk is generated (``uuid4().hex`` and a known extension); the name a
  user uploaded is kept only as data. So no upload can choose its path, overwrite another
  file, or smuggle in ``../`` or a ``.php`` extension, and ``path_for`` refuses any name
  that is not of the generated shape.
- Images are decoded and encoded again by Pillow, never stored as received: what is
  served is a plain JPEG (or PNG when the picture has transparency) without EXIF, XMP or
  comments, so a photo cannot leak the GPS position of a teacher's home or the camera's
  serial number, and a file that only pretends to be an image is refused. The EXIF
  orientation is applied first, so phone photos stand upright. Pictures are cut down to
  1600 px on the long side, with a 480 x 360 thumbnail for lists.
- Pillow refuses "decompression bombs" (a tiny file declaring a gigantic picture) before
  decoding them: the pixel limit below is checked, and Pillow's warning counts as an error.
- Writing is atomic (a temp file in the same folder, fsync, ``os.replace``): a crash or a
  full disk never leaves half a file under a name the database points to.
- Functions here add the ``MediaFile`` row and flush; committing is the caller's business.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import tempfile
import uuid
import warnings
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from .models import MediaFile, MediaKind

#: Largest picture we decode, in pixels (40 Mpx: any phone or camera photo fits).
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

#: Long side of a stored image, and the box of its thumbnail.
MAX_IMAGE_SIDE = 1600
THUMB_SIZE = (480, 360)
JPEG_QUALITY = 85

#: Formats we accept as input (phones' MPO files open through the JPEG plugin).
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")

#: Documents we keep: extension -> content type.
DOCUMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_EXT_BY_TYPE = {ctype: ext for ext, ctype in DOCUMENT_TYPES.items()}

# Exactly what _new_name() makes: 32 hex digits and a short lowercase extension.
_STORED_NAME_RE = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{2,5}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff]")

_PILLOW_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
)


class StorageError(ValueError):
    """A file cannot be stored; the message is for the person who uploaded it."""


def path_for(upload_folder: Path, stored_name: str) -> Path:
    """The path of a stored file; refuses any name that we did not generate."""
    if not isinstance(stored_name, str) or not _STORED_NAME_RE.fullmatch(stored_name):
        raise StorageError("Недопустимое имя файла.")
    return Path(upload_folder) / stored_name


def _new_name(ext: str) -> str:
    return f"{uuid.uuid4().hex}.{ext}"


def _clean_original_name(name: str) -> str:
    """The uploaded name as data: no folders, no control characters, not too long."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = _CONTROL_RE.sub("", base).strip() or "file"
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
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


def remove_stored(upload_folder: Path, *names: str | None) -> None:
    """Delete stored files, ignoring those already gone."""
    for name in names:
        if name:
            with contextlib.suppress(OSError, StorageError):
                path_for(upload_folder, name).unlink()


# -- images --------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Decode, turn upright and normalise an image, with the format to store it in.

    Raises StorageError with a reason the uploader can read.
    """
    if not data:
        raise StorageError("Файл пустой: выберите изображение ещё раз.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            width, height = im.size
            if width * height > MAX_IMAGE_PIXELS:
                raise StorageError(
                    f"Изображение слишком большое ({width} × {height} точек). "
                    "Уменьшите его и загрузите снова."
                )
            im.seek(0)
            im.load()
            return _normalise(ImageOps.exif_transpose(im))
    except StorageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise StorageError(
            "Изображение слишком большое по числу точек. Уменьшите его и загрузите снова."
        ) from exc
    except _PILLOW_ERRORS as exc:
        raise StorageError(
            "Не удалось прочитать изображение: файл повреждён или это не JPEG, PNG, GIF "
            "или WebP. Сохраните картинку заново и загрузите её ещё раз."
        ) from exc


def _has_alpha(im: Image.Image) -> bool:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        alpha = im.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert colours from an embedded ICC profile to sRGB, since the profile is dropped."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "RGBA"):
        return im
    try:
        from PIL import ImageCms

        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        dst = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(im, src, dst, outputMode=im.mode) or im
    except Exception:  # noqa: BLE001 - a broken profile: keep the pixels as they are
        return im


def _encode(im: Image.Image, fmt: str) -> bytes:
    clean = Image.new(im.mode, im.size)
    clean.paste(im)  # a fresh image: no info dict, so no EXIF, XMP, ICC or comments
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _normalise(im: Image.Image) -> tuple[Image.Image, str]:
    alpha = _has_alpha(im)
    if im.mode in ("I;16", "I", "F"):
        im = ImageOps.autocontrast(im.convert("L"))
    im = im.convert("RGBA" if alpha else "RGB")
    return _to_srgb(im), ("PNG" if alpha else "JPEG")


def _thumbnail(im: Image.Image) -> Image.Image:
    if im.width >= THUMB_SIZE[0] and im.height >= THUMB_SIZE[1]:
        return ImageOps.fit(im, THUMB_SIZE, method=Image.Resampling.LANCZOS)
    thumb = im.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    return thumb


def store_image(
    session: Session, upload_folder: Path, data: bytes, *, original_name: str, alt_text: str
) -> MediaFile:
    """Re-encode an uploaded picture, store it with a thumbnail, add its MediaFile row."""
    im, fmt = _decode(data)
    im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    main = _encode(im, fmt)
    thumb = _encode(_thumbnail(im), fmt)
    ext, ctype = ("png", "image/png") if fmt == "PNG" else ("jpg", "image/jpeg")
    name, thumb_name = _new_name(ext), _new_name(ext)
    media = MediaFile(
        stored_name=name,
        original_name=_clean_original_name(original_name),
        content_type=ctype,
        size=len(main),
        kind=MediaKind.IMAGE,
        alt_text=_CONTROL_RE.sub(" ", alt_text or "").strip()[:300],
        width=im.width,
        height=im.height,
        thumb_name=thumb_name,
    )
    _save_files(session, upload_folder, media, [(name, main), (thumb_name, thumb)])
    return media


# -- documents -----------------------------------------------------------------------------


def document_extension(content_type: str, original_name: str = "") -> str:
    """The extension we store a document under, from its content type (or its name)."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype in _EXT_BY_TYPE:
        return _EXT_BY_TYPE[ctype]
    ext = PurePosixPath(_clean_original_name(original_name)).suffix.lstrip(".").lower()
    if ctype in ("", "application/octet-stream") and ext in DOCUMENT_TYPES:
        return ext
    raise StorageError(
        "Этот тип файла не принимается. Загрузите документ в формате "
        + ", ".join(ext.upper() for ext in DOCUMENT_TYPES)
        + "."
    )


def store_document(
    session: Session,
    upload_folder: Path,
    data: bytes,
    *,
    original_name: str,
    content_type: str,
    private: bool = False,
) -> MediaFile:
    """Store a document under a generated name and add its MediaFile row."""
    if not data:
        raise StorageError("Файл пустой: выберите документ ещё раз.")
    ext = document_extension(content_type, original_name)
    name = _new_name(ext)
    media = MediaFile(
        stored_name=name,
        original_name=_clean_original_name(original_name),
        content_type=DOCUMENT_TYPES[ext],
        size=len(data),
        kind=MediaKind.DOCUMENT,
        is_private=private,
    )
    _save_files(session, upload_folder, media, [(name, data)])
    return media


def _save_files(
    session: Session, upload_folder: Path, media: MediaFile, files: list[tuple[str, bytes]]
) -> None:
    """Write every file, then flush the row; on any failure remove what was written."""
    written: list[str] = []
    try:
        for name, blob in files:
            write_atomic(upload_folder, name, blob)
            written.append(name)
        session.add(media)
        session.flush()
    except BaseException:
        remove_stored(upload_folder, *written)
        raise
