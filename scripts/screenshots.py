"""Screenshots of the section in every theme: `python scripts/screenshots.py [--out DIR]`.

Not a test (the suite only checks; pictures are made here, on demand): seeds the demo
section into a temporary SQLite file, serves it once per theme and has Debian's Chromium
(through Playwright, as the browser tests do) take, for every theme:

- ``<theme>-home|list|case-360|1280.png``: the home page, a list and a case, phone and desktop;
- ``<theme>-vi-largest-360|1280.png``: the home page in the VI mode, largest font;
- ``<theme>-readme.png``: 1024 × 640, the picture of the theme's README
  (``--update-themes`` copies it to ``themes/<theme>/screenshot.png``);
- ``<theme>-print-documents|case.pdf``: the print stylesheet on A4;

and ``admin-dashboard-360.png``, the curator's dashboard on a phone. Everything goes to
``test-artifacts/`` unless ``--out`` says otherwise.

    .venv/bin/python scripts/screenshots.py
    .venv/bin/python scripts/screenshots.py --theme contrast --update-themes
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' app factory, live server and crawler

from tests.admin_support import ADMIN, PASSWORD, make_account  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, section_pages, serve_app  # noqa: E402
from tests.conftest import make_app  # noqa: E402

PREFIX = "/nastavnichestvo"
THEMES = ["default", "contrast", "plain"]
VI_LARGEST = "v1.size-4.scheme-blue.images-on.spacing-3.line-3.font-serif"


def plan(client) -> dict[str, str]:
    """name -> path of the pages to picture (home, a list, a case), found by crawling."""
    paths = list(section_pages(client, PREFIX))
    cases = PREFIX + "/luchshie-praktiki/"
    return {
        "home": PREFIX + "/",
        "list": next(p for p in paths if "/normativnaya-baza/" in p),
        "case": next(p for p in paths if p.startswith(cases) and p != cases),
    }


def _seed(folder: Path) -> str:
    from mentoring_site.clock import today
    from mentoring_site.demo.seed import seed_demo
    from mentoring_site.migrate import upgrade

    uri = f"sqlite:///{folder / 'demo.sqlite'}"
    app = make_app(uri, folder)
    upgrade(app)
    with app.app_context():
        state = app.extensions["mentoring"]
        sess = state.session()
        seed_demo(sess, upload_folder=state.upload_folder, today=today())
        sess.commit()
    state.engine.dispose()
    return uri


def _theme(browser, app, theme: str, out: Path) -> list[Path]:
    made = []
    shots = plan(app.test_client())
    with serve_app(app) as server:
        context = browser.new_context(locale="ru-RU")
        page = context.new_page()
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for name, path in shots.items():
                page.goto(server(path))
                made.append(out / f"{theme}-{name}-{width}.png")
                page.screenshot(path=made[-1], full_page=True)
        context.add_cookies([{"name": "mentoring_vi", "value": VI_LARGEST,
                              "url": server(PREFIX + "/")}])
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(server(PREFIX + "/"))
            made.append(out / f"{theme}-vi-largest-{width}.png")
            page.screenshot(path=made[-1], full_page=True)
        context.clear_cookies()
        page.set_viewport_size({"width": 1024, "height": 640})
        page.goto(server(PREFIX + "/"))
        made.append(out / f"{theme}-readme.png")
        page.screenshot(path=made[-1], full_page=False)
        page.emulate_media(media="print")
        for name in ("list", "case"):
            page.goto(server(shots[name]))
            made.append(out / f"{theme}-print-{'documents' if name == 'list' else name}.pdf")
            page.pdf(path=made[-1], format="A4")
        context.close()
    return made


def _admin(browser, app, out: Path) -> Path:
    make_account(app)
    with serve_app(app) as server:
        context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(server(f"{ADMIN}/vhod/"))
        page.fill("#login", "kurator")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("form.a-form button[type=submit]")
        target = out / "admin-dashboard-360.png"
        page.screenshot(path=target, full_page=True)
        context.close()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts",
                        help="folder for the pictures (default: test-artifacts/)")
    parser.add_argument("--theme", action="append", choices=THEMES,
                        help="only this theme (may be repeated); default: all")
    parser.add_argument("--update-themes", action="store_true",
                        help="copy <theme>-readme.png to themes/<theme>/screenshot.png")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        uri = _seed(folder)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for theme in args.theme or THEMES:
                app = make_app(uri, folder, MENTORING_THEME=theme)
                made += _theme(browser, app, theme, args.out)
                app.extensions["mentoring"].engine.dispose()
                if args.update_themes:
                    shutil.copyfile(args.out / f"{theme}-readme.png",
                                    ROOT / "themes" / theme / "screenshot.png")
            app = make_app(uri, folder)
            made.append(_admin(browser, app, args.out))
            app.extensions["mentoring"].engine.dispose()
        finally:
            browser.close()
    for path in made:
        print(re.sub(f"^{re.escape(str(ROOT))}/", "", str(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
