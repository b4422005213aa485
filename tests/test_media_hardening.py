"""Uploads an attacker shapes (issue 14): a download is named by what the file really is
(item 2), and macros are found by content, not by the names of parts (item 4)."""

from __future__ import annotations

import io
import re
import struct
from urllib.parse import unquote

import pytest

from mentoring_site.media import storage
from mentoring_site.media.filetypes import StorageError, ascii_name, served_name, sniff_document
from tests.admin_support import ADMIN, signed_in
from tests.test_admin_files import DOCS, _doc_data, _post
from tests.test_uploads import _XML, _cfb, _pdf, _picture, _zip

# -- item 2: the served name's extension is the verified type's -------------------------------


@pytest.mark.parametrize(("uploaded", "ext", "served"), [
    ("приказ.html", "pdf", "приказ.pdf"),
    ("приказ.PDF", "pdf", "приказ.pdf"),
    ("приказ.pdf.html", "pdf", "приказ.pdf"),
    ("приказ", "docx", "приказ.docx"),
    ("План v2.1", "xlsx", "План v2.1.xlsx"),
    ("отчёт.docm", "docx", "отчёт.docx"),
    (".html", "pdf", "документ.pdf"),
    ("", "odt", "документ.odt"),
    ("снимок.svg", "jpg", "снимок.jpg"),
    ("..\\..\\evil.exe", "png", "evil.png"),
])
def test_served_name_takes_the_extension_of_the_verified_type(uploaded, ext, served):
    assert served_name(uploaded, ext) == served


def test_ascii_fallback_is_transliterated():
    assert ascii_name("Положение № 12.pdf", "pdf") == "polozhenie-no-12.pdf"
    assert ascii_name("«»!.pdf", "pdf") == "file.pdf"


def _disposition(resp) -> tuple[str, str, str]:
    """(disposition, filename, filename*) of a response."""
    header = resp.headers["Content-Disposition"]
    kind = header.split(";", 1)[0]
    plain = re.search(r'filename="([^"]*)"', header)
    star = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert plain and star, header
    return kind, plain[1], unquote(star[1])


def test_a_pdf_uploaded_as_html_is_downloaded_as_pdf(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    resp = _post(client, url, _doc_data(client, url, upload=(io.BytesIO(_pdf()), "приказ.html")))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = client.get("/nastavnichestvo/normativnaya-baza/").get_data(as_text=True)
    link = re.search(r'href="([^"]*/media/[0-9a-f]{32}\.pdf)"', page)
    assert link and "(PDF," in page and "HTML" not in page
    with client.get(link[1]) as download:
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert _disposition(download) == ("attachment", "prikaz.pdf", "приказ.pdf")


def _store(app, data: bytes, name: str, *, image: bool = False) -> str:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        folder = app.extensions["mentoring"].upload_folder
        if image:
            media = storage.store_image(sess, folder, data, original_name=name, alt_text="",
                                        private=True)
        else:
            media = storage.store_document(sess, folder, data, original_name=name, private=True)
        sess.commit()
        return media.stored_name


def test_private_files_the_curator_downloads_are_named_by_their_type_too(app):
    client = signed_in(app)
    scan = _store(app, _pdf(), "согласие Иванова.htm")
    photo = _store(app, _picture("PNG"), "скан согласия.html", image=True)
    with client.get(f"{ADMIN}/media/{scan}") as download:
        assert _disposition(download) == ("attachment", "soglasie-ivanova.pdf",
                                          "согласие Иванова.pdf")
    with client.get(f"{ADMIN}/media/{photo}") as download:
        assert download.mimetype == "image/jpeg"  # re-encoded: a photo without alpha
        assert _disposition(download) == ("inline", "skan-soglasiia.jpg", "скан согласия.jpg")
    assert app.test_client().get(f"/nastavnichestvo/media/{scan}").status_code == 404


# -- item 4: macros found by content ----------------------------------------------------------

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _types(*entries: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT_NS}">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(entries) + "</Types>").encode()


def _override(part: str, ctype: str) -> str:
    return f'<Override PartName="{part}" ContentType="{ctype}"/>'


def _rels(*targets: tuple[str, str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_REL_NS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{t}" Target="{target}"/>'
                      for n, (t, target) in enumerate(targets, 1))
            + "</Relationships>").encode()


def _word(types: bytes | None = None, parts: dict[str, bytes] | None = None) -> bytes:
    entries = {"[Content_Types].xml": types or _types(_override("/word/document.xml", _DOCX_MAIN)),
               "_rels/.rels": _rels(), "word/document.xml": _XML}
    return _zip({**entries, **(parts or {})})


def _vba(*, storage: bool = False, case=str) -> bytes:
    """A compound file like ``vbaProject.bin``: a ``VBA`` entry (a storage in real files)
    and its ``_VBA_PROJECT`` stream, names in the letter case given."""
    data = bytearray(_cfb({case("VBA"): b"x", case("_VBA_PROJECT"): b"\xcc\x61"}))
    if storage:
        data[1024 + 128 + 66] = 1  # the first entry after the root: a storage
    return bytes(data)


_VBA_CT = "application/vnd.ms-office.vbaProject"
_VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_MACROSHEET = "application/vnd.ms-excel.macrosheet+xml"
_ODT = "application/vnd.oasis.opendocument.text"


def _manifest(*paths: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            + "".join(f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type='
                      '"text/xml"/>' for p in paths) + "</manifest:manifest>").encode()


MACRO_FILES = {
    # OOXML: a VBA project under any name, told by its content type or its relationship
    "renamed VBA part, its content type": _word(
        _types(_override("/word/document.xml", _DOCX_MAIN),
               '<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>'),
        {"word/settings2.dat": b"x"}),
    "renamed VBA part, its relationship": _word(
        parts={"word/_rels/document.xml.rels": _rels((_VBA_REL, "stuff.dat")),
               "word/stuff.dat": b"x"}),
    "a renamed VBA part found by its bytes": _word(
        parts={"word/media/image9.png": _vba(case=str.lower)}),
    "a DOCM renamed DOCX (main part macro-enabled)": _word(
        _types(_override("/word/document.xml", _DOCM_MAIN))),
    "an XLSM renamed XLSX": _zip({
        "[Content_Types].xml": _types(_override("/xl/workbook.xml", _XLSM_MAIN)),
        "_rels/.rels": _rels(), "xl/workbook.xml": _XML}),
    "Excel 4 macro sheet": _zip({
        "[Content_Types].xml": _types(_override("/xl/macrosheets/sheet1.xml", _MACROSHEET)),
        "_rels/.rels": _rels(), "xl/workbook.xml": _XML, "xl/macrosheets/sheet1.xml": _XML}),
    "content types in UTF-16 with a character reference": _word(
        _types(_override("/word/document.xml", _DOCM_MAIN.replace("E", "&#69;")))
        .decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")),
    "upper-case part name": _word(parts={"WORD/VBAPROJECT.BIN": _vba()}),
    # OpenDocument: Basic libraries and scripts
    "ODT Basic library": _zip({"content.xml": _XML, "META-INF/manifest.xml": _manifest(
        "/", "content.xml", "Basic/", "Basic/Standard/", "Basic/Standard/Module1.xml"),
        "Basic/Standard/Module1.xml": _XML}, mimetype=_ODT),
    "ODT Basic library only in the manifest": _zip({
        "content.xml": _XML, "META-INF/manifest.xml": _manifest("Basic/script-lc.xml")},
        mimetype=_ODT),
    "ODS Python script": _zip({"content.xml": _XML, "META-INF/manifest.xml": _XML,
                               "Scripts/python/run.py": b"import os"},
                              mimetype="application/vnd.oasis.opendocument.spreadsheet"),
    # DOC and XLS: VBA storages and streams in any letter case
    "DOC, lower-case _vba_project": _cfb({"WordDocument": b"x", "_vba_project": b"x"}),
    "DOC, a Macros storage": _cfb({"WordDocument": b"x", "Macros": b"x"}),
    "XLS, _VBA_PROJECT_CUR": _cfb({"Workbook": b"x", "_VBA_PROJECT_CUR": b"x"}),
    "DOC, a VBA stream in odd case": _cfb({"WordDocument": b"x", "vBa": b"x"}),
}


@pytest.mark.parametrize("name", MACRO_FILES)
def test_macros_are_found_by_content_whatever_the_names(name):
    with pytest.raises(StorageError, match="содержит макросы"):
        sniff_document(MACRO_FILES[name], "отчёт.docx")


def test_a_vba_storage_inside_an_embedded_object_is_found():
    with pytest.raises(StorageError, match="содержит макросы"):
        sniff_document(_word(parts={"word/embeddings/oleObject1.bin": _vba(storage=True)}),
                       "a.docx")


@pytest.mark.parametrize(("data", "ext"), [
    (_word(parts={"word/embeddings/oleObject1.bin": _cfb({"Workbook": b"x"})}), "docx"),
    (_word(parts={"word/_rels/document.xml.rels": _rels(
        ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
         "styles.xml"))}), "docx"),
    (_zip({"content.xml": _XML, "META-INF/manifest.xml": _manifest("/", "content.xml",
                                                                   "Pictures/basic.png")},
          mimetype=_ODT), "odt"),
    (_cfb({"WordDocument": b"x", "ObjectPool": b"x"}), "doc"),
])
def test_documents_without_macros_still_pass(data, ext):
    assert sniff_document(data, "документ")[1] == ext


def test_a_macro_enabled_file_is_refused_on_the_admin_form(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    data = MACRO_FILES["a DOCM renamed DOCX (main part macro-enabled)"]
    resp = _post(client, url, _doc_data(client, url, upload=(io.BytesIO(data), "отчёт.docx")))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Файл содержит макросы" in html


# -- Excel 4 macros and passwords inside an old XLS's workbook stream ------------------------


def _biff(*records: tuple[int, bytes]) -> bytes:
    """A workbook stream: the globals' BOF, the given records, EOF, then a sheet's BOF/EOF."""
    out = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
    for kind, body in records:
        out += struct.pack("<HH", kind, len(body)) + body
    out += struct.pack("<HH", 0x000A, 0)
    # a worksheet's substream: a BOUNDSHEET-looking record here is not the globals' list
    out += struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)
    out += struct.pack("<HH", 0x0085, 8) + struct.pack("<IBBBB", 0, 0, 1, 1, 0)
    return out + struct.pack("<HH", 0x000A, 0)


def _sheet(kind: int, name: str = "Лист1", state: int = 0) -> tuple[int, bytes]:
    """BOUNDSHEET: the sheet's offset, visibility (2 = very hidden), type, its name."""
    text = name.encode("utf-16-le")
    return 0x0085, struct.pack("<IBBBB", 0, state, kind, len(name), 1) + text


@pytest.mark.parametrize(("what", "sheets"), [
    ("an Excel 4 macro sheet", [_sheet(0), _sheet(1, "Macro1")]),
    ("a very hidden Excel 4 macro sheet", [_sheet(0), _sheet(1, "x", state=2)]),
    ("a VBA module sheet (Excel 5)", [_sheet(6, "Module1")]),
])
def test_an_xls_with_macro_sheets_is_refused_whatever_its_streams_are_called(what, sheets):
    data = _cfb({"Workbook": _biff(*sheets)})  # no VBA storage or stream at all
    with pytest.raises(StorageError, match="содержит макросы"):
        sniff_document(data, "таблица.xls")


def test_a_password_protected_xls_is_refused():
    data = _cfb({"Workbook": _biff((0x002F, b"\x01\x00" + b"\x00" * 52), _sheet(0))})
    with pytest.raises(StorageError, match="защищён паролем"):
        sniff_document(data, "таблица.xls")


def test_an_ordinary_xls_with_a_chart_sheet_is_kept():
    data = _cfb({"Workbook": _biff(_sheet(0), _sheet(2, "Диаграмма1"))})
    assert sniff_document(data, "таблица.xls") == ("application/vnd.ms-excel", "xls")


def test_a_real_xls_saved_by_libreoffice_is_kept(tmp_path):
    """The workbook reader on a file an office program wrote (not our test builder)."""
    import shutil
    import subprocess
    import uuid

    from tests.test_reports_office import _soffice

    soffice = _soffice()
    (tmp_path / "plan.csv").write_text("ФИО,Предмет\nИванова Анна,математика\n", "utf-8")
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "xls", "--outdir", str(tmp_path), str(tmp_path / "plan.csv")],
            capture_output=True, text=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "plan.xls").read_bytes()
    assert sniff_document(data, "План.xls") == ("application/vnd.ms-excel", "xls")
