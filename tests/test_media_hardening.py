"""Uploads an attacker shapes (issue 14): a download is named by what the file really is
(item 2), and macros are found by content, not by the names of parts (item 4)."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest

from mentoring_site.media import storage
from mentoring_site.media.filetypes import ascii_name, served_name
from tests.admin_support import ADMIN, signed_in
from tests.test_admin_files import DOCS, _doc_data, _post
from tests.test_uploads import _pdf, _picture

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
