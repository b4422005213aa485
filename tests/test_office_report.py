"""The office's yearly report «на дату» (XLSX, DOCX): figures, changes over a year, the CLI,
the admin's download, and LibreOffice opening both files.

History is made on simulated schools (``scripts/bench_registry.py``): a first read moved a
year and a bit back with other figures, then a read today.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from mentoring_site.models import AccountRole
from mentoring_site.models.registry import RegistrySchool, RegistrySnapshot
from mentoring_site.municipal import queries
from mentoring_site.municipal.report import (
    ReportError,
    office_report,
    parse_day,
    report_docx,
    report_xlsx,
    year_before,
)

from .admin_support import signed_in
from .municipal_support import office_today
from .test_registry_scale import bench, office

REPORT = "/nastavnichestvo/admin/reestr/otchet"
HOSTILE = '<script>alert("x")</script>'
MENTORS = [label for name, label in queries.FIGURES].index("Наставников")


@pytest.fixture
def history(tmp_path):
    """Four schools: 1 and 2 read a year ago and today, 3 only a year ago (unchanged since),
    4 added today and never read."""
    sim = bench.SimSchools(4)
    with bench.serving(sim):
        app = office(tmp_path, sim, 3)
        state = app.extensions["municipal"]
        with app.app_context():
            state.aggregate()
        long_ago = timedelta(days=400)
        with app.app_context():  # as if read 400 days ago, school 1 with fewer mentors
            sess = app.extensions["mentoring"].session()
            for snap in sess.scalars(sa.select(RegistrySnapshot)):
                snap.read_at -= long_ago
                snap.confirmed_at -= long_ago
                if snap.school_id == 1:
                    snap.mentors -= 2
            for school in sess.scalars(sa.select(RegistrySchool)):
                school.added_at -= long_ago + timedelta(days=1)
            sess.commit()
        sim.bump(1)
        sim.bump(2)
        with app.app_context():
            state.aggregate()
        sim.count = 4
        from mentoring_site.municipal.roster import add_school

        with app.app_context():
            sess = app.extensions["mentoring"].session()
            add_school(sess, HOSTILE, sim.section_url(4))
            sess.commit()
        try:
            yield app
        finally:
            app.extensions["mentoring"].engine.dispose()


def _report(app, day: date):
    with app.app_context():
        return office_report(app.extensions["mentoring"].session(), day,
                             timezone="Europe/Moscow", office="МКУ «Управление образования»")


def test_one_row_per_school_with_totals_and_the_change_over_a_year(history):
    report = _report(history, office_today())
    assert [r.name for r in report.rows] == ["МБОУ «Школа № 1»", "МБОУ «Школа № 2»",
                                              "МБОУ «Школа № 3»", HOSTILE]
    assert [r.state for r in report.rows] == ["прочитан", "прочитан", "прочитан",
                                               "ещё не читали"]
    mentors = [r.figures[MENTORS] for r in report.rows]
    # school n publishes 3 + n % 6 mentors; school 1 had two fewer a year ago
    assert [(f.value, f.change) for f in mentors] == [(4, 2), (5, 0), (6, 0), (None, None)]
    assert (report.totals[MENTORS].value, report.totals[MENTORS].change) == (15, 2)
    assert report.year_before == year_before(office_today())
    # a year ago: the same schools but no change to show (nothing read a year before that)
    old = _report(history, office_today() - timedelta(days=390))
    assert [r.figures[MENTORS].value for r in old.rows] == [2, 5, 6]
    assert {r.figures[MENTORS].change for r in old.rows} == {None}


def test_the_files_hold_the_same_figures(history):
    from docx import Document
    from openpyxl import load_workbook

    report = _report(history, office_today())
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:6] == ("Школа", "Состояние", "Наставников", "изменение за год",
                           "Наставляемых", "изменение за год")
    assert rows[3][:4] == ("МБОУ «Школа № 1»", "прочитан", 4, 2)
    assert rows[6][:4] == (HOSTILE, "ещё не читали", None, None)  # text, never markup
    assert rows[7][:4] == ("Итого", "школ: 4", 15, 2)
    doc = Document(io.BytesIO(report_docx(report)))
    totals, schools = doc.tables
    assert [c.text for c in totals.rows[1].cells] == ["Наставников", "15", "+2"]
    assert [c.text for c in schools.rows[1].cells][:3] == ["МБОУ «Школа № 1»", "прочитан",
                                                           "4 (+2)"]
    assert schools.rows[4].cells[0].text == HOSTILE


@pytest.mark.parametrize(("raw", "message"), [
    ("", "Укажите дату"), ("31.02.2027", "не читается"), ("вчера", "не читается"),
    ("²⁰²⁶-01-01", "не читается"), ("1999-12-31", "ранее 2000"),
])
def test_a_bad_date_is_refused_in_russian(raw, message):
    with pytest.raises(ReportError, match=message):
        parse_day(raw)


def test_a_date_reads_both_ways():
    assert parse_day("01.06.2027") == parse_day("2027-06-01") == date(2027, 6, 1)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_cli_writes_either_file(history, tmp_path):
    runner = history.test_cli_runner()
    for ext in ("xlsx", "docx"):
        out = tmp_path / f"otchet.{ext}"
        result = runner.invoke(args=["mentoring", "registry-report", "--na",
                                     office_today().isoformat(), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:2] == b"PK"
    piped = runner.invoke(args=["mentoring", "registry-report", "--na", "2027-06-01", "-o", "-"])
    assert piped.exit_code == 0 and piped.stdout_bytes[:2] == b"PK"
    bad = runner.invoke(args=["mentoring", "registry-report", "--na", "завтра", "-o",
                              str(tmp_path / "x.xlsx")])
    assert bad.exit_code == 1 and "не читается" in bad.output
    pdf = runner.invoke(args=["mentoring", "registry-report", "--na", "2027-06-01", "-o",
                              str(tmp_path / "x.pdf")])
    assert pdf.exit_code == 1 and "нужен .xlsx или .docx" in pdf.output


def test_the_admin_screen_downloads_the_report_for_the_office_only(history):
    editor = signed_in(history, AccountRole.EDITOR, "redaktor")
    assert editor.get(REPORT).status_code == 403
    client = signed_in(history, AccountRole.MUNICIPAL_CURATOR, "mun-kurator")
    home = client.get("/nastavnichestvo/admin/").get_data(as_text=True)
    assert f'href="{REPORT}"' in home
    screen = client.get(REPORT)
    assert screen.status_code == 200 and 'name="na"' in screen.get_data(as_text=True)
    today = office_today()
    answer = client.get(f"{REPORT}?na={today.isoformat()}&format=docx")
    assert answer.status_code == 200 and answer.data[:2] == b"PK"
    assert f"otchet-upravleniya-{today.isoformat()}.docx" in \
        answer.headers["Content-Disposition"]
    assert answer.headers["Cache-Control"] == "no-store"
    for query, message in (("na=2027-13-01&format=xlsx", "не читается"),
                           ("na=&format=xlsx", "Укажите дату"),
                           ("na=2027-06-01&format=pdf", "XLSX или DOCX")):
        refused = client.get(f"{REPORT}?{query}")
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    hostile = client.get(f"{REPORT}?na=<script>&format=xlsx").get_data(as_text=True)
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


@pytest.mark.slow
def test_libreoffice_opens_both_files(history, tmp_path):
    from .test_reports_office import _soffice

    soffice = _soffice()
    report = _report(history, office_today())
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "tablica.xlsx").write_bytes(report_xlsx(report))
    (folder / "dokument.docx").write_bytes(report_docx(report))
    profile = f"file:///tmp/mentoring-lo-{uuid.uuid4().hex}"
    try:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
             str(folder / "tablica.xlsx"), str(folder / "dokument.docx")],
            capture_output=True, text=True, timeout=240, check=False)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    assert result.returncode == 0, result.stderr
    for name in ("tablica.pdf", "dokument.pdf"):
        pdf = tmp_path / "pdf" / name
        assert pdf.is_file(), (name, result.stdout, result.stderr)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000, name
