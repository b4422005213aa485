"""``flask mentoring ...``: migrations, demo content, curator accounts, reports."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import clock, migrate, readiness
from .config import ConfigError

mentoring_group = AppGroup(
    "mentoring", help="Раздел «Наставничество»: база данных и учётные записи."
)


def _app() -> Flask:
    """The real app behind ``current_app`` (migrations keep it beyond the context)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _checked_state():
    """The section's state once its database is the one meant (a click error otherwise)."""
    state = current_app.extensions["mentoring"]
    try:
        state.check_database()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    return state


def _session():
    """The section's session, or a click error in one line when its tables are not ready
    (before ``flask mentoring upgrade``) instead of a traceback from the first query."""
    state = _checked_state()
    problem = readiness.schema_problem(state.engine)
    if problem:
        raise click.ClickException(problem)
    return state.session()


@mentoring_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_cmd(revision: str) -> None:
    """Создать или обновить таблицы раздела (только таблицы mentoring_*)."""
    _checked_state()
    migrate.upgrade(_app(), revision)
    click.echo(f"Таблицы раздела обновлены до версии {migrate.current_revision(current_app)}.")


@mentoring_group.command("downgrade")
@click.argument("revision")
def downgrade_cmd(revision: str) -> None:
    """Откатить таблицы раздела к версии REVISION (например, base)."""
    _checked_state()
    migrate.downgrade(_app(), revision)
    click.echo(f"Текущая версия: {migrate.current_revision(current_app) or 'нет'}.")


@mentoring_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
def export_cmd(file: str) -> None:
    """Выгрузить весь раздел в один архив ZIP: все таблицы раздела и все файлы (закрытые
    тоже — храните архив как персональные данные). Сайт при этом может работать."""
    from .transfer import ArchiveError, export_section

    app = _app()
    with click.progressbar(length=1, label="Выгружаем раздел", file=sys.stderr,
                           show_percent=True) as bar:

        def step(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            manifest = export_section(app, file, progress=step)
        except ArchiveError as exc:
            raise click.ClickException(f"Архив не сделан: {exc}") from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Архив готов: {file} (таблиц: {len(manifest['tables'])}, строк: {rows}, "
               f"файлов: {len(manifest['files'])}).")


@mentoring_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="только проверить архив и показать, что в нём")
def import_cmd(file: str, dry_run: bool) -> None:
    """Загрузить архив раздела (flask mentoring export) в пустой раздел: всё или ничего.
    Архив более старой версии пакета обновляется до текущей схемы."""
    from .transfer import ArchiveError, import_section

    app = _app()
    try:
        plan = import_section(app, file, dry_run=dry_run)
    except ArchiveError as exc:
        raise click.ClickException(f"Архив не загружен: {exc}") from None
    for line in plan.lines():
        click.echo(line)
    click.echo("Проверка пройдена, ничего не изменено (--dry-run)." if dry_run
               else "Раздел загружен из архива.")


@mentoring_group.command("backup")
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@click.option("--keep", default=None, type=int,
              help="сколько последних копий хранить (старые удаляются); по умолчанию "
              "MENTORING_BACKUP_KEEP (7)")
def backup_cmd(folder: str | None, keep: int | None) -> None:
    """Сделать резервную копию раздела в папку FOLDER (для cron; по умолчанию — папка
    MENTORING_BACKUP_FOLDER): архив раздела со всеми файлами и, для SQLite, копию файла
    базы. Сайт при этом может работать."""
    from .transfer import ArchiveError
    from .transfer.backups import make_backup

    cfg = _app().config
    folder = folder or cfg["MENTORING_BACKUP_FOLDER"]
    if not folder:
        raise click.ClickException("Укажите папку для копий (flask mentoring backup ПАПКА) "
                                   "или задайте настройку MENTORING_BACKUP_FOLDER.")
    keep = cfg["MENTORING_BACKUP_KEEP"] if keep is None else keep
    try:
        made, removed = make_backup(_app(), folder, keep=keep)
    except ArchiveError as exc:
        raise click.ClickException(f"Копия не сделана: {exc}") from None
    for path in made.files:
        click.echo(f"Записано: {path}")
    if removed:
        click.echo(f"Удалено старых копий: {len(removed)} (хранится {keep}).")
    if _app().extensions["mentoring"].engine.dialect.name == "postgresql":
        click.echo("База PostgreSQL: архив содержит весь раздел; полную копию базы делайте "
                   "также pg_dump (см. README, «Резервные копии»).")


@mentoring_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="не спрашивать подтверждения (для сценариев)")
def restore_cmd(file: str, yes: bool) -> None:
    """Восстановить раздел из архива (flask mentoring export или backup): ВСЕ текущие данные
    раздела заменяются данными архива."""
    from .transfer import ArchiveError, import_section

    app = _app()
    try:
        plan = import_section(app, file, dry_run=True)
    except ArchiveError as exc:
        raise click.ClickException(f"Архив не подходит: {exc}") from None
    for line in plan.lines():
        click.echo(line)
    if not yes:
        click.echo("Все текущие записи и файлы раздела будут заменены данными этого архива.")
        answer = click.prompt("Введите «да», чтобы продолжить", default="", show_default=False)
        if answer.strip().lower() != "да":
            raise click.ClickException("Восстановление отменено: ничего не изменено.")
    try:
        import_section(app, file, replace=True)
    except ArchiveError as exc:
        raise click.ClickException(f"Раздел не восстановлен: {exc}") from None
    click.echo("Раздел восстановлен из архива.")


@mentoring_group.command("static-site")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--site-url", default=None, metavar="URL",
              help="адрес, где будет лежать копия (например, https://school7.example.ru); "
              "по умолчанию MENTORING_SITE_URL")
@click.option("--live-url", default=None, metavar="URL",
              help="адрес сайта, где раздел запущен и принимает анкеты и заявки (ссылки форм "
              "ведут туда); по умолчанию MENTORING_SITE_URL, без него формы без ссылки")
def static_site_cmd(folder: str, site_url: str | None, live_url: str | None) -> None:
    """Сохранить публичную часть раздела как обычные файлы (для любого статического
    хостинга или файлового раздела сайта школы). Повторный запуск обновляет только
    изменившееся."""
    from .transfer import ArchiveError
    from .transfer.static_site import build_static_site

    try:
        result = build_static_site(_app(), folder, site_url=site_url, live_url=live_url)
    except ArchiveError as exc:
        raise click.ClickException(f"Копия не сделана: {exc}") from None
    click.echo(f"Страниц: {result.pages}; записано файлов: {len(result.written)}, без "
               f"изменений: {result.unchanged}, удалено: {len(result.removed)}.")
    click.echo(f"Откройте {folder}/index.html или выложите папку на хостинг.")


@mentoring_group.command("current")
def current_cmd() -> None:
    """Показать версию таблиц раздела."""
    rev = migrate.current_revision(_app())
    head = migrate.head_revision()
    state = "актуальна" if rev == head else f"доступна {head}: выполните flask mentoring upgrade"
    click.echo(f"Версия таблиц раздела: {rev or 'не создана'} ({state}).")


@mentoring_group.command("seed-demo")
def seed_demo_cmd() -> None:
    """Заполнить пустой раздел примерами (вымышленные люди и материалы)."""
    from .demo.seed import seed_demo

    sess = _session()
    state = current_app.extensions["mentoring"]
    site = current_app.config["MENTORING_SITE_URL"] or "http://127.0.0.1:5000"
    if seed_demo(sess, upload_folder=state.upload_folder, today=clock.today(), site_url=site):
        sess.commit()
        click.echo("Раздел заполнен примерами.")
    else:
        click.echo("В разделе уже есть данные: примеры не добавлены.")


@mentoring_group.command("create-curator")
@click.argument("login")
@click.option("--name", "display_name", default="", help="Имя, которое увидят в журнале.")
@click.option(
    "--role",
    type=click.Choice(["curator", "editor", "municipal_curator", "registry"]),
    default="curator",
    show_default=True,
    help="curator — всё в разделе; editor — только новости и материалы; на сайте управления "
    "образования: municipal_curator — муниципальный куратор, registry — специалист реестра.",
)
@click.option(
    "--totp",
    "with_totp",
    is_flag=True,
    help="Сразу включить вход с кодом из приложения (пароль тогда от 8 символов): "
    "печатает адрес otpauth:// и ключ для приложения-аутентификатора.",
)
def create_curator_cmd(login: str, display_name: str, role: str, with_totp: bool) -> None:
    """Создать учётную запись куратора раздела.

    Пароль спрашивается дважды или берётся из переменной MENTORING_CURATOR_PASSWORD.
    """
    import os

    from .auth import totp
    from .auth.credentials import CredentialError, create_account
    from .models import AccountRole

    school = current_app.config["MENTORING_SCHOOL_NAME"]
    sess = _session()  # before the password is asked: no tables, nothing to ask for
    password = os.environ.get("MENTORING_CURATOR_PASSWORD") or click.prompt(
        "Пароль", hide_input=True, confirmation_prompt="Повторите пароль"
    )
    secret = totp.new_secret() if with_totp else None
    try:
        create_account(sess, login=login, password=password, display_name=display_name,
                       role=role, totp_secret=secret, school_name=school)
    except CredentialError as exc:
        sess.rollback()
        raise click.ClickException(exc.message) from None
    sess.commit()
    click.echo(f"Учётная запись «{login}» ({AccountRole(role).label}) создана.")
    if secret:
        click.echo("Вход с кодом из приложения включён. Добавьте учётную запись в "
                   "приложение-аутентификатор по этому адресу (например, сделав из него QR-код)")
        click.echo(totp.provisioning_uri(secret, login=login, issuer=school))
        click.echo(f"или введите ключ вручную (по времени, 6 цифр, 30 с): {totp.grouped(secret)}")


starter_group = AppGroup("starter", help="Стартовый набор для нового раздела.")
mentoring_group.add_command(starter_group)


@starter_group.command("order-templates")
def starter_order_templates_cmd() -> None:
    """Добавить шаблоны приказов и протоколов дорожной карты (6 приказов и 2 протокола) в
    методические материалы раздела — базу шаблонов, которую управление образования даёт школам.

    Уже добавленные (по названию) пропускаются.
    """
    from .clock import today
    from .starter.order_templates import add_order_templates

    sess = current_app.extensions["mentoring"].session()
    added = add_order_templates(sess, actor="командная строка (flask mentoring starter)",
                                today=today(current_app.config["MENTORING_TIMEZONE"]))
    click.echo(f"Добавлено шаблонов: {len(added)}." if added
               else "Все шаблоны уже есть в методических материалах: ничего не добавлено.")


@starter_group.command("federal-acts")
def starter_federal_acts_cmd() -> None:
    """Добавить федеральную нормативную базу (акты о наставничестве); повторный запуск
    добавляет только недостающие."""
    from .editing import EditError
    from .starter import add_federal_acts, added_message

    sess = _session()
    try:
        added = add_federal_acts(sess, actor="командная строка (flask mentoring starter)")
    except EditError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(added_message(len(added)))


@mentoring_group.command("send-mail")
def send_mail_cmd() -> None:
    """Отправить письма из очереди (для cron, например каждые 5 минут).

    Сначала ставит в очередь письма «сегодня» (место или ссылка) принятым участникам
    сегодняшних мероприятий — каждому один раз; затем отправляет всё, чему пришло время;
    письмо, которое не удалось отправить, ждёт следующей попытки (паузы растут вдвое).
    """
    from . import events, outbox

    sess = _session()
    queued = events.queue_day_letters(sess)
    settings = outbox.MailSettings.from_config(current_app.config)
    result = outbox.send_due(sess, settings)
    forgotten = outbox.forget_sent(sess)
    click.echo(f"Писем «сегодня» поставлено в очередь: {queued}. Отправлено: {result.sent}. "
               f"Не отправлено: {result.failed}. Ждут в очереди: {outbox.pending(sess)}. "
               f"Удалено старых отправленных: {forgotten}.")
    if result.error:
        raise click.ClickException(f"Почта: {result.error}")


report_group = AppGroup(
    "report", help="Отчёты: справка-отчёт программы, аналитический отчёт за учебный год."
)
mentoring_group.add_command(report_group)


def _save(report, output: str) -> None:
    from pathlib import Path

    try:
        Path(output).write_bytes(report.data)
    except OSError as exc:
        raise click.ClickException(f"Не удалось записать «{output}»: {exc.strerror}.") from None
    click.echo(f"Отчёт записан в {output}.")


@report_group.command("program")
@click.argument("slug")
@click.option("-o", "--output", required=True, help="Файл .docx, куда записать отчёт.")
def report_program_cmd(slug: str, output: str) -> None:
    """Справка-отчёт о реализации программы SLUG (DOCX)."""
    from .clock import today
    from .reports import ReportError
    from .reports.files import format_of, program_report

    cfg = current_app.config
    sess = _session()
    try:
        format_of(output, ("docx",))
        report = program_report(sess, slug, school=cfg["MENTORING_SCHOOL_NAME"],
                                folder=cfg["MENTORING_REPORT_TEMPLATES"],
                                today=today(cfg["MENTORING_TIMEZONE"]))
    except ReportError as exc:
        raise click.ClickException(exc.message) from None
    _save(report, output)


@report_group.command("year")
@click.argument("year")
@click.option("-o", "--output", required=True, help="Файл .xlsx или .docx.")
def report_year_cmd(year: str, output: str) -> None:
    """Аналитический отчёт за учебный год YEAR (например, 2025/2026): XLSX или DOCX."""
    from .clock import Clock
    from .reports import ReportError
    from .reports.files import format_of, year_report

    cfg = current_app.config
    sess = _session()
    try:
        fmt = format_of(output, ("xlsx", "docx"))
        report = year_report(sess, year, fmt, school=cfg["MENTORING_SCHOOL_NAME"],
                             folder=cfg["MENTORING_REPORT_TEMPLATES"],
                             clock=Clock.current(cfg["MENTORING_TIMEZONE"]))
    except ReportError as exc:
        raise click.ClickException(exc.message) from None
    _save(report, output)


@mentoring_group.command("order")
@click.argument("kind")
@click.argument("slugs", nargs=-1)
@click.option("-o", "--output", required=True, help="Файл .docx, куда записать документ.")
def order_cmd(kind: str, slugs: tuple[str, ...], output: str) -> None:
    """Приказ или протокол KIND (DOCX); для «pary» и «zavershenie» — адреса программ SLUG.

    KIND: vnedrenie, plan, polozhenie, kurator, pary, zavershenie, itog, protokol-plan,
    protokol-polozhenie.
    """
    from .clock import today
    from .reports import ReportError
    from .reports.files import format_of, order_report
    from .reports.orders import find_programs, kind_of

    cfg = current_app.config
    sess = _session()
    try:
        format_of(output, ("docx",))
        kind_of(kind)
        report = order_report(sess, kind, find_programs(sess, slugs),
                              school=cfg["MENTORING_SCHOOL_NAME"],
                              folder=cfg["MENTORING_REPORT_TEMPLATES"],
                              today=today(cfg["MENTORING_TIMEZONE"]))
    except ReportError as exc:
        raise click.ClickException(exc.message) from None
    _save(report, output)


@mentoring_group.command("purge-answers")
def purge_answers_cmd() -> None:
    """Удалить ответы на анкеты старше MENTORING_FORM_ANSWERS_KEEP_DAYS дней (для cron)."""
    from .questionnaires import retention

    n = retention.purge_configured(_session())
    click.echo(f"Удалено ответов: {n}.")
