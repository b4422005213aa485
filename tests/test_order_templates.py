"""The base of templates an office hands to its schools (issue 12; district roadmap 3.1.1):
the six orders and two protocols with blanks, added as materials and downloadable."""

from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa
from docx import Document

from mentoring_site.clock import today
from mentoring_site.models import Material, MaterialKind
from mentoring_site.reports.files import blank_order_report
from mentoring_site.reports.orders import KINDS, ROADMAP, order_context
from mentoring_site.starter.order_templates import add_order_templates, title_of


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_blank_template_has_blanks_and_nothing_of_any_section(seeded_app):
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        filled = order_context(sess, KINDS["kurator"], [], school="МБОУ «Тестовая школа № 1»",
                               today=today())
        texts = {key: _text(blank_order_report(key, today=today()).data) for key in ROADMAP}
    assert filled["mentors"], "the seeded school has a bank of mentors"
    for key, text in texts.items():
        assert "(наименование образовательной организации)" in text, key
        assert "____" in text, key
        assert "Тестовая школа" not in text, key
        for mentor in filled["mentors"]:
            assert mentor["name"] not in text, key


def test_the_starter_adds_eight_templates_once_through_the_save_path(app, client):
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        added = add_order_templates(sess, actor="тест", today=today())
        assert len(added) == len(ROADMAP) == 8
        assert add_order_templates(sess, actor="тест", today=today()) == []
        materials = sess.scalars(sa.select(Material).order_by(Material.id)).all()
        assert [m.title for m in materials] == [title_of(k) for k in ROADMAP]
        assert {m.kind for m in materials} == {MaterialKind.TEMPLATE}
    page = client.get("/nastavnichestvo/metodicheskie-materialy/").get_data(as_text=True)
    assert title_of("pary") in page and "Макеты документов" in page
    downloads = [part.split('"', 1)[0] for part in page.split('href="')[1:]
                 if "/media/" in part.split('"', 1)[0]]
    assert len(downloads) == 8
    got = client.get(downloads[0])
    assert got.status_code == 200 and got.data.startswith(b"PK")
    assert zipfile.ZipFile(io.BytesIO(got.data)).testzip() is None
    assert ".docx" in got.headers["Content-Disposition"]


def test_the_cli_command(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["mentoring", "starter", "order-templates"])
    assert first.exit_code == 0 and "Добавлено шаблонов: 8." in first.output
    again = runner.invoke(args=["mentoring", "starter", "order-templates"])
    assert "ничего не добавлено" in again.output
