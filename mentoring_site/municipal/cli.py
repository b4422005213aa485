"""``flask mentoring aggregate``: refresh the registry from the schools' APIs.

The command joins the app's ``mentoring`` group. An office site that also runs a section
of its own (``Mentoring(app)`` first) keeps the section's commands: the group is rebuilt
with them and ``aggregate`` added, the section's group object itself is left untouched.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from ..db import begin_write
from . import runs
from .aggregate import EMPTY, INVALID, LABELS, OK, UNCHANGED, UNREACHABLE, Report
from .roster import import_configured_file, import_schools
from .schools import SchoolsFileError, load_schools

MARKS = {OK: "✓", UNCHANGED: "=", EMPTY: "○", UNREACHABLE: "✗", INVALID: "✗"}


@click.command("aggregate")
@click.option("--school", "keys", multiple=True, metavar="ID",
              help="только эта школа (id в реестре); можно несколько раз")
@with_appcontext
def aggregate_cmd(keys: tuple[str, ...]) -> None:
    """Обновить муниципальный реестр: прочитать API разделов школ из списка.

    Читает только изменившееся (условные запросы с ETag и Last-Modified); каждое чтение
    сохраняется как снимок на дату. Если школа недоступна или ответила неверно, её прежние
    данные остаются. Код выхода 1 — хотя бы одну школу прочитать не удалось.
    """
    state = current_app.extensions["municipal"]
    try:
        imported = import_configured_file(current_app, state.session())
    except SchoolsFileError as exc:
        raise click.ClickException(str(exc)) from None
    if imported:
        click.echo(f"Список школ импортирован из MUNICIPAL_SCHOOLS_FILE: {imported}.")
    schools = state.schools
    if keys:
        unknown = sorted(set(keys) - {s.key for s in schools})
        if unknown:
            raise click.ClickException(f"В списке нет школы с id «{unknown[0]}».")
        schools = [s for s in schools if s.key in keys]

    def show(report: Report | None) -> str:
        return report.school.name if report is not None else ""

    # The bar goes to stderr: stdout keeps only the report, for cron's mail or a log file.
    with click.progressbar(length=len(schools), label="Читаем разделы школ",
                           show_pos=True, item_show_func=show, file=sys.stderr) as bar:
        if keys:
            reports = state.aggregate(lambda report: bar.update(1, report), schools=schools)
        else:  # the whole list: a run the office's admin shows the progress of
            try:
                reports = runs.read_all(current_app, "командная строка",
                                        lambda report: bar.update(1, report))
            except runs.RunGoing as exc:
                raise click.ClickException(str(exc)) from None
    for report in reports:
        click.echo(f"{MARKS[report.status]} {report.line()}")
    counts = Counter(r.status for r in reports)
    click.echo("Итого: " + ", ".join(
        f"{label} — {counts[status]}" for status, label in LABELS.items()
    ) + ".")
    if any(r.failed for r in reports):
        raise click.exceptions.Exit(1)


@click.command("import-schools")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--remove-missing", is_flag=True,
              help="убрать из списка школы, которых нет в файле (их история остаётся)")
@with_appcontext
def import_schools_cmd(file: str, remove_missing: bool) -> None:
    """Импортировать список школ из файла TOML (блоки [[school]] с name и url).

    Новые школы добавляются, у известных (по id или адресу) обновляются название и
    порядок. Школы, добавленные в управлении, остаются, если не указан --remove-missing.
    """
    try:
        schools = load_schools(file)
    except SchoolsFileError as exc:
        raise click.ClickException(str(exc)) from None
    sess = current_app.extensions["municipal"].session()
    begin_write(sess)
    result = import_schools(sess, schools, remove_missing=remove_missing)
    sess.commit()
    click.echo(f"Добавлено: {len(result.added)}, обновлено: {len(result.updated)}, "
               f"убрано из списка: {len(result.removed)}.")


@click.command("registry-report")
@click.option("--na", "day", required=True, metavar="ГГГГ-ММ-ДД",
              help="дата отчёта: числа из снимков, прочитанных до конца этого дня")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="файл .xlsx или .docx («-» — в stdout, тогда формат — XLSX)")
@with_appcontext
def registry_report_cmd(day: str, output: str) -> None:
    """Отчёт управления на дату: по строке на школу, итоги и изменение за год (XLSX, DOCX)."""
    from .report import FORMATS, ReportError, parse_day, report_file

    fmt = "xlsx" if output == "-" else output.rsplit(".", 1)[-1].lower()
    cfg = current_app.config
    try:
        if fmt not in FORMATS:
            raise ReportError(f"Формат файла «{output}» не поддерживается: нужен .xlsx или "
                              ".docx.")
        made = report_file(current_app.extensions["municipal"].session(), parse_day(day), fmt,
                           timezone=cfg["MUNICIPAL_TIMEZONE"],
                           office=cfg["MUNICIPAL_OFFICE_NAME"])
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    if output == "-":
        sys.stdout.buffer.write(made.data)
        return
    try:
        Path(output).write_bytes(made.data)
    except OSError as exc:
        raise click.ClickException(f"Не удалось записать файл {output}: {exc.strerror}") from None
    click.echo(f"Отчёт сохранён: {output}", err=True)


def register_commands(app: Flask) -> None:
    existing = app.cli.commands.get("mentoring")
    group = AppGroup("mentoring", help="Раздел «Наставничество» и муниципальный реестр.")
    if isinstance(existing, click.Group):
        group.help = existing.help
        for name, command in existing.commands.items():
            group.add_command(command, name)
    group.add_command(aggregate_cmd)
    group.add_command(import_schools_cmd)
    group.add_command(registry_report_cmd)
    app.cli.add_command(group)
