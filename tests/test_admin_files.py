"""Files attached through a record's own form: a document's text, a material, a news
picture. Stored only when the whole save goes through; replaced and removed files go."""

from __future__ import annotations

import io
import re
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from mentoring_site.models import Document, MediaFile, NewsItem
from tests.admin_support import ADMIN, signed_in, token
from tests.test_uploads import _pdf

DOCS = f"{ADMIN}/dokumenty"
NEWS = f"{ADMIN}/novosti"


def _doc_data(client, url, **fields):
    data = {"csrf_token": token(client, url), "status": "published", "title": "Положение о "
            "наставничестве", "level": "local", "kind": "regulation", "number": "12",
            "issued_on": "2024-09-01", "issuer": "", "url": "", "in_force": "y",
            "repealed_on": "", "sort": "0", "published_at": "", "unpublish_at": "",
            "version": ""}
    data.update(fields)
    return data


def _news_data(client, url, **fields):
    data = {"csrf_token": token(client, url), "kind": "news", "status": "published",
            "title": "Открытый урок", "summary": "Кратко", "body": "Текст", "image_alt": "",
            "published_at": "", "unpublish_at": "", "event_starts_at": "", "event_ends_at": "",
            "event_place": "", "version": ""}
    data.update(fields)
    return data


def _post(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "#2a6").save(out, "JPEG")
    out.seek(0)
    return out


def _stored(app) -> list[str]:
    folder = Path(app.extensions["mentoring"].upload_folder)
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def _one(app, model):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        obj = sess.scalars(sa.select(model)).one()
        media = obj.file if model is Document else obj.image
        return obj.id, obj.version, (media.original_name, media.stored_name,
                                     media.alt_text) if media else None


def test_a_document_is_uploaded_with_its_record_and_offered_for_download(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    form = client.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form
    assert "PDF, DOC, DOCX, XLS, XLSX, ODT или ODS, не больше 15 МБ." in form
    assert "Убрать приложенный файл" not in form  # nothing to remove yet
    resp = _post(client, url, _doc_data(client, url, upload=(io.BytesIO(_pdf()),
                                                             "Положение № 12.pdf")))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    doc_id, _, (original, stored, _) = _one(app, Document)
    assert original == "Положение № 12.pdf" and stored.endswith(".pdf")
    assert _stored(app) == [stored]
    page = client.get("/nastavnichestvo/normativnaya-baza/").get_data(as_text=True)
    link = re.search(r'href="([^"]*/media/' + re.escape(stored) + ')"', page)
    assert link
    with client.get(link[1]) as download:
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    edit = client.get(f"{DOCS}/{doc_id}/").get_data(as_text=True)
    assert "Сейчас: «Положение № 12.pdf»" in edit and "Убрать приложенный файл" in edit


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_saved(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    resp = _post(client, url, _doc_data(client, url, upload=(
        io.BytesIO(b"<html><script>alert(1)</script></html>"), "приказ.pdf")))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Запись не сохранена" in html and "выберите его ещё раз" in html
    assert 'aria-invalid="true"' in html and "Положение о наставничестве" in html
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count()).select_from(Document)) == 0
        assert sess.scalar(sa.select(sa.func.count()).select_from(MediaFile)) == 0
    assert _stored(app) == []


def test_replacing_and_removing_a_file_leaves_no_orphans(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    _post(client, url, _doc_data(client, url, upload=(io.BytesIO(_pdf()), "первый.pdf")))
    doc_id, version, (_, first, _) = _one(app, Document)
    edit = f"{DOCS}/{doc_id}/"
    resp = _post(client, edit, _doc_data(client, edit, version=str(version),
                                         upload=(io.BytesIO(_pdf()), "второй.pdf")))
    assert resp.status_code == 302
    _, version, (original, second, _) = _one(app, Document)
    assert original == "второй.pdf" and _stored(app) == [second] and second != first
    # a save without a new file keeps the current one
    assert _post(client, edit, _doc_data(client, edit, version=str(version),
                                         title="Положение (ред. 2025)")).status_code == 302
    _, version, media = _one(app, Document)
    assert media[1] == second
    assert _post(client, edit, _doc_data(client, edit, version=str(version),
                                         remove_file="y")).status_code == 302
    assert _one(app, Document)[2] is None and _stored(app) == []
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count()).select_from(MediaFile)) == 0


def test_a_stale_edit_with_a_file_stores_nothing(app):
    client = signed_in(app)
    url = f"{DOCS}/novaya/"
    _post(client, url, _doc_data(client, url))
    doc_id, version, _ = _one(app, Document)
    edit = f"{DOCS}/{doc_id}/"
    assert _post(client, edit, _doc_data(client, edit, version=str(version),
                                         title="Правка другого")).status_code == 302
    resp = _post(client, edit, _doc_data(client, edit, version=str(version),
                                         upload=(io.BytesIO(_pdf()), "поздний.pdf")))
    assert resp.status_code == 409
    assert "выберите его ещё раз" in resp.get_data(as_text=True)
    assert _one(app, Document)[2] is None and _stored(app) == []


def test_a_news_picture_needs_its_description_and_is_shown_with_it(app):
    client = signed_in(app)
    url = f"{NEWS}/novaya/"
    resp = _post(client, url, _news_data(client, url, image=(_jpeg(), "урок.jpg")))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Опишите, что на фотографии" in html
    assert re.search(r'id="image_alt"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                     r'id="image_alt"', html)
    assert _stored(app) == []
    resp = _post(client, url, _news_data(client, url, image=(_jpeg(), "урок.jpg"),
                                         image_alt="Наставник на открытом уроке"))
    assert resp.status_code == 302, resp.get_data(as_text=True)
    news_id, version, (_, stored, alt) = _one(app, NewsItem)
    assert alt == "Наставник на открытом уроке" and stored.endswith((".jpg", ".webp", ".png"))
    page = client.get("/nastavnichestvo/novosti/otkrytyi-urok/").get_data(as_text=True)
    assert 'alt="Наставник на открытом уроке"' in page
    # the description is edited in place, the picture stays
    edit = f"{NEWS}/{news_id}/"
    assert 'value="Наставник на открытом уроке"' in client.get(edit).get_data(as_text=True)
    assert _post(client, edit, _news_data(client, edit, version=str(version),
                                          image_alt="Урок в 5 «Б»")).status_code == 302
    assert _one(app, NewsItem)[2][1:] == (stored, "Урок в 5 «Б»")
    # and cannot be emptied while the picture is there
    _, version, _ = _one(app, NewsItem)
    resp = _post(client, edit, _news_data(client, edit, version=str(version), image_alt=""))
    assert resp.status_code == 200 and "Опишите, что на фотографии" in resp.get_data(
        as_text=True)
    assert _one(app, NewsItem)[2][2] == "Урок в 5 «Б»"


def test_an_svg_picture_is_refused(app):
    client = signed_in(app)
    url = f"{NEWS}/novaya/"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    resp = _post(client, url, _news_data(client, url, image=(io.BytesIO(svg), "logo.png"),
                                         image_alt="Логотип"))
    assert resp.status_code == 200 and "Запись не сохранена" in resp.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count()).select_from(NewsItem)) == 0
