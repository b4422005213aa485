"""``python -m mentoring_site demo``: the demo school site with the section, in one command."""

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
                      "postgresql+psycopg://user@localhost/school (по умолчанию — файл "
                      "SQLite в папке instance)")
    demo.add_argument("--instance", metavar="ПАПКА", default=None,
                      help="папка для базы SQLite, загруженных файлов и секретного ключа "
                      "(по умолчанию — папка instance рядом с пакетом)")
    # A future «municipal» command (the municipal office's registry of mentors) goes here.
    return parser


def _demo(args: argparse.Namespace) -> int:
    from .demo import create_app, ensure_demo_curator, prepare

    app = create_app(database=args.database, instance_path=args.instance)
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    site = f"http://{shown_host}:{args.port}"
    app.config["MENTORING_SITE_URL"] = site
    print("Готовим базу данных и примеры…", flush=True)
    prepare(app)
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    return 2  # pragma: no cover - argparse refuses unknown commands


if __name__ == "__main__":
    sys.exit(main())
