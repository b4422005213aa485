"""LibreOffice (the Debian package, headless) opens every report, order, protocol and
printable consent and converts it to PDF: the files a curator hands over open in the usual
office programs. One soffice call for all of them (LibreOffice's start-up is the cost).

Skipped when ``soffice`` is missing, unless ``MENTORING_REQUIRE_LIBREOFFICE=1`` (CI sets it
through scripts/test.sh): then it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa

from mentoring_site.clock import Clock
from mentoring_site.models import Person, PersonKind, Program, ProgramStatus
from mentoring_site.reports.consents import KINDS as CONSENT_KINDS
from mentoring_site.reports.consents import consent_report
from mentoring_site.reports.figures import SchoolYear
from mentoring_site.reports.files import (
    blank_order_report,
    order_report,
    program_report,
    year_report,
)
from mentoring_site.reports.orders import KINDS, ROADMAP

pytestmark = pytest.mark.slow


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui " \
             "libreoffice-calc-nogui"
    if os.environ.get("MENTORING_REQUIRE_LIBREOFFICE", "") not in ("", "0", "false"):
        pytest.fail(f"{reason} (MENTORING_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytest.skip(reason)


def test_libreoffice_converts_every_report_and_order_to_pdf(seeded_app, tmp_path):
    soffice = _soffice()
    folder = tmp_path / "reports"
    folder.mkdir()
    with seeded_app.app_context():
        sess = seeded_app.extensions["mentoring"].session()
        clock = Clock.current(seeded_app.config["MENTORING_TIMEZONE"])
        program = sess.scalars(sa.select(Program).where(
            Program.status == ProgramStatus.COMPLETED).order_by(Program.id)).first()
        year = SchoolYear.of(program.starts_on)
        school = seeded_app.config["MENTORING_SCHOOL_NAME"]
        files = [program_report(sess, program.slug, school=school, folder=None,
                                today=clock.today)]
        files += [year_report(sess, year, fmt, school=school, folder=None, clock=clock)
                  for fmt in ("xlsx", "docx")]
        running = list(sess.scalars(sa.select(Program).where(Program.ended_on.is_(None))))
        finished = list(sess.scalars(sa.select(Program).where(Program.ended_on.is_not(None))))
        for kind in KINDS.values():
            chosen = {"": [], "any": running, "finished": finished}[kind.programs]
            files.append(order_report(sess, kind.key, chosen, school=school, folder=None,
                                      today=clock.today))
        # the office's base of templates (issue 12): the roadmap's documents with blanks
        files += [blank_order_report(key, today=clock.today) for key in ROADMAP]
        # the printable consents (issue 11): a teacher's and a pupil's, both kinds
        for person in (sess.scalars(sa.select(Person).where(Person.kind == kind_).limit(1))
                       .one() for kind_ in (PersonKind.TEACHER, PersonKind.STUDENT)):
            for key in CONSENT_KINDS:
                files.append(consent_report(
                    key, person, school=school, folder=None, today=clock.today,
                    sites=["https://school.example.ru/nastavnichestvo/"],
                    representative={"name": "Родителева Анна Петровна", "document": "паспорт"}))
    names = []
    for n, report in enumerate(files):
        name = f"report{n}.{report.fallback.rsplit('.', 1)[1]}"
        (folder / name).write_bytes(report.data)
        names.append(name)
    out = tmp_path / "pdf"
    profile = f"file:///tmp/mentoring-lo-{uuid.uuid4().hex}"  # a fresh profile per run
    try:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out), *(str(folder / n) for n in names)],
            capture_output=True, text=True, timeout=240, check=False)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    assert result.returncode == 0, result.stderr
    for name in names:
        pdf = out / (name.rsplit(".", 1)[0] + ".pdf")
        assert pdf.is_file(), (name, result.stdout, result.stderr)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 2000, name
