"""Demo school sites served over real HTTP on loopback ports, for the municipal registry.

Each school is the demo host site (``mentoring_site.demo``) on its own copy of one seeded
SQLite database, behind a small WSGI switch that can make its API answer garbage (from
some page on), a wrong shape, an HTML page, or a crafted body, and that logs every API
request with its status so a test can see the 304s.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from mentoring_site import clock, demo
from mentoring_site.municipal.settings import DEFAULTS as MUNICIPAL_DEFAULTS

GARBAGE = b'{"items": [ this is not json'


class Switch:
    """WSGI middleware: passes requests to the school's app unless told to misbehave."""

    def __init__(self, app: Flask):
        self.app = app
        self.mode = "normal"
        self.when: Callable[[str], bool] = lambda _url: True
        self.crafted: Callable[[str], dict] | None = None
        self.log: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def reset(self) -> None:
        self.mode, self.when, self.crafted = "normal", (lambda _url: True), None
        with self.lock:
            self.log.clear()

    def __call__(self, environ, start_response):
        url = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        api = "/api/v1/" in url
        if api and self.mode == "cut" and self.when(url):
            self._record(url, 200)  # the server goes away in the middle of its answer
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", "5000")])
            return [b'{"items": [']
        if api and self.mode != "normal" and self.when(url):
            body, ctype = self._bad(url)
            self._record(url, 200)
            start_response("200 OK", [("Content-Type", ctype),
                                      ("Content-Length", str(len(body)))])
            return [body]

        def recording(status, headers, exc_info=None):
            if api:
                self._record(url, int(status.split()[0]))
            return start_response(status, headers, exc_info)

        return self.app(environ, recording)

    def _record(self, url: str, status: int) -> None:
        with self.lock:
            self.log.append((url, status))

    def _bad(self, url: str) -> tuple[bytes, str]:
        if self.mode == "garbage":
            return GARBAGE, "application/json"
        if self.mode == "shape":
            return json.dumps({"items": {"not": "a list"}, "page": 1}).encode(), \
                "application/json"
        if self.mode == "html":
            return b"<!doctype html><title>502</title><p>Bad gateway", "text/html"
        assert self.mode == "crafted" and self.crafted is not None
        return json.dumps(self.crafted(url), ensure_ascii=False).encode(), "application/json"


@dataclass
class DemoSchool:
    """One school's site: its app, its switch and (while running) its HTTP server."""

    name: str
    app: Flask
    switch: Switch
    port: int = 0
    server: BaseWSGIServer | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def section_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/nastavnichestvo/"

    def start(self) -> None:
        assert self.server is None
        self.server = make_server("127.0.0.1", self.port, self.switch, threaded=True)
        self.port = self.server.server_port
        self.app.config["MENTORING_SITE_URL"] = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        assert self.thread is not None
        self.thread.join(5)
        self.server = self.thread = None

    def api_items(self, collection: str) -> list[dict]:
        """Every item of a collection, read through the app (not through the registry)."""
        client = self.app.test_client()
        items, page = [], 1
        while True:
            answer = client.get(f"/nastavnichestvo/api/v1/{collection}?page={page}&per_page=100")
            data = answer.get_json()
            items += data["items"]
            if data["links"]["next"] is None:
                return items
            page += 1

    def statuses(self) -> list[int]:
        with self.switch.lock:
            return [status for _url, status in self.switch.log]

    def close(self) -> None:
        self.stop()
        with self.app.app_context():
            demo.db.engine.dispose()


def office_today() -> date:
    """Today in the office's zone, as the registry counts days: the machine's date is a
    day behind it from 21:00 UTC (Moscow), which is when CI once ran."""
    return clock.today(MUNICIPAL_DEFAULTS["MUNICIPAL_TIMEZONE"])


def seeded_instance(folder: Path) -> Path:
    """A demo instance folder (database, uploads, key) migrated and seeded once."""
    app = demo.create_app(instance_path=str(folder))
    demo.prepare(app)
    with app.app_context():
        demo.db.engine.dispose()
    return folder


def school_from(template: Path, folder: Path, name: str) -> DemoSchool:
    shutil.copytree(template, folder)
    app = demo.create_app(instance_path=str(folder))
    app.config["MENTORING_SCHOOL_NAME"] = name
    app.logger.disabled = True
    return DemoSchool(name=name, app=app, switch=Switch(app))


def page_of(collection: str, number: int) -> Callable[[str], bool]:
    """A ``when`` for the switch: only this page of this collection misbehaves."""
    pattern = re.compile(rf"/api/v1/{collection}\?(.*&)?page={number}(&|$)")
    return lambda url: bool(pattern.search(url))


def schools_toml(schools: list[DemoSchool]) -> str:
    blocks = [
        f'[[school]]\nname = "{s.name}"\nurl = "{s.section_url}"\nid = "school{i}"\n'
        for i, s in enumerate(schools, 1)
    ]
    return "# Школы для тестов\n\n" + "\n".join(blocks)


def empty_school(folder: Path, name: str) -> DemoSchool:
    """A school that installed the section and published nothing yet."""
    from mentoring_site.migrate import upgrade

    app = demo.create_app(instance_path=str(folder))
    upgrade(app)
    app.config["MENTORING_SCHOOL_NAME"] = name
    app.logger.disabled = True
    return DemoSchool(name=name, app=app, switch=Switch(app))


_TEMPLATE: list[Path] = []


def _migrated_template() -> Path:
    """An office database migrated once per test process (the migrations cost ~0.2 s an app)."""
    if not _TEMPLATE:
        import tempfile

        from mentoring_site.migrate import upgrade
        from mentoring_site.municipal import create_app

        folder = Path(tempfile.mkdtemp(prefix="office-template-"))
        app = create_app(instance_path=str(folder))
        upgrade(app)
        app.extensions["mentoring"].engine.dispose()
        _TEMPLATE.append(folder / "municipal.sqlite")
    return _TEMPLATE[0]


def prepared(app) -> None:
    """``municipal.prepare`` for tests: the migrated database copied in instead of migrating,
    the schools file imported, and no order templates (``test_order_templates`` covers them)."""
    from mentoring_site.municipal.roster import import_configured_file

    engine = app.extensions["mentoring"].engine
    path = Path(engine.url.database or "")
    if engine.dialect.name == "sqlite" and (not path.exists() or path.stat().st_size == 0):
        engine.dispose()
        shutil.copyfile(_migrated_template(), path)
    else:  # pragma: no cover - PostgreSQL or an existing database: migrate as usual
        from mentoring_site.migrate import upgrade

        upgrade(app)
    with app.app_context():
        import_configured_file(app, app.extensions["mentoring"].session())
