"""Orders and protocols (issue 10, «Документы из данных»; roadmap 3.1.1) on the demo data:
read back with python-docx and compared with the database; a school's own template; the
CLI. (The admin downloads: test_orders_admin.py; LibreOffice: test_reports_office.py.)"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from mentoring_site.models import (
    Participation,
    Person,
    Program,
    ProgramStatus,
    Role,
    SectionInfo,
)
from mentoring_site.monitoring import plan
from mentoring_site.reports import ReportError
from mentoring_site.reports.figures import SchoolYear
from mentoring_site.reports.files import order_report
from mentoring_site.reports.orders import KINDS
from mentoring_site.rules import consent_in_force

SCHOOL = "МБОУ «Тестовая школа № 1»"
TODAY = date.today()  # the demo is seeded relative to today (tests/conftest.py)


@pytest.fixture
def sess(seeded_app):
    with seeded_app.app_context():
        yield seeded_app.extensions["mentoring"].session()


def _order(sess, kind: str, programs=(), folder=None, today=TODAY):
    return order_report(sess, kind, list(programs), school=SCHOOL, folder=folder, today=today)


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def tables(data: bytes) -> dict[str, list[list[str]]]:
    out = {}
    for t in Document(io.BytesIO(data)).tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        out["|".join(rows[0])] = rows[1:]
    return out


def _programs(sess) -> list[Program]:
    return list(sess.scalars(sa.select(Program).order_by(Program.id)))


def _curator(sess) -> SectionInfo:
    return sess.scalars(sa.select(SectionInfo)).one()


def _consent_cell(part: Participation) -> str:
    """The written consent to take part recorded on the programme's page (Положение 3.2)."""
    signed = part.written_consent_on
    return "не зарегистрировано — проверить" if signed is None else f"от {signed:%d.%m.%Y}"


def _sign_first(programs) -> None:
    """The first participant of each programme gave a written consent ten days ago."""
    for program in programs:
        program.participations[0].written_consent_on = TODAY - timedelta(days=10)


def test_every_document_has_the_form_of_an_order_or_a_protocol(sess):
    curator = _curator(sess)
    assert curator.curator_name
    year = SchoolYear.of(TODAY).label
    finished = [p for p in _programs(sess) if p.ended_on][:1]
    for kind in KINDS.values():
        chosen = finished if kind.programs else []
        report = _order(sess, kind.key, chosen)
        assert report.fallback.startswith(kind.template.removesuffix(".docx"))
        body = paragraphs(report.data)
        assert body[0] == SCHOOL, kind.key
        text = "\n".join(body)
        assert "«____» ______________ 20____ г." in text
        if kind.document == "ПРИКАЗ":
            assert body[1] == "ПРИКАЗ" and "№ ________" in body[2]
            assert body[3].startswith("О")
            for base in ("№ 273-ФЗ «Об образовании в Российской Федерации»",
                         "от 25.12.2019 № Р-145", "от 23.01.2020 № МР-42/02"):
                assert base in body[4], (kind.key, base)
            assert "ПРИКАЗЫВАЮ:" in body and "С приказом ознакомлены:" in body
            assert any(line.startswith("Директор\t") for line in body)
            assert body[body.index("ПРИКАЗЫВАЮ:") + 1].startswith("1. ")
            assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
            signers = tables(report.data)["ФИО|Должность|Подпись|Дата"]
            assert [curator.curator_name, curator.curator_position, "", ""] in signers
        else:
            assert body[1] == "ПРОТОКОЛ № ________" and kind.title.split()[1] in text
            for part in ("ПОВЕСТКА ДНЯ:", "СЛУШАЛИ:", "ГОЛОСОВАЛИ:", "РЕШИЛИ:"):
                assert part in body, (kind.key, part)
            assert f"{year} учебный год" in text or kind.key == "protokol-polozhenie"
        assert curator.curator_name in text, kind.key
        if kind.key in ("vnedrenie", "plan"):
            assert f"{year} учебн" in text


def test_the_pairs_order_names_every_participant_with_dates_forms_and_consent(sess):
    chosen = [p for p in _programs(sess) if p.ended_on is None][:2]
    assert any(p.is_group for p in chosen)
    _sign_first(chosen)
    report = _order(sess, "pary", chosen)
    text = "\n".join(paragraphs(report.data))
    rows = tables(report.data)[
        "№|Программа|Роль|ФИО|Должность / категория|Письменное согласие"]
    assert len(rows) == sum(len(p.participations) for p in chosen)
    missing = []
    for n, program in enumerate(chosen, 1):
        sub = next(line for line in paragraphs(report.data) if line.startswith(f"1.{n}. "))
        assert f"«{program.title}»" in sub and f"«{program.form.name}»" in sub
        assert program.type.label.lower() in sub
        assert f"срок с {program.starts_on:%d.%m.%Y} по {program.planned_end_on:%d.%m.%Y}" in sub
        assert ("Наставническая группа" if program.is_group else "Наставническая пара") in sub
        forms = list(dict.fromkeys(e.work_form.name for e in program.events if e.work_form))
        assert forms and f"Формы работы: {'; '.join(forms)}." in sub
        for part in program.participations:
            person = part.person
            assert person.full_name in sub
            role = "Наставник" if part.role is Role.MENTOR else "Наставляемый"
            assert [str(n), program.title, role, person.full_name, person.position,
                    _consent_cell(part)] in rows
            if part.written_consent_on is None:
                missing.append(person.full_name)
    assert missing and len(missing) < len(rows)  # some recorded, some not
    checks = [line for line in paragraphs(report.data) if line.startswith("— Проверить:")]
    assert len(checks) == len(missing)
    assert all(any(name in line for line in checks) for name in missing)
    assert "с письменного согласия участников" in text
    assert report.filename == "Приказ «О закреплении наставнических пар (групп)».docx"


def test_a_consent_to_publish_is_not_taken_for_the_written_consent_to_take_part(sess):
    program = next(p for p in _programs(sess) if p.ended_on is None and not p.is_group)
    part = program.participations[0]
    person = part.person
    assert consent_in_force(person, TODAY) is not None  # may be shown on the site...
    report = _order(sess, "pary", [program])
    check = (f"— Проверить: письменное согласие участника {person.full_name} в разделе не "
             "зарегистрировано; приложите его к приказу или исключите участника.")
    assert check in paragraphs(report.data)  # ...but gave no written consent to take part
    part.written_consent_on = date(2025, 9, 1)
    report = _order(sess, "pary", [program])
    assert check not in paragraphs(report.data)
    rows = tables(report.data)[
        "№|Программа|Роль|ФИО|Должность / категория|Письменное согласие"]
    assert next(r for r in rows if r[3] == person.full_name)[5] == "от 01.09.2025"
    assert report.filename.endswith(f" — {program.title}.docx")
    assert report.fallback == f"prikaz-o-zakreplenii-par-{program.slug}.docx"


def test_the_completion_order_gives_the_results_and_thanks_the_mentors(sess):
    programs = _programs(sess)
    reasoned = next(p for p in programs if p.status is ProgramStatus.COMPLETED
                    and plan.tally(p).not_done == 2)
    early = next(p for p in programs if p.status is ProgramStatus.ENDED_EARLY)
    report = _order(sess, "zavershenie", [reasoned, early])
    body = paragraphs(report.data)
    assert body[3] == "О завершении программ наставничества"
    t = plan.tally(reasoned)
    first = next(line for line in body if line.startswith("1.1. "))
    assert f"«{reasoned.title}»" in first and f"завершена по плану {reasoned.ended_on:%d.%m.%Y}" \
        in first
    assert (f"План выполнен на {t.percent_done} %: выполнено мероприятий — {t.done} из "
            f"{t.total}; не выполнено — 2 ({t.percent_not_done} %)") in first
    assert all(e.not_done_reason in first for e in reasoned.events if e.not_done_reason)
    second = next(line for line in body if line.startswith("1.2. "))
    assert f"завершена досрочно {early.ended_on:%d.%m.%Y}" in second
    assert early.early_end_reason.label in second and early.early_end_note in second
    thanks = next(line for line in body if "Объявить благодарность наставникам" in line)
    for program, thanked in ((reasoned, True), (early, False)):
        for part in program.participations:
            if part.role is Role.MENTOR:
                assert (part.person.full_name in thanks) is thanked
    rows = tables(report.data)["Программа|Срок|Завершена|Основание завершения|"
                               "Мероприятий плана|Выполнено|Не выполнено|Выполнение плана"]
    assert rows[0] == [reasoned.title,
                       f"{reasoned.starts_on:%d.%m.%Y} – {reasoned.planned_end_on:%d.%m.%Y}",
                       f"{reasoned.ended_on:%d.%m.%Y}", "по плану", str(t.total), str(t.done),
                       "2", f"{t.percent_done} %"]
    assert rows[1][3] == early.early_end_reason.label
    single = _order(sess, "zavershenie", [reasoned])
    assert paragraphs(single.data)[3] == "О завершении программы наставничества"


def test_the_mentor_bank_and_the_final_event_come_from_the_database(sess):
    bank = list(sess.scalars(sa.select(Person).where(Person.in_mentor_bank.is_(True))))
    mentoring = sess.scalars(sa.select(Participation).where(
        Participation.role == Role.MENTOR).order_by(Participation.id)).first()
    assert mentoring.person in bank
    mentoring.written_consent_on = date(2025, 9, 2)
    report = _order(sess, "kurator")
    rows = tables(report.data)["№|ФИО|Должность|Письменное согласие"]
    assert sorted(r[1] for r in rows) == sorted(p.full_name for p in bank)
    assert {r[1]: r[3] for r in rows}[mentoring.person.full_name] == "от 02.09.2025"
    assert sum(r[3] == "не зарегистрировано — проверить" for r in rows) >= 1
    assert f"всего: {len(bank)})" in "\n".join(paragraphs(report.data))
    last = max(p.ended_on for p in _programs(sess) if p.ended_on)
    year = SchoolYear.of(last)
    ended = [p for p in _programs(sess)
             if p.ended_on and year.starts_on <= p.ended_on <= year.ends_on]
    assert ended
    itog = _order(sess, "itog", today=last)
    rows = tables(itog.data)["Программа|Наставник|Наставляемые|Завершена|Выполнение плана"]
    assert sorted(r[0] for r in rows) == sorted(p.title for p in ended)
    assert f"(завершено программ: {len(ended)}, список ниже)" in "\n".join(
        paragraphs(itog.data))


@pytest.mark.parametrize(("kind", "choose", "message"), [
    ("pary", "none", "выберите хотя бы одну программу"),
    ("zavershenie", "none", "выберите хотя бы одну программу"),
    ("zavershenie", "running", "ещё не завершена"),
    ("vnedrenie", "running", "составляется без выбора программ"),
    ("prikaz", "none", "Нет документа «prikaz»"),
])
def test_bad_choices_are_report_errors(sess, kind, choose, message):
    chosen = [] if choose == "none" else [next(p for p in _programs(sess) if not p.ended_on)]
    with pytest.raises(ReportError, match=message):
        _order(sess, kind, chosen)


def test_an_empty_section_gets_blanks_not_inventions(app, db):
    for kind in ("vnedrenie", "kurator", "protokol-plan", "itog"):
        report = order_report(db, kind, [], school=SCHOOL, folder=None, today=TODAY)
        text = "\n".join(paragraphs(report.data))
        assert "____________________ (ФИО, должность" in text, kind
    kurator = order_report(db, "kurator", [], school=SCHOOL, folder=None, today=TODAY)
    assert "В базе наставников раздела пока никого нет" in "\n".join(paragraphs(kurator.data))


def _school_template(folder, name: str, lines: list[str]) -> None:
    from docx import Document as new

    doc = new()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(folder / name)


def test_a_schools_own_template_replaces_the_built_in_order(sess, tmp_path):
    chosen = [p for p in _programs(sess) if p.ended_on is None][:2]
    _sign_first(chosen)
    _school_template(tmp_path, "prikaz-o-zakreplenii-par.docx", [
        "Бланк школы {{ school }}: {{ title }}",
        "{% for p in programs %}[{{ p.title }} с {{ p.starts_on }}: "
        "{% for m in p.mentees %}{{ m.name }} ({{ m.consent_text }}) {% endfor %}]{% endfor %}",
        "{% for p in points %}{{ p.n }}) {{ p.text }} {% endfor %}",
        "Куратор: {{ curator.name }}",
    ])
    report = _order(sess, "pary", chosen, folder=str(tmp_path))
    body = paragraphs(report.data)
    assert body[0] == f"Бланк школы {SCHOOL}: О закреплении наставнических пар (групп)"
    for program in chosen:
        assert f"[{program.title} с {program.starts_on:%d.%m.%Y}: " in body[1]
        for part in program.participations:
            if part.role is Role.MENTEE:
                assert f"{part.person.full_name} ({_consent_cell(part)})" in body[1]
    assert body[2].startswith("1) Закрепить наставнические пары (группы):")
    assert body[3] == f"Куратор: {_curator(sess).curator_name}"
    assert not Document(io.BytesIO(report.data)).tables
    # another kind in the same folder: still the built-in document
    assert tables(_order(sess, "kurator", folder=str(tmp_path)).data)


def test_cli_writes_an_order(seeded_app, sess, tmp_path):
    chosen = [p for p in _programs(sess) if p.ended_on is None][:2]
    out = tmp_path / "p.docx"
    result = seeded_app.test_cli_runner().invoke(
        args=["mentoring", "order", "pary", *(p.slug for p in chosen), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(paragraphs(out.read_bytes()))
    assert all(f"«{p.title}»" in text for p in chosen)
    out = tmp_path / "v.docx"
    result = seeded_app.test_cli_runner().invoke(
        args=["mentoring", "order", "protokol-polozhenie", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "РЕШИЛИ:" in paragraphs(out.read_bytes())


@pytest.mark.parametrize(("args", "message"), [
    (["prikaz", "-o", "o.docx"], "Нет документа «prikaz»: выберите один из: vnedrenie"),
    (["pary", "net-takoj", "-o", "o.docx"], "Программа «net-takoj» не найдена."),
    (["pary", "-o", "o.docx"], "выберите хотя бы одну программу"),
    (["zavershenie", "RUNNING", "-o", "o.docx"], "ещё не завершена"),
    (["vnedrenie", "RUNNING", "-o", "o.docx"], "составляется без выбора программ"),
    (["vnedrenie", "-o", "o.pdf"], "нужен .docx"),
])
def test_cli_refuses_bad_input_with_one_russian_line(seeded_app, sess, tmp_path, args,
                                                     message):
    running = next(p for p in _programs(sess) if not p.ended_on)
    args = [running.slug if a == "RUNNING" else a for a in args]
    out = tmp_path / "out"
    out.mkdir()
    args[-1] = str(out / args[-1])
    result = seeded_app.test_cli_runner().invoke(args=["mentoring", "order", *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("Error:")
    assert not any(out.iterdir())
