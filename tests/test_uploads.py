"""Uploads: the type told by content, sizes, names kept as data, no file without its row.

Re-encoding of photos (EXIF, orientation, metadata) is tested in test_storage.py.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from mentoring_site.db import metadata, tune_sqlite
from mentoring_site.media import storage
from mentoring_site.media.filetypes import (
    DOCUMENT_TYPES,
    MAX_UNZIPPED_BYTES,
    clean_original_name,
    format_size,
    sniff_document,
    sniff_image,
)
from mentoring_site.media.storage import StorageError, accept_upload, delete_media, path_for
from mentoring_site.models import MediaFile, MediaKind

MB = 1024 * 1024
DOCS_ONLY = "Можно загрузить PDF, DOC, DOCX, XLS, XLSX, ODT или ODS"
IMAGES_ONLY = "Можно загрузить фотографию в формате JPEG, PNG или WebP"


@pytest.fixture
def engine(tmp_path: Path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    tune_sqlite(engine)  # real SAVEPOINTs on pysqlite
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as sess:
        yield sess


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def _rows(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(MediaFile))


def _upload(data: bytes, name: str, ctype: str = "application/octet-stream") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type=ctype)


def _document(session, folder, data, name, **kw):
    return accept_upload(session, folder, _upload(data, name), kind="document",
                         max_bytes=kw.pop("max_bytes", 15 * MB), **kw)


def _image(session, folder, data, name, alt="Наставник и наставляемый на уроке", **kw):
    return accept_upload(session, folder, _upload(data, name), kind="image",
                         max_bytes=kw.pop("max_bytes", 10 * MB), alt_text=alt, **kw)


# -- building test files -------------------------------------------------------------------


def _pdf() -> bytes:
    """A minimal valid PDF: one empty A4 page, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _zip(entries: dict[str, bytes], *, mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        if mimetype is not None:  # ODF: first, stored uncompressed
            zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


_CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
_XML = b'<?xml version="1.0" encoding="UTF-8"?><root>' + "Наставничество".encode() + b"</root>"


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": _CT, "_rels/.rels": _XML, "word/document.xml": _XML})


def _xlsx() -> bytes:
    return _zip({"[Content_Types].xml": _CT, "_rels/.rels": _XML, "xl/workbook.xml": _XML,
                 "xl/worksheets/sheet1.xml": _XML})


def _odf(kind: str) -> bytes:
    return _zip({"content.xml": _XML, "META-INF/manifest.xml": _XML},
                mimetype=f"application/vnd.oasis.opendocument.{kind}")


def _patch_zip(data: bytes, name: str, *, flag: int = 0, file_size: int | None = None) -> bytes:
    """Set flag bits or a declared uncompressed size of one entry in both of its headers."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        name_len, = struct.unpack_from("<H", out, pos + 28)
        local, = struct.unpack_from("<I", out, pos + 42)
        if out[pos + 46 : pos + 46 + name_len] == name.encode():
            for flag_at, size_at in ((pos + 8, pos + 24), (local + 6, local + 22)):
                old_flag, = struct.unpack_from("<H", out, flag_at)
                struct.pack_into("<H", out, flag_at, old_flag | flag)
                if file_size is not None:
                    struct.pack_into("<I", out, size_at, file_size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def _cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding the given streams.

    Sector 0 is the FAT, sector 1 the directory (root + up to 3 streams), then the data;
    every stream is padded to 4096 bytes so it lives in ordinary sectors.
    """
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    fat, data, entries = [0xFFFFFFFD, end], b"", [("Root Entry", 5, end, 0)]
    for name, content in streams.items():
        content = content.ljust(4096, b"\0")
        count, start = len(content) // 512, len(fat)
        fat += [start + i + 1 for i in range(count - 1)] + [end]
        entries.append((name, 2, start, len(content)))
        data += content
    directory = b""
    for number, (name, kind, start, size) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\0\0"
        child = 1 if number == 0 else nostream
        right = number + 1 if 0 < number < len(entries) - 1 else nostream
        directory += struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1,
                                 nostream, right, child, b"", 0, 0, 0, start, size)
    directory = directory.ljust(512, b"\0")
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), b"",
                         0x3E, 3, 0xFFFE, 9, 6, b"", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)
    fat_sector = struct.pack("<128I", *fat, *[free] * (128 - len(fat)))
    return header + fat_sector + directory + data


def _picture(fmt: str, size=(64, 48), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, format=fmt, **save)
    return out.getvalue()


_SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
_HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


# -- documents -----------------------------------------------------------------------------


def test_real_pdf_kept_with_its_russian_name(session, folder):
    pdf = _pdf()
    assert sniff_document(pdf, "Положение о наставничестве.pdf") == ("application/pdf", "pdf")
    media = _document(session, folder, pdf, "Положение о наставничестве.pdf")
    assert media.id and media.kind is MediaKind.DOCUMENT and not media.is_private
    assert media.content_type == "application/pdf" and media.size == len(pdf)
    assert media.original_name == "Положение о наставничестве.pdf"
    assert media.stored_name.endswith(".pdf") and "Положение" not in media.stored_name
    assert path_for(folder, media.stored_name).read_bytes() == pdf
    assert _files(folder) == [media.stored_name]


def test_name_and_type_from_a_real_multipart_request(session, folder):
    """werkzeug's parser hands the Cyrillic name through; its content type is ignored."""
    builder = EnvironBuilder(method="POST", data={
        "file": (io.BytesIO(_pdf()), "Положение о наставничестве.pdf", "text/html")})
    request = Request(builder.get_environ())
    try:
        upload = request.files["file"]
        media = accept_upload(session, folder, upload, kind="document", max_bytes=15 * MB)
    finally:
        request.close()
    assert media.original_name == "Положение о наставничестве.pdf"
    assert media.content_type == "application/pdf"


@pytest.mark.parametrize(
    "build, name, ext",
    [(_docx, "План мероприятий.docx", "docx"), (_xlsx, "Дорожная карта.xlsx", "xlsx"),
     (lambda: _odf("text"), "Программа.odt", "odt"),
     (lambda: _odf("spreadsheet"), "База наставников.ods", "ods"),
     (lambda: _cfb({"WordDocument": b"\xec\xa5", "1Table": b""}), "Приказ.doc", "doc"),
     (lambda: _cfb({"Workbook": b"\x09\x08"}), "Отчёт.xls", "xls"),
     (lambda: _cfb({"Book": b"\x09\x08"}), "Отчёт 1998.xls", "xls"),
     # named wrongly: the content decides the stored extension and type
     (_docx, "План.doc", "docx"), (lambda: _cfb({"Workbook": b""}), "Таблица.doc", "xls")],
)
def test_office_documents_accepted_by_content(session, folder, build, name, ext):
    media = _document(session, folder, build(), name)
    assert media.content_type == DOCUMENT_TYPES[ext]
    assert media.stored_name.endswith(f".{ext}") and media.original_name == name


@pytest.mark.parametrize(
    "data, name, message",
    [
        (_HTML, "Положение.pdf", "назван как PDF, но внутри не PDF"),
        (b"\xef\xbb\xbf" + _HTML, "page.html", "«page.html» не подходит"),
        (_SVG, "logo.svg", "не подходит"),
        (_SVG, "logo.pdf", "назван как PDF"),
        (b"MZ\x90\x00\x03" + bytes(200), "setup.doc", "назван как DOC"),
        (b"#!/bin/sh\nrm -rf /\n", "run.sh", "не подходит"),
        (_picture("JPEG"), "photo.jpg", "не подходит"),
        (_picture("PNG"), "scan.pdf", "назван как PDF"),
        (os.urandom(4096), "Приказ.doc", "назван как DOC"),
        # a zip that is no office document, and an archive glued after a web page
        (_zip({"readme.txt": os.urandom(300).hex().encode()}), "Приказ.doc", "назван как DOC"),
        (_HTML + _docx(), "План.docx", "назван как DOCX"),
        # OOXML of another kind, ODF of another kind, both word/ and xl/
        (_zip({"[Content_Types].xml": _CT, "ppt/presentation.xml": _XML}), "a.docx", "DOCX"),
        (_odf("presentation"), "a.odt", "назван как ODT"),
        (_zip({"[Content_Types].xml": _CT, "word/a.xml": _XML, "xl/b.xml": _XML}), "a.xlsx",
         "XLSX"),
        # OLE2 of another kind (PowerPoint), and the name only inside a stream's text
        (_cfb({"PowerPoint Document": b"x"}), "a.doc", "назван как DOC"),
        (_cfb({"Contents": "WordDocument".encode("utf-16-le") + b"\0\0"}), "a.doc", "DOC"),
        (b"%PDX-1.4\n", "a.pdf", "назван как PDF"),
    ],
)
def test_other_content_refused_naming_the_allowed_types(session, folder, data, name, message):
    with pytest.raises(StorageError, match=DOCS_ONLY) as err:
        _document(session, folder, data, name)
    assert message in str(err.value) and err.value.field == "file"
    assert _files(folder) == [] and _rows(session) == 0


@pytest.mark.parametrize("kind", ["document", "image"])
def test_empty_file_refused(session, folder, kind):
    with pytest.raises(StorageError, match="^Файл пустой"):
        accept_upload(session, folder, _upload(b"", "Положение.pdf"), kind=kind,
                      max_bytes=MB, alt_text="Фото")
    with pytest.raises(StorageError, match="^Выберите файл"):  # nothing chosen in the form
        accept_upload(session, folder, _upload(b"", ""), kind=kind, max_bytes=MB)
    with pytest.raises(StorageError, match="^Выберите файл"):
        accept_upload(session, folder, None, kind=kind, max_bytes=MB)
    assert _files(folder) == []


class _EndlessStream:
    """Endless bytes; fails the test if asked for more than ``allowed`` in all."""

    def __init__(self, head: bytes, allowed: int):
        self.head, self.allowed, self.given = head, allowed, 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or self.given + size > self.allowed:
            raise AssertionError(f"read past the limit: {self.given} + {size}")
        chunk = self.head[self.given : self.given + size]
        self.given += size
        return chunk + bytes(size - len(chunk))


@pytest.mark.parametrize(
    "kind, max_bytes, head, message",
    [("document", 15 * MB, b"%PDF-1.4\n", "Файл больше 15 МБ"),
     ("image", 10 * MB, b"\xff\xd8\xff\xe0", "Файл больше 10 МБ"),
     ("document", 1536 * 1024, b"%PDF-1.4\n", "Файл больше 1,5 МБ")],
)
def test_oversized_file_refused_without_reading_it_all(session, folder, kind, max_bytes, head,
                                                       message):
    stream = _EndlessStream(head, allowed=max_bytes + 1)
    upload = FileStorage(stream, filename="Большой файл.pdf", content_type="application/pdf")
    with pytest.raises(StorageError, match=f"^{message}"):
        accept_upload(session, folder, upload, kind=kind, max_bytes=max_bytes, alt_text="Фото")
    assert stream.given == max_bytes + 1
    assert _files(folder) == []


def test_a_file_of_exactly_the_limit_passes(session, folder):
    pdf = _pdf()
    media = _document(session, folder, pdf, "a.pdf", max_bytes=len(pdf))
    assert media.size == len(pdf)
    with pytest.raises(StorageError, match="^Файл больше"):
        _document(session, folder, pdf, "a.pdf", max_bytes=len(pdf) - 1)


def test_zip_bomb_declaring_a_huge_part_refused_without_extracting(session, folder):
    bomb = _patch_zip(_docx(), "word/document.xml", file_size=MAX_UNZIPPED_BYTES + 1)
    with pytest.raises(StorageError, match="слишком большой объём"):
        _document(session, folder, bomb, "План.docx")
    assert _files(folder) == []


def test_zip_bomb_of_zeros_refused(session, folder):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:  # 20 MB of zeros, streamed
            for _ in range(20):
                part.write(bytes(MB))
    bomb = out.getvalue()
    assert len(bomb) < 100 * 1024
    with pytest.raises(StorageError, match="слишком большой объём"):
        _document(session, folder, bomb, "Таблица.xlsx")


@pytest.mark.parametrize(
    "data",
    [_patch_zip(_docx(), "word/document.xml", flag=0x1),
     _cfb({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"x"})],
)
def test_password_protected_documents_refused(session, folder, data):
    with pytest.raises(StorageError, match="защищён паролем"):
        _document(session, folder, data, "Секретно.docx")


@pytest.mark.parametrize(
    "data",
    [_zip({"[Content_Types].xml": _CT, "word/document.xml": _XML,
           "word/vbaProject.bin": b"\xcc\x61"}),
     _cfb({"WordDocument": b"x", "_VBA_PROJECT": b"\xcc\x61"})],
)
def test_documents_with_macros_refused(session, folder, data):
    with pytest.raises(StorageError, match="макросы"):
        _document(session, folder, data, "Шаблон.doc")


def test_private_document(session, folder):
    media = _document(session, folder, _pdf(), "Согласие Ивановой.pdf", private=True)
    assert media.is_private


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, kept",
    [("C:\\Users\\Учитель\\Desktop\\План работы.docx", "План работы.docx"),
     ("../../etc/Положение.pdf", "Положение.pdf"),
     ("Приказ\n№ 5\t.pdf", "Приказ № 5 .pdf"),
     ("Отчёт\u202egpj.pdf", "Отчётgpj.pdf"),  # a right-to-left override hiding the type
     ("Учител\u0438\u0306.pdf", "Учителй.pdf"),  # macOS sends «й» decomposed
     ("Фото\x00.jpg", "Фото .jpg"),
     ("Отчёт\udc80.pdf", "Отчёт.pdf"),  # a lone surrogate no database can store
     ("   ", "файл")],
)
def test_original_name_cleaned_but_cyrillic_kept(raw, kept):
    assert clean_original_name(raw) == kept


def test_long_name_keeps_its_extension():
    name = clean_original_name("Очень длинное название " * 20 + ".docx")
    assert len(name) == 255 and name.endswith(".docx")


def test_nameless_upload_gets_a_russian_name(session, folder):
    media = _document(session, folder, _pdf(), "\u202e")
    assert media.original_name == "документ.pdf"


def test_format_size():
    assert format_size(15 * MB) == "15 МБ"
    assert format_size(1536 * 1024) == "1,5 МБ"
    assert format_size(512 * 1024) == "512 КБ"
    assert format_size(100) == "100 байт"


# -- images --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, ctype", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_photo_formats_accepted(session, folder, fmt, ctype):
    data = _picture(fmt)
    assert sniff_image(data, "снимок") == (ctype, {"JPEG": "jpg"}.get(fmt, fmt.lower()))
    media = _image(session, folder, data, "Снимок.dat")
    assert media.content_type == "image/jpeg" and media.original_name == "Снимок.dat"
    assert media.alt_text == "Наставник и наставляемый на уроке"


@pytest.mark.parametrize(
    "data, name",
    [(_SVG, "logo.svg"), (_picture("GIF", mode="P"), "anim.gif"), (_picture("BMP"), "a.bmp"),
     (_picture("TIFF"), "scan.tif"), (_HTML, "photo.jpg"), (_pdf(), "Положение.pdf"),
     (b"\x89PNG\r\n\x1a\n", "cut.png")],
)
def test_other_pictures_refused(session, folder, data, name):
    with pytest.raises(StorageError, match=IMAGES_ONLY):
        _image(session, folder, data, name)
    assert _files(folder) == [] and _rows(session) == 0


def test_svg_refused_as_document_too(session, folder):
    with pytest.raises(StorageError, match=DOCS_ONLY):
        _document(session, folder, _SVG, "logo.svg")


def test_decompression_bomb_refused_fast(session, folder):
    data = _picture("PNG", size=(12_000, 12_000), mode="1")  # 144 Mpx in a few kilobytes
    assert len(data) < 100 * 1024
    start = time.monotonic()
    with pytest.raises(StorageError, match="Изображение слишком большое"):
        _image(session, folder, data, "bomb.png")
    with pytest.raises(StorageError, match="Изображение слишком большое"):
        sniff_image(data, "bomb.png")
    assert time.monotonic() - start < 1
    assert _files(folder) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_refused_fast(session, folder, fmt):
    out = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(out, format=fmt)
    data = out.getvalue()
    start = time.monotonic()
    with pytest.raises(StorageError, match="повреждён или обрезан"):
        _image(session, folder, data[: len(data) * 2 // 3], "cut.jpg")
    assert time.monotonic() - start < 1
    assert _files(folder) == [] and _rows(session) == 0


def test_public_photo_needs_alt_text(session, folder):
    for alt in ["", "  \n\t "]:
        with pytest.raises(StorageError, match="незрячим посетителям") as err:
            _image(session, folder, _picture("JPEG"), "a.jpg", alt=alt)
        assert err.value.field == "alt_text"
    with pytest.raises(StorageError, match="длиннее 300 знаков") as err:
        _image(session, folder, _picture("JPEG"), "a.jpg", alt="Фото " * 100)
    assert err.value.field == "alt_text"
    assert _files(folder) == []
    # a consent scan is never shown to visitors: no alt text needed
    scan = _image(session, folder, _picture("JPEG"), "Согласие.jpg", alt="", private=True)
    assert scan.is_private and scan.alt_text == ""


def test_unknown_kind_is_a_programming_error(session, folder):
    with pytest.raises(ValueError, match="'video'"):
        accept_upload(session, folder, _upload(_pdf(), "a.pdf"), kind="video", max_bytes=MB)


# -- no file without its row, no row without its file ---------------------------------------


@pytest.mark.parametrize("kind", ["image", "document"])
def test_failed_flush_leaves_no_file(session, folder, kind):
    session.execute(sa.text("DROP TABLE mentoring_media"))
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        if kind == "image":
            _image(session, folder, _picture("JPEG"), "a.jpg")
        else:
            _document(session, folder, _pdf(), "a.pdf")
    assert _files(folder) == []


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_files_of_an_uncommitted_upload_are_removed(engine, folder, end):
    class HostSession(Session):  # like Flask-SQLAlchemy's own subclass
        pass

    sess = HostSession(engine)
    _image(sess, folder, _picture("JPEG"), "a.jpg")
    _document(sess, folder, _pdf(), "a.pdf")
    assert len(_files(folder)) == 3
    getattr(sess, end)()
    assert _files(folder) == []


def test_committed_upload_stays_and_delete_media_removes_after_commit(session, folder):
    photo = _image(session, folder, _picture("JPEG"), "a.jpg")
    doc = _document(session, folder, _pdf(), "a.pdf")
    photo_id, doc_name = photo.id, doc.stored_name
    session.commit()
    session.close()  # a later transaction's end does not touch committed files
    assert len(_files(folder)) == 3

    delete_media(session, folder, session.get(MediaFile, photo_id))
    assert len(_files(folder)) == 3  # the row may still come back
    session.rollback()
    assert len(_files(folder)) == 3 and _rows(session) == 2

    delete_media(session, folder, session.get(MediaFile, photo_id))
    session.commit()
    assert _files(folder) == [doc_name] and _rows(session) == 1


def test_a_released_savepoint_is_not_a_commit(session, folder):
    doc = _document(session, folder, _pdf(), "a.pdf")
    doc_id, doc_name = doc.id, doc.stored_name
    session.commit()
    with session.begin_nested():
        delete_media(session, folder, session.get(MediaFile, doc_id))
    assert _files(folder) == [doc_name]  # the outer transaction is still open
    session.rollback()
    assert _files(folder) == [doc_name] and _rows(session) == 1


def test_remove_stored_takes_a_media_file_with_its_thumbnail(session, folder):
    photo = _image(session, folder, _picture("JPEG"), "a.jpg")
    session.commit()
    storage.remove_stored(folder, photo)
    assert _files(folder) == []
    storage.remove_stored(folder, photo, "not-a-stored-name", None)  # already gone: no error
