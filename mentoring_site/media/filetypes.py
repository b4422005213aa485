"""What an uploaded file really is, told by its content; the name and the browser's word
are never trusted.

Why it is done this way:

- A name says nothing: a web page saved as ``Положение.pdf`` is still a web page, and a
  browser that gets it back could run its scripts. So every type is decided from the bytes,
  and only types a school publishes are let through: PDF, Word and Excel (old and new), and
  OpenDocument text and spreadsheets; photos in JPEG, PNG or WebP. SVG (it can carry
  scripts), GIF, BMP, HTML and everything else is refused with a message that names what
  is allowed.
- ZIP-based documents (DOCX, XLSX, ODT, ODS) are judged from the archive's directory first:
  an archive whose parts would unpack to more than ``MAX_UNZIPPED_BYTES``, or one part
  packed absurdly tight, is a zip bomb, not a document; encrypted parts are refused. Only
  then are a few small parts read, to find macros.
- Macros are found by what Office and LibreOffice themselves go by, never by a part's name
  alone (a renamed ``vbaProject.bin`` was let through, issue 14, item 4): in OOXML the
  content types (``[Content_Types].xml``: a macro-enabled main part, so a DOCM, XLSM or
  PPTM whatever it is called, a VBA project, Excel 4 macro sheets) and the relationships
  (``*.rels`` of type ``…/vbaProject``, ``…/wordVbaData``, ``…/xlMacrosheet``), read as
  text in UTF-8 or UTF-16 with character references resolved; in OpenDocument the
  ``Basic/`` and ``Scripts/`` folders, in the archive or in ``META-INF/manifest.xml``; in
  any part that is itself a compound file (an embedded object), and in DOC and XLS, the
  VBA storages and streams (``_VBA_PROJECT``, ``_VBA_PROJECT_CUR``, ``VBA``, ``Macros``,
  ``PROJECTwm``) in any letter case. In an old XLS the workbook stream itself is read
  (``olefile``, the compound-file reader oletools builds on) for its sheets: an Excel 4
  macro sheet or a VBA module sheet is a macro whatever the streams are called, and a
  workbook encrypted with a password (``FILEPASS``) is refused like an encrypted DOCX.
- Old Word and Excel files are OLE2 "compound files". Telling one from the other needs the
  names of the streams inside, kept in the file's directory: 128-byte entries, each a name
  in UTF-16LE, its length in bytes at offset 64 and its type (2 = stream) at offset 66,
  always starting at a multiple of 128 in the file (sectors are 512 or 4096 bytes, after a
  512-byte header). We look for such entries named ``WordDocument`` (Word) or
  ``Workbook``/``Book`` (Excel 97+ / Excel 5) instead of parsing the allocation tables: a
  few lines, no dependency, and a chance match inside ordinary text would also need the
  length and type bytes right at an aligned offset. Every aligned slot that looks like an
  entry is read, so whatever directory Office would follow is among them (a stray match
  can only refuse a file, never let macros in). A Word file with an Excel sheet
  embedded holds both names and counts as Word. ``EncryptedPackage`` means a
  password-protected DOCX/XLSX: refused.
- Images are opened lazily by Pillow, restricted to JPEG (with phones' MPO), PNG and WebP,
  and their declared size is checked before any pixel is decoded, so a tiny file declaring
  a gigantic picture costs nothing.
"""

from __future__ import annotations

import html
import io
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where a picture is read: ~30 ms no page needs
    from PIL import Image


class StorageError(ValueError):
    """A file cannot be stored; the message is for the person who uploaded it.

    ``field`` names the form field the message belongs to: ``"file"`` or ``"alt_text"``.
    """

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


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
#: Pictures we accept as input (Pillow format -> content type, extension).
IMAGE_TYPES: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),  # phones' multi-picture JPEG; Pillow opens it as JPEG
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}

#: Largest picture we decode, in pixels (40 Mpx: any phone or camera photo fits).
MAX_IMAGE_PIXELS = 40_000_000
#: A ZIP document may unpack to this much in all; more is a zip bomb.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
#: A part larger than 1 MB packed more than this many times is a zip bomb (real XML: < 50).
MAX_ZIP_RATIO = 200
MAX_ZIP_ENTRIES = 10_000

ALLOWED_DOCUMENTS = "Можно загрузить PDF, DOC, DOCX, XLS, XLSX, ODT или ODS."
ALLOWED_IMAGES = "Можно загрузить фотографию в формате JPEG, PNG или WebP."
_ENCRYPTED = "Файл защищён паролем. Снимите пароль, сохраните файл и загрузите снова."
_MACROS = "Файл содержит макросы. Сохраните его как обычный документ без макросов."
_ZIP_BOMB = (
    "Файл распаковывается в слишком большой объём, обычные документы такими не бывают. "
    "Сохраните документ заново и загрузите снова."
)

_PDF_RE = re.compile(rb"%PDF-[12]\.\d")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
    NotImplementedError, RuntimeError, struct.error, UnicodeDecodeError,
)
_PILLOW_ERRORS = (
    OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, struct.error,
)


# -- names and sizes -----------------------------------------------------------------------


def one_line(text: str) -> str:
    """Text on one line: control characters and line breaks become spaces; invisible
    characters (bidi overrides, zero-width, lone surrogates) go; spaces collapse; NFC
    (macOS sends «й» as two code points)."""
    chars = []
    for ch in unicodedata.normalize("NFC", str(text)):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp"):
            chars.append(" ")
        elif not cat.startswith("C"):
            chars.append(ch)
    return " ".join("".join(chars).split())


def clean_original_name(name: object, default: str = "файл") -> str:
    """The uploaded name as data: no folders, one clean line, at most 255 characters.
    Cyrillic stays."""
    base = one_line(PurePosixPath(str(name or "").replace("\\", "/")).name) or default
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base


# A trailing extension: a dot, then letters and digits with at least one letter («v2.1» keeps
# its «.1»).
_EXTENSION_RE = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}$")


def served_name(original_name: str, ext: str) -> str:
    """The name a download is saved under: the uploaded name with the extension of what the
    file really is. A PDF uploaded as «приказ.html» is served as «приказ.pdf»: the name the
    uploader chose would make the browser save, and the computer open, a web page
    (issue 14, item 2). Names without an extension get one; «x.pdf.html» becomes «x.pdf»."""
    default = "фото" if ext in ("jpg", "png", "webp") else "документ"
    stem = _EXTENSION_RE.sub("", clean_original_name(original_name, default=default))
    stem = stem.rstrip(". ") or default
    if stem.lower().endswith(f".{ext}"):
        stem = stem[: -len(ext) - 1]
    return f"{stem}.{ext}"


def ascii_name(name: str, ext: str) -> str:
    """An ASCII stand-in for ``served_name`` (``filename=`` for old clients): the Cyrillic
    transliterated, «приказ.pdf» -> «prikaz.pdf»."""
    from slugify import slugify

    stem = slugify(name.rpartition(".")[0], max_length=100) or "file"
    return f"{stem}.{ext}"


def _shown(name: str) -> str:
    name = clean_original_name(name, default="без имени")
    return name if len(name) <= 60 else name[:57] + "…"


def format_size(size: int) -> str:
    """``15728640`` -> «15 МБ», the way a limit is told to a person."""
    for unit, step in (("МБ", 1024 * 1024), ("КБ", 1024)):
        if size >= step:
            text = f"{size / step:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} байт"


def check_size(data: bytes, max_bytes: int | None, what: str = "файл") -> None:
    """Refuse an empty file, and one over ``max_bytes`` (when given)."""
    if not data:
        raise StorageError("Файл пустой. Проверьте его и выберите снова.")
    if max_bytes is not None and len(data) > max_bytes:
        raise StorageError(
            f"Файл больше {format_size(max_bytes)}. Уменьшите {what} и загрузите снова."
        )


# -- documents -----------------------------------------------------------------------------


def sniff_document(
    data: bytes, original_name: str, *, max_bytes: int | None = None
) -> tuple[str, str]:
    """(content type, extension) of a document, told by its content.

    Raises StorageError for an empty or too large file, an encrypted one, one with macros,
    a zip bomb, or anything not PDF, DOC, DOCX, XLS, XLSX, ODT or ODS.
    """
    check_size(data, max_bytes, "документ")
    ext: str | None = None
    if _PDF_RE.match(data):
        ext = "pdf"
    elif data.startswith(_OLE2_MAGIC):
        ext = _sniff_ole2(data)
    elif data.startswith(b"PK\x03\x04"):  # at offset 0: no page with an archive glued on
        ext = _sniff_zip(data)
    if ext is None:
        claimed = PurePosixPath(clean_original_name(original_name)).suffix.lstrip(".").upper()
        if claimed.lower() in DOCUMENT_TYPES:
            reason = (f"Файл «{_shown(original_name)}» назван как {claimed}, но внутри не "
                      f"{claimed}. Откройте его и сохраните как {claimed} заново.")
        else:
            reason = f"Файл «{_shown(original_name)}» не подходит."
        raise StorageError(f"{reason} {ALLOWED_DOCUMENTS}")
    return DOCUMENT_TYPES[ext], ext


#: Storages and streams of a VBA project (Word: ``Macros/VBA``, Excel:
#: ``_VBA_PROJECT_CUR/VBA``, OOXML's ``vbaProject.bin``: ``VBA``), compared in lower case.
_VBA_NAMES = frozenset({"_vba_project", "_vba_project_cur", "vba", "macros", "projectwm"})
_STORAGE, _STREAM, _ROOT = 1, 2, 5


def _ole2_entries(data: bytes) -> set[tuple[str, int]]:
    """(name in lower case, type) of every directory entry of a compound file.

    Every 128-byte slot after the header is tried: a name of 1 to 31 UTF-16 characters
    ending in a zero, its length in bytes at offset 64, a storage, stream or root type
    at 66. That is a superset of the entries the file's own directory chain lists."""
    found = set()
    for pos in range(512, len(data) - 127, 128):
        kind, size = data[pos + 66], data[pos + 64] | data[pos + 65] << 8
        if kind not in (_STORAGE, _STREAM, _ROOT) or not 4 <= size <= 64 or size % 2:
            continue
        if data[pos + size - 2 : pos + size] != b"\x00\x00":
            continue
        try:
            name = data[pos : pos + size - 2].decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        found.add((name.lower(), kind))
    return found


def _ole2_has_macros(entries: set[tuple[str, int]]) -> bool:
    return any(name in _VBA_NAMES for name, _ in entries)


def _sniff_ole2(data: bytes) -> str | None:
    entries = _ole2_entries(data)
    if ("encryptedpackage", _STREAM) in entries:
        raise StorageError(_ENCRYPTED)
    if _ole2_has_macros(entries):
        raise StorageError(_MACROS)
    if ("worddocument", _STREAM) in entries:
        return "doc"
    if ("workbook", _STREAM) in entries or ("book", _STREAM) in entries:
        _check_workbook(data)
        return "xls"
    return None


_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
_MACRO_SHEET, _VBA_SHEET = 0x01, 0x06  # BOUNDSHEET's sheet type (dt)


def _check_workbook(data: bytes) -> None:
    """Excel 4 macros and passwords in an XLS: the workbook globals' records are read.

    The globals substream (from its BOF to its EOF) lists every sheet in a BOUNDSHEET
    record whose sixth byte is the sheet's type: 1 is an Excel 4 macro sheet (XLM, run
    by an ``Auto_Open`` name), 6 a VBA module; FILEPASS means the rest is encrypted.
    A file olefile cannot read is left to the checks above (it is not Excel's then)."""
    import olefile  # only for an old XLS

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            stream = ole.openstream(name).read() if name else b""
    except (OSError, ValueError, IndexError, struct.error):
        return
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        if kind == _FILEPASS:
            raise StorageError(_ENCRYPTED)
        if kind == _BOUNDSHEET and len(body) >= 6 and body[5] in (_MACRO_SHEET, _VBA_SHEET):
            raise StorageError(_MACROS)
        if kind == _EOF:
            return  # the end of the globals: sheets come after
        pos += 4 + size


#: Words of the content types and relationship types that mean macros (lower case):
#: ``…document.macroEnabled.main+xml`` (DOCM, XLSM, PPTM, DOTM, XLAM...),
#: ``vnd.ms-office.vbaProject``, ``…/vbaProject``, ``wordVbaData``, Excel 4 macro sheets.
_MACRO_WORDS = ("macroenabled", "vbaproject", "vbadata", "macrosheet")
#: OpenDocument's macro folders: Basic libraries and scripts (Python, JavaScript, BeanShell).
_ODF_MACRO_PATH = re.compile(r"(?:^|/)(?:basic|scripts)/")
_ODF_MANIFEST_PATH = re.compile(r"full-path\s*=\s*[\"']\s*\.?/?((?:[^\"'/]*/)*(?:basic|scripts)/)")


def _xml_text(raw: bytes) -> str:
    """An XML part as lower-case text: UTF-8 or UTF-16 (with or without a BOM), character
    references resolved, so ``macro&#69;nabled`` is seen for what it is."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif raw.startswith(b"<\x00"):
        text = raw.decode("utf-16-le", errors="replace")
    elif raw.startswith(b"\x00<"):
        text = raw.decode("utf-16-be", errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace")
    return html.unescape(text).casefold()


def _zip_has_macros(zf: zipfile.ZipFile) -> bool:
    """Macros anywhere in an OOXML or OpenDocument archive (sizes already checked)."""
    for info in zf.infolist():
        name = info.filename.lower()
        if name.endswith("vbaproject.bin") or _ODF_MACRO_PATH.search(name):
            return True
        with zf.open(info) as fh:
            head = fh.read(8)
            if name in ("[content_types].xml", "meta-inf/manifest.xml") or name.endswith(
                    ".rels"):
                text = _xml_text(head + fh.read())
                if any(word in text for word in _MACRO_WORDS):
                    return True
                if name == "meta-inf/manifest.xml" and _ODF_MANIFEST_PATH.search(text):
                    return True
            elif head == _OLE2_MAGIC and _ole2_has_macros(_ole2_entries(head + fh.read())):
                return True
    return False


def _sniff_zip(data: bytes) -> str | None:
    """docx, xlsx, odt or ods from the archive's directory; nothing is extracted."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = [info.filename for info in infos]
            if not infos or len(infos) > MAX_ZIP_ENTRIES or len(set(names)) != len(names):
                return None
            if any(info.flag_bits & 0x1 for info in infos):
                raise StorageError(_ENCRYPTED)
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES or any(
                info.file_size > 1024 * 1024
                and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
                for info in infos
            ):
                raise StorageError(_ZIP_BOMB)
            lower = [name.lower() for name in names]  # OOXML part names ignore case
            if _zip_has_macros(zf):
                raise StorageError(_MACROS)
            if "[content_types].xml" in lower:
                word = any(name.startswith("word/") for name in lower)
                excel = any(name.startswith("xl/") for name in lower)
                return ("docx" if word else "xlsx") if word != excel else None
            if "mimetype" in names:
                with zf.open("mimetype") as fh:  # sizes checked above; read a few bytes only
                    mimetype = fh.read(100).decode("ascii").strip()
                return _ODF_TYPES.get(mimetype)
    except StorageError:
        raise
    except _ZIP_ERRORS:
        return None
    return None


# -- images --------------------------------------------------------------------------------


def _too_big(width: int | None = None, height: int | None = None) -> StorageError:
    size = f" ({width} × {height} точек)" if width else " по числу точек"
    return StorageError(f"Изображение слишком большое{size}. Уменьшите его и загрузите снова.")


@contextmanager
def image_errors(original_name: str) -> Iterator[None]:
    """Pillow's failures (and its decompression-bomb warning) as StorageError."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's chatter about odd EXIF and the like
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except StorageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_big() from exc
        except UnidentifiedImageError as exc:
            raise StorageError(
                f"Файл «{_shown(original_name)}» не подходит. {ALLOWED_IMAGES}"
            ) from exc
        except _PILLOW_ERRORS as exc:
            raise StorageError(
                "Не удалось прочитать изображение: файл повреждён или обрезан. "
                "Сохраните фотографию заново и загрузите её ещё раз."
            ) from exc


def open_image(data: bytes, original_name: str, *, max_bytes: int | None = None) -> Image.Image:
    """Open a picture lazily (no pixels decoded yet) after the cheap checks.

    Call ``load()`` on the result inside ``image_errors`` to decode it.
    """
    from PIL import Image

    check_size(data, max_bytes, "фотографию")
    with image_errors(original_name):
        im = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    if im.format not in IMAGE_TYPES:
        raise StorageError(f"Файл «{_shown(original_name)}» не подходит. {ALLOWED_IMAGES}")
    width, height = im.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_big(width, height)
    return im


def sniff_image(
    data: bytes, original_name: str, *, max_bytes: int | None = None
) -> tuple[str, str]:
    """(content type, extension) of the picture as received: JPEG, PNG or WebP.

    Raises StorageError for an empty or too large file, a picture of too many pixels or any
    other format. A truncated picture is only found when decoding (``store_image``).
    """
    return IMAGE_TYPES[open_image(data, original_name, max_bytes=max_bytes).format or ""]
