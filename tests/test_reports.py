"""Reports of issue 10 on the demo data: the справка-отчёт and the yearly analytical report
read back with python-docx and openpyxl and compared with the database and the API; the CLI;
a school's own template. (The admin downloads: test_reports_admin.py; LibreOffice:
test_reports_office.py.)"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from mentoring_site.clock import Clock
from mentoring_site.config import ConfigError
from mentoring_site.models import PlanOutcome, Program, ProgramStatus, Role
from mentoring_site.monitoring import assessments, plan
from mentoring_site.reports import ReportError
from mentoring_site.reports.figures import SchoolYear, programs_of_year, year_figures
from mentoring_site.reports.files import program_report, year_report
from tests.conftest import make_app

SCHOOL = "МБОУ «Тестовая школа № 1»"


@pytest.fixture
def sess(seeded_app):
    with seeded_app.app_context():
        yield seeded_app.extensions["mentoring"].session()


def _clock(app) -> Clock:
    return Clock.current(app.config["MENTORING_TIMEZONE"])


def _reasoned(sess) -> Program:
    """The demo's completed programme with two items not done."""
    return next(p for p in sess.scalars(sa.select(Program).order_by(Program.id))
                if p.status is ProgramStatus.COMPLETED and plan.tally(p).not_done == 2)


def tables(data: bytes) -> dict[str, list[list[str]]]:
    """Every table of a DOCX by its header row ("|"-joined), as rows of cell texts."""
    doc = Document(io.BytesIO(data))
    out = {}
    for t in doc.tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        out["|".join(rows[0])] = rows[1:]
    return out


def text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_program_report_numbers_match_the_database(seeded_app, sess):
    program = _reasoned(sess)
    program.conclusions = "Программа выполнена, наставляемый вышел на допустимый уровень."
    report = program_report(sess, program.slug, school=SCHOOL, folder=None,
                            today=date(2026, 12, 1))
    # the name a file system accepts: no «:», «/» and the like
    assert report.filename == f"Справка-отчёт — {program.title.replace(':', '')}.docx"
    found = tables(report.data)
    body = text(report.data)
    assert SCHOOL in body and program.title in body
    assert program.conclusions in body

    passport = dict(map(tuple, found["Показатель|Значение"]))
    assert passport["Форма наставничества"] == program.form.name
    assert passport["Вид наставничества"] == program.type.label
    assert passport["Пара или группа"] == ("группа" if program.is_group else "пара")
    assert passport["Направления"] == "; ".join(d.name for d in program.directions)
    assert passport["Статус"] == "Завершена"
    assert program.order_number in passport["Приказ о закреплении"]
    assert passport["Срок с учётом продлений"].endswith(f"{program.planned_end_on:%d.%m.%Y}")

    people = found["Роль|ФИО|Должность / категория"]
    expected = sorted((p.role.label, p.person.full_name) for p in program.participations)
    assert sorted((r[0], r[1]) for r in people) == expected
    assert {r[0] for r in people} == {Role.MENTOR.label, Role.MENTEE.label}

    rows = found["№|Этап|Мероприятие|Форма работы|Ответственные|Срок|Отметка о выполнении|"
                 "Результат / причина"]
    assert len(rows) == len(program.events)
    by_title = {r[2]: r for r in rows}
    for event in program.events:
        row = by_title[event.title]
        assert row[1] == event.stage.label and row[4] == event.responsible
        assert row[6] == event.outcome.label
        assert row[7] == (event.result or event.not_done_reason)
    stages = [r[1] for r in rows]
    assert stages == sorted(stages, key=["Организационный этап", "Практический этап",
                                         "Заключительный этап"].index)

    tally = plan.tally(program)
    figures = {r[0]: r[1:] for r in found["Показатель|Мероприятий|%"]}
    assert figures["Всего мероприятий"][0] == str(tally.total)
    assert figures["Выполнено"] == [str(tally.done), f"{tally.percent_done} %"]
    assert figures["Не выполнено"] == [str(tally.not_done), f"{tally.percent_not_done} %"]
    assert figures["Выполнено"][1] == "71 %" and figures["Не выполнено"][1] == "29 %"
    reasons = found["Мероприятие|Причина"]
    assert sorted(map(tuple, reasons)) == sorted(
        (e.title, e.not_done_reason) for e in program.events
        if e.outcome is PlanOutcome.NOT_DONE)

    scores = found["Наставляемый (группа)|На входе, баллы|Уровень на входе|По итогам, баллы|"
                   "Уровень по итогам|Изменение"]
    expected_scores = [
        [r.person.full_name if r.person else "Группа в целом", str(r.change.before),
         r.change.level_before, str(r.change.after), r.change.level_after,
         str(r.change.delta)] for r in assessments.program_scores(sess, program)]
    assert scores == expected_scores and scores


def test_every_demo_programme_has_a_report(seeded_app, sess):
    for program in sess.scalars(sa.select(Program)):
        report = program_report(sess, program.slug, school=SCHOOL, folder=None,
                                today=date(2026, 12, 1))
        assert program.title in text(report.data)


def test_unknown_programme_and_bad_year_are_report_errors(seeded_app, sess):
    with pytest.raises(ReportError, match="не найдена"):
        program_report(sess, "net-takoj", school=SCHOOL, folder=None, today=date.today())
    for bad in ("2025", "2025/2027", "2025-2026", "год"):
        with pytest.raises(ReportError, match="2025/2026"):
            SchoolYear.parse(bad)
    year = SchoolYear.parse("2025/2026")
    assert (year.starts_on, year.ends_on) == (date(2025, 9, 1), date(2026, 8, 31))
    assert SchoolYear.of(date(2026, 8, 31)) == year
    assert SchoolYear.of(date(2026, 9, 1)).first == 2026


def _cell(value):
    """A cell read back: a date cell comes as a datetime, an empty one as None."""
    if value is None:
        return ""
    return value.date() if isinstance(value, datetime) else value


def _years(sess) -> list[SchoolYear]:
    """The school years the demo's programmes touch."""
    firsts = {SchoolYear.of(d).first for p in sess.scalars(sa.select(Program))
              for d in (p.starts_on, p.ended_on or p.planned_end_on)}
    return [SchoolYear(y) for y in sorted(firsts)]


def test_year_xlsx_matches_the_read_model_cell_by_cell(seeded_app, sess):
    clock = _clock(seeded_app)
    for year in _years(sess):
        figures = year_figures(sess, year, clock)
        report = year_report(sess, year.label, "xlsx", school=SCHOOL, folder=None, clock=clock)
        assert report.filename == f"Аналитический отчёт {year.first}-{year.first + 1}.xlsx"
        book = load_workbook(io.BytesIO(report.data))
        assert book.sheetnames == [t.key for t in figures.tables]
        for table in figures.tables:
            sheet = book[table.key]
            assert [c.value for c in sheet[2]] == table.header
            assert all(c.font.bold for c in sheet[2])
            assert sheet.column_dimensions["A"].width >= 10
            got = [[_cell(v) for v in row]
                   for row in sheet.iter_rows(min_row=3, values_only=True)]
            assert got == [["" if v is None else v for v in row] for row in table.rows]


@pytest.mark.both_databases
def test_year_figures_match_the_database_and_the_api(seeded_app, sess):
    client = seeded_app.test_client()
    api = client.get("/nastavnichestvo/api/v1/summary").get_json()["figures"]
    clock = _clock(seeded_app)
    for year in _years(sess):
        figures = year_figures(sess, year, clock)
        assert figures.mentors_in_bank == api["mentors"]
        assert figures.mentees_in_bank == api["mentees"]
        assert figures.active_programs == api["active_programs"]
        assert figures.completed_programs == api["completed_programs"]
        summary = dict(map(tuple, figures.table("Сводка").rows))
        assert summary["Наставников в базе"] == api["mentors"]

        programs = programs_of_year(sess, year)
        assert summary["Программ в учебном году"] == len(programs)
        statuses = dict(map(tuple, figures.table("Статусы").rows))
        for status in ProgramStatus:
            assert statuses[status.label] == sum(p.status is status for p in programs)
        pairs = dict(map(tuple, figures.table("Пары и группы").rows))
        assert pairs["Группы"] == sum(p.is_group for p in programs)
        done = figures.table("Выполнение плана").rows
        assert [r[-1] for r in done] == [plan.tally(p).percent_done for p in programs]
        events = figures.table("Мероприятия").rows
        assert len(events) == sum(1 for p in sess.scalars(sa.select(Program))
                                  for e in p.events if e.done_on
                                  and year.starts_on <= e.done_on <= year.ends_on)
        mentees = {part.person_id for p in programs for part in p.participations
                   if part.role is Role.MENTEE}
        assert figures.table("Участники").rows[-1][2] == len(mentees)
    assert any(year_figures(sess, y, clock).table("Мероприятия").rows for y in _years(sess))
    assert any(year_figures(sess, y, clock).table("Эффективность").rows for y in _years(sess))


def test_year_docx_has_every_table(seeded_app, sess):
    clock = _clock(seeded_app)
    year = _years(sess)[-1]
    figures = year_figures(sess, year, clock)
    report = year_report(sess, year, "docx", school=SCHOOL, folder=None, clock=clock)
    found = tables(report.data)
    body = text(report.data)
    for table in figures.tables:
        assert f". {table.title}" in body
        if table.rows:
            assert len(found["|".join(table.header)]) >= len(table.rows)


def test_cli_writes_both_reports(seeded_app, sess, tmp_path):
    runner = seeded_app.test_cli_runner()
    program = _reasoned(sess)
    out = tmp_path / "r.docx"
    result = runner.invoke(args=["mentoring", "report", "program", program.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert program.title in text(out.read_bytes())
    year = SchoolYear.of(program.starts_on).label
    for name in ("y.xlsx", "y.docx"):
        result = runner.invoke(args=["mentoring", "report", "year", year, "-o",
                                     str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "y.xlsx").sheetnames[0] == "Сводка"
    assert "Аналитический отчёт" in text((tmp_path / "y.docx").read_bytes())


@pytest.mark.parametrize(("args", "message"), [
    (["program", "net-takoj", "-o", "r.docx"], "Программа «net-takoj» не найдена."),
    (["year", "2025-2026", "-o", "y.xlsx"], "нужен вид 2025/2026"),
    (["year", "2025/2026", "-o", "y.pdf"], "не поддерживается"),
    (["program", "x", "-o", "r.xlsx"], "нужен .docx"),
])
def test_cli_refuses_bad_input_with_one_russian_line(seeded_app, tmp_path, args, message):
    runner = seeded_app.test_cli_runner()
    out = tmp_path / "out"
    out.mkdir()
    args[-1] = str(out / args[-1])
    result = runner.invoke(args=["mentoring", "report", *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("Error:")
    assert not any(out.iterdir())


def _school_template(folder, name: str, lines: list[str]) -> None:
    from docx import Document as new

    doc = new()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(folder / name)


def test_a_schools_own_template_replaces_the_built_in_one(seeded_app, sess, tmp_path):
    program = _reasoned(sess)
    _school_template(tmp_path, "spravka-otchet.docx", [
        "Наша справка: {{ program.title }}",
        "Выполнено {{ tally.percent_done }} %, не выполнено {{ tally.percent_not_done }} %",
        "{% for e in not_done %}Причина: {{ e.reason }}{% endfor %}",
        "Наставники: {% for m in mentors %}{{ m.name }}{% endfor %}",
        "Выводы: {{ program.conclusions }}",
    ])
    _school_template(tmp_path, "analiticheskij-otchet.docx", [
        "Год {{ year }}: наставников {{ mentors_in_bank }}",
        "{% for t in tables %}[{{ t.title }}]{% endfor %}",
    ])
    program.conclusions = "Цели A & B достигнуты <полностью>"  # escaped into the XML
    report = program_report(sess, program.slug, school=SCHOOL, folder=str(tmp_path),
                            today=date.today())
    body = text(report.data)
    assert "Выводы: Цели A & B достигнуты <полностью>" in body
    assert body.startswith(f"Наша справка: {program.title}")
    assert "Выполнено 71 %, не выполнено 29 %" in body
    assert all(f"Причина: {e.not_done_reason}" in body for e in program.events
               if e.not_done_reason)
    assert not Document(io.BytesIO(report.data)).tables  # not the built-in document

    clock = _clock(seeded_app)
    year = year_report(sess, "2025/2026", "docx", school=SCHOOL, folder=str(tmp_path),
                       clock=clock)
    figures = year_figures(sess, SchoolYear(2025), clock)
    assert text(year.data).startswith(f"Год 2025/2026: наставников {figures.mentors_in_bank}")
    # the same folder without the file: the built-in document
    (tmp_path / "spravka-otchet.docx").unlink()
    default = program_report(sess, program.slug, school=SCHOOL, folder=str(tmp_path),
                             today=date.today())
    assert Document(io.BytesIO(default.data)).tables


def test_the_template_folder_setting_is_checked(tmp_path):
    with pytest.raises(ConfigError, match="MENTORING_REPORT_TEMPLATES"):
        make_app(f"sqlite:///{tmp_path / 't.sqlite'}", tmp_path,
                 MENTORING_REPORT_TEMPLATES=str(tmp_path / "net"))
    app = make_app(f"sqlite:///{tmp_path / 't.sqlite'}", tmp_path,
                   MENTORING_REPORT_TEMPLATES=str(tmp_path))
    assert app.config["MENTORING_REPORT_TEMPLATES"] == str(tmp_path)


def test_extensions_and_an_early_end_with_their_reasons(seeded_app, sess):
    from datetime import timedelta

    from mentoring_site import lifecycle
    from mentoring_site.models import EarlyEndReason

    program = next(p for p in sess.scalars(sa.select(Program).order_by(Program.id))
                   if p.status is ProgramStatus.ACTIVE)
    old_end = program.planned_end_on
    new_end = old_end + timedelta(days=30)
    lifecycle.extend(program, new_end, "Болезнь наставляемого в ноябре", program.starts_on)
    lifecycle.end_early(program, EarlyEndReason.PARTICIPANTS, "Переезд наставляемого",
                        new_end)
    report = program_report(sess, program.slug, school=SCHOOL, folder=None,
                            today=date.today())
    found = tables(report.data)
    assert found["Дата решения|Прежний срок|Новый срок|Причина"] == [[
        f"{program.starts_on:%d.%m.%Y}", f"{old_end:%d.%m.%Y}", f"{new_end:%d.%m.%Y}",
        "Болезнь наставляемого в ноябре"]]
    passport = dict(map(tuple, found["Показатель|Значение"]))
    assert passport["Статус"] == "Завершена досрочно"
    assert passport["Дата завершения"] == (
        f"{new_end:%d.%m.%Y} (досрочно: {EarlyEndReason.PARTICIPANTS.label}; "
        "Переезд наставляемого)")
    assert passport["Срок по программе"].endswith(f"{program.initial_end_on:%d.%m.%Y}")
    sess.rollback()
