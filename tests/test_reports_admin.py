"""The admin «Отчёты» screen: the curator's downloads, their types and Russian names; the
editor role is kept out."""

from __future__ import annotations

import io
from urllib.parse import quote

import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from mentoring_site.clock import today
from mentoring_site.models import AccountRole, Program, ProgramStatus
from mentoring_site.reports.figures import SchoolYear
from tests.admin_support import ADMIN, signed_in

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programs(app) -> list[Program]:
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        return [(p.id, p.title, p.status) for p in sess.scalars(sa.select(Program))]


def test_the_screen_lists_years_and_programmes_completed_first(seeded_app):
    client = signed_in(seeded_app)
    html = client.get(f"{ADMIN}/").get_data(as_text=True)
    assert f'href="{ADMIN}/otchety/"' in html  # in the navigation
    html = client.get(f"{ADMIN}/otchety/").get_data(as_text=True)
    now = SchoolYear.of(today(seeded_app.config["MENTORING_TIMEZONE"]))
    assert f'<option value="{now.label}" selected>' in html
    assert f"{ADMIN}/otchety/god/{now.first}.xlsx" in html
    programs = _programs(seeded_app)
    positions = {pid: html.index(f"{ADMIN}/otchety/programma/{pid}.docx")
                 for pid, _t, _s in programs}
    completed = [positions[pid] for pid, _t, s in programs if s is ProgramStatus.COMPLETED]
    others = [positions[pid] for pid, _t, s in programs if s is not ProgramStatus.COMPLETED]
    assert completed and max(completed) < min(others, default=10**9)
    chosen = client.get(f"{ADMIN}/otchety/?god=2025/2026").get_data(as_text=True)
    assert '<option value="2025/2026" selected>' in chosen
    assert f"{ADMIN}/otchety/god/2025.docx" in chosen
    assert client.get(f"{ADMIN}/otchety/?god=чепуха").status_code == 200


def test_downloads_have_the_right_type_and_a_russian_name(seeded_app):
    client = signed_in(seeded_app)
    pid, title, _s = next(p for p in _programs(seeded_app) if p[2] is ProgramStatus.COMPLETED)
    resp = client.get(f"{ADMIN}/otchety/programma/{pid}.docx")
    assert resp.status_code == 200 and resp.content_type == DOCX
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"spravka-otchet-")
    assert "filename*=UTF-8''" + quote("Справка-отчёт — ", safe="") in disposition
    assert title in "\n".join(p.text for p in Document(io.BytesIO(resp.data)).paragraphs)

    resp = client.get(f"{ADMIN}/otchety/god/2025.xlsx")
    assert resp.status_code == 200 and resp.content_type == XLSX
    assert quote("Аналитический отчёт 2025-2026.xlsx", safe="") in \
        resp.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(resp.data)).sheetnames[0] == "Сводка"
    resp = client.get(f"{ADMIN}/otchety/god/2025.docx")
    assert resp.status_code == 200 and resp.content_type == DOCX
    for bad in ("god/2025.pdf", "god/1.xlsx", "programma/99999.docx"):
        assert client.get(f"{ADMIN}/otchety/{bad}").status_code == 404, bad


def test_only_the_curator_gets_reports(seeded_app):
    editor = signed_in(seeded_app, AccountRole.EDITOR, "redaktor")
    for url in ("otchety/", "otchety/god/2025.xlsx", "otchety/programma/1.docx"):
        assert editor.get(f"{ADMIN}/{url}").status_code == 403, url
    assert "otchety" not in editor.get(f"{ADMIN}/").get_data(as_text=True)
    anonymous = seeded_app.test_client()
    assert anonymous.get(f"{ADMIN}/otchety/god/2025.xlsx").status_code == 302
