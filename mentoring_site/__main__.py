"""``python -m mentoring_site demo``: the demo school site with the section, in one command.

``python -m mentoring_site municipal --schools schools.toml``: the municipal registry built
from many schools' sections (``mentoring_site.municipal``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mentoring_site",
        description="Раздел «Наставничество» для сайта школы.",
    )
    commands = parser.add_subparsers(dest="command", metavar="команда", required=True)
    demo = commands.add_parser(
        "demo",
        help="запустить демонстрационный сайт школы с разделом и примерами",
        description="Демонстрационный сайт вымышленной школы с разделом «Наставничество». "
        "При первом запуске создаёт базу данных и заполняет её примерами.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="адрес, на котором слушать "
                      "(по умолчанию 127.0.0.1 — только этот компьютер)")
    demo.add_argument("--port", type=int, default=5000, help="порт (по умолчанию 5000)")
    demo.add_argument("--database", metavar="URL", default=None,
                      help="адрес базы данных SQLAlchemy, например "
                      "postgresql+psycopg://user@localhost/school, или путь к файлу SQLite "
                      "(по умолчанию — файл SQLite в папке данных, см. --instance)")
    demo.add_argument("--instance", metavar="ПАПКА", default=None,
                      help="папка для базы SQLite, загруженных файлов и секретного ключа "
                      "(по умолчанию — ~/.local/share/mentoring-site/demo или "
                      "$XDG_DATA_HOME/mentoring-site/demo)")
    municipal = commands.add_parser(
        "municipal",
        help="запустить муниципальный реестр наставничества по списку школ",
        description="Муниципальный реестр: читает открытые данные разделов «Наставничество» "
        "школ из списка (TOML) и показывает реестр наставников, лучшие практики и числа "
        "по школам. При первом запуске сразу читает разделы школ.",
    )
    municipal.add_argument("--schools", metavar="ФАЙЛ", default=None,
                           help="список школ для первого запуска: TOML с блоками [[school]] "
                           "(name, url); потом список ведётся в управлении")
    municipal.add_argument("--host", default="127.0.0.1", help="адрес, на котором слушать "
                           "(по умолчанию 127.0.0.1 — только этот компьютер)")
    municipal.add_argument("--port", type=int, default=5000, help="порт (по умолчанию 5000)")
    municipal.add_argument("--database", metavar="URL", default=None,
                           help="адрес базы данных SQLAlchemy, например "
                           "postgresql+psycopg://user@localhost/office (по умолчанию — файл "
                           "SQLite municipal.sqlite в папке данных, см. --instance)")
    municipal.add_argument("--instance", metavar="ПАПКА", default=None,
                           help="папка для базы SQLite (по умолчанию — "
                           "~/.local/share/mentoring-site/municipal или "
                           "$XDG_DATA_HOME/mentoring-site/municipal)")
    municipal.add_argument("--aggregate", action="store_true",
                           help="прочитать разделы школ перед запуском, даже если данные уже "
                           "есть (без этого ключа — только при первом запуске)")
    return parser


class _Refused(Exception):
    """A command-line value that cannot be used: its message is printed, no traceback."""


def database_url(value: str | None) -> str | None:
    """``--database``: an SQLAlchemy URL as it is, or a path to an SQLite file (made a URL);
    ``_Refused`` with a Russian message when neither can be used."""
    if value is None:
        return None
    if "://" not in value:
        from pathlib import Path

        path = Path(value).expanduser().absolute()
        if path.is_dir():
            raise _Refused(f"--database: «{value}» — это папка. Укажите файл базы SQLite "
                           "(например, school.sqlite) или адрес базы вида "
                           "postgresql+psycopg://user@localhost/school.")
        if not path.parent.is_dir():
            raise _Refused(f"--database: папки «{path.parent}» нет. Создайте её или укажите "
                           "другой путь к файлу базы SQLite.")
        return "sqlite:///" + str(path)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(value).get_dialect()
    except (NoSuchModuleError, ImportError) as exc:
        raise _Refused(f"--database: нет драйвера для этой базы данных ({exc}). Установите "
                       "его (для PostgreSQL: pip install 'mentoring-site[postgres]') или "
                       "укажите путь к файлу базы SQLite.") from None
    except (ArgumentError, ValueError):
        raise _Refused("--database: адрес базы данных не разобран. Нужен адрес SQLAlchemy "
                       "вида postgresql+psycopg://user@localhost/school или путь к файлу "
                       "базы SQLite.") from None
    return value


def _demo(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError

    from .demo import create_app, ensure_demo_curator, prepare

    try:
        app = create_app(database=database_url(args.database), instance_path=args.instance)
        site = _shown_site(args.host, args.port)
        app.config["MENTORING_SITE_URL"] = site
        print("Готовим базу данных и примеры…", flush=True)
        prepare(app)
    except _Refused as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"Ошибка: не удалось открыть базу данных ({reason}). Проверьте --database.",
              file=sys.stderr)
        return 2
    login, password = ensure_demo_curator(app)
    with app.test_request_context(base_url=site):
        from flask import url_for

        home = url_for("index", _external=True)
        section = url_for("mentoring.index", _external=True)
        admin = url_for("mentoring_admin.dashboard", _external=True)
    print(f"Сайт школы:                  {home}")
    print(f"Раздел «Наставничество»:     {section}")
    print(f"Управление разделом:         {admin}")
    print(f"  имя входа: {login}")
    print(f"  пароль:    {password}")
    print(f"Папка с базой и файлами:     {app.instance_path}")
    print("Остановить сервер: Ctrl+C", flush=True)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def _shown_site(host: str, port: int) -> str:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    return f"http://{shown_host}:{port}"


def _municipal_app(args: argparse.Namespace):
    """The office's app, or None after printing why the settings cannot be used."""
    from .municipal import SchoolsFileError, create_app, prepare
    from .municipal.settings import ConfigError

    try:
        from .config import user_data_folder

        args.database = database_url(args.database)  # the cron line below shows it too
        app = create_app(args.schools, database=args.database,
                         instance_path=args.instance or user_data_folder("municipal"))
        prepare(app)
    except (SchoolsFileError, ConfigError, _Refused) as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return None
    return app


def _cron_command(args: argparse.Namespace, app) -> str:
    import shlex

    call = f"create_app(instance_path={app.instance_path!r}"
    if args.database:
        call += f", database={args.database!r}"
    target = f"mentoring_site.municipal:{call})"
    quoted = f'"{target}"' if not set(target) & set('"$`\\!') else shlex.quote(target)
    return f"flask --app {quoted} mentoring aggregate"


def _municipal(args: argparse.Namespace) -> int:
    from .municipal import queries

    if args.schools is None:
        from .municipal import demo

        if demo.wants_demo(args.instance, args.database):
            return demo.run(args, _shown_site)

    app = _municipal_app(args)
    if app is None:
        return 2
    state = app.extensions["municipal"]
    with app.app_context():
        never_read = queries.last_aggregate(state.session()) is None
        schools = state.schools
        if args.aggregate or never_read:
            print(f"Читаем разделы школ ({len(schools)})…", flush=True)
            state.aggregate(lambda report: print("  " + report.line(), flush=True))
    site = _shown_site(args.host, args.port)
    with app.test_request_context(base_url=site):
        from flask import url_for

        home = url_for("municipal.schools", _external=True)
        mentors = url_for("municipal.mentors", _external=True)
        cases = url_for("municipal.cases", _external=True)
    print(f"Школы и их числа:            {home}")
    print(f"Реестр наставников:          {mentors}")
    print(f"Лучшие практики:             {cases}")
    print(f"Папка с базой:               {app.instance_path}")
    print("Обновить данные (например, из cron):")
    print(f"  {_cron_command(args, app)}")
    print("Остановить сервер: Ctrl+C", flush=True)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "municipal":
        return _municipal(args)
    return 2  # pragma: no cover - argparse refuses unknown commands


if __name__ == "__main__":
    sys.exit(main())
