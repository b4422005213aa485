"""Cases in the admin: the completion rule is shown, photos and documents are checked."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from mentoring_site.models import Case, CasePhoto, MediaFile, ProgramStatus
from tests import factories as f
from tests.admin_support import ADMIN, signed_in, token


def _setup(app, status=ProgramStatus.ACTIVE):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        prog = f.program(sess, title="Первый год в школе", status=status)
        sess.add(prog)
        sess.commit()
        return prog.id


def _case_data(client, url, program_id, **kw):
    data = {"csrf_token": token(client, url), "program_id": str(program_id),
            "title": "Урок-исследование", "summary": "Кратко", "body": "Подробно",
            "status": "published", "published_at": "", "unpublish_at": "", "version": ""}
    data.update(kw)
    return data


def _cases(app):
    with app.app_context():
        return app.extensions["mentoring"].session().scalars(sa.select(Case)).all()


def test_publishing_a_case_of_a_running_programme_is_refused_with_a_link(app):
    pid = _setup(app)
    client = signed_in(app)
    url = f"{ADMIN}/luchshie-praktiki/novaya/"
    resp = client.post(url, data=_case_data(client, url, pid))
    html = resp.get_data(as_text=True)
    assert "только после завершения программы «Первый год в школе»" in html
    assert f"{ADMIN}/programmy/{pid}/" in html
    assert _cases(app) == []
    draft = client.post(url, data=_case_data(client, url, pid, status="draft"))
    assert draft.status_code == 302


def test_case_of_completed_programme_is_published_with_a_photo(app):
    pid = _setup(app, ProgramStatus.COMPLETED)
    client = signed_in(app)
    url = f"{ADMIN}/luchshie-praktiki/novaya/"
    resp = client.post(url, data=_case_data(client, url, pid))
    assert resp.status_code == 302
    [case] = _cases(app)
    edit = f"{ADMIN}/luchshie-praktiki/{case.id}/"
    jpeg = io.BytesIO()
    Image.new("RGB", (800, 600), "#3a7").save(jpeg, "JPEG")
    jpeg.seek(0)
    resp = client.post(f"{edit}foto/", data={
        "csrf_token": token(client, edit), "photo": (jpeg, "урок.jpg"),
        "alt_text": "Учитель у доски", "caption": "Открытый урок"},
        content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    gallery = client.get("/nastavnichestvo/luchshie-praktiki/").get_data(as_text=True)
    assert "Урок-исследование" in gallery and "Учитель у доски" in gallery


def test_photo_without_alt_text_or_of_a_wrong_type_is_refused(app):
    pid = _setup(app, ProgramStatus.COMPLETED)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.case(sess.get(f.Program, pid), status=f.Status.DRAFT))
        sess.commit()
    [case] = _cases(app)
    client = signed_in(app)
    edit = f"{ADMIN}/luchshie-praktiki/{case.id}/"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    resp = client.post(f"{edit}foto/", data={
        "csrf_token": token(client, edit), "photo": (io.BytesIO(svg), "картинка.jpg"),
        "alt_text": "Картинка", "caption": ""}, content_type="multipart/form-data")
    assert "JPEG, PNG или WebP" in resp.get_data(as_text=True)
    resp = client.post(f"{edit}dokumenty/", data={
        "csrf_token": token(client, edit),
        "file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "отчёт.pdf"),
        "title": "Отчёт"}, content_type="multipart/form-data")
    assert "PDF, DOC, DOCX, XLS, XLSX, ODT или ODS" in resp.get_data(as_text=True)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        assert sess.scalar(sa.select(sa.func.count(MediaFile.id))) == 0
        assert sess.scalar(sa.select(sa.func.count(CasePhoto.id))) == 0
    uploads = app.extensions["mentoring"].upload_folder
    assert not uploads.exists() or not any(uploads.iterdir())


def test_an_oversized_upload_is_stopped_with_a_message(app):
    app.config["MENTORING_MAX_IMAGE_BYTES"] = 1000
    app.config["MENTORING_MAX_DOCUMENT_BYTES"] = 1000
    pid = _setup(app, ProgramStatus.COMPLETED)
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        sess.add(f.case(sess.get(f.Program, pid), status=f.Status.DRAFT))
        sess.commit()
    [case] = _cases(app)
    client = signed_in(app)
    edit = f"{ADMIN}/luchshie-praktiki/{case.id}/"
    # encoded here into memory: the test client would spool a body this big to a temp file
    boundary, body = encode_multipart({
        "csrf_token": token(client, edit), "title": "Большой",
        "file": FileStorage(io.BytesIO(b"%PDF-1.4" + b"0" * 3_000_000), "большой.pdf")})
    resp = client.post(f"{edit}dokumenty/", input_stream=io.BytesIO(body),
                       content_length=len(body),
                       content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 413
    assert "Файл слишком большой" in resp.get_data(as_text=True)
    small_but_over = client.post(f"{edit}dokumenty/", data={
        "csrf_token": token(client, edit), "file": (io.BytesIO(b"%PDF-1.4" + b"0" * 5000),
                                                    "средний.pdf"), "title": "Средний"},
        content_type="multipart/form-data")
    assert "больше" in small_but_over.get_data(as_text=True)
