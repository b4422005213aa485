"""``flask mentoring aggregate``: refresh the registry from the schools' APIs.

The command joins the app's ``mentoring`` group. An office site that also runs a section
of its own (``Mentoring(app)`` first) keeps the section's commands: the group is rebuilt
with them and ``aggregate`` added, the section's group object itself is left untouched.
"""

from __future__ import annotations

import sys
from collections import Counter

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .aggregate import LABELS, OK, UNCHANGED, Report

MARKS = {OK: "✓", UNCHANGED: "=", "unreachable": "✗", "invalid": "✗"}


@click.command("aggregate")
@with_appcontext
def aggregate_cmd() -> None:
    """Обновить муниципальный реестр: прочитать API разделов всех школ из списка.

    Читает только изменившееся (условные запросы с ETag и Last-Modified). Если школа
    недоступна или ответила неверно, её прежние данные остаются. Код выхода 1 — хотя бы
    одну школу прочитать не удалось.
    """
    state = current_app.extensions["municipal"]
    schools = state.schools

    def show(report: Report | None) -> str:
        return report.school.name if report is not None else ""

    # The bar goes to stderr: stdout keeps only the report, for cron's mail or a log file.
    with click.progressbar(length=len(schools), label="Читаем разделы школ",
                           show_pos=True, item_show_func=show, file=sys.stderr) as bar:
        reports = state.aggregate(lambda report: bar.update(1, report))
    for report in reports:
        click.echo(f"{MARKS[report.status]} {report.line()}")
    counts = Counter(r.status for r in reports)
    click.echo("Итого: " + ", ".join(
        f"{label} — {counts[status]}" for status, label in LABELS.items()
    ) + ".")
    if any(r.failed for r in reports):
        raise click.exceptions.Exit(1)


def register_commands(app: Flask) -> None:
    existing = app.cli.commands.get("mentoring")
    group = AppGroup("mentoring", help="Раздел «Наставничество» и муниципальный реестр.")
    if isinstance(existing, click.Group):
        group.help = existing.help
        for name, command in existing.commands.items():
            group.add_command(command, name)
    group.add_command(aggregate_cmd)
    app.cli.add_command(group)
