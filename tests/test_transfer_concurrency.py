"""An export taken while four processes keep saving imports cleanly (issue 15).

Four processes (forked clean from a fork server: tests/processes.py), each with its own app
on the same SQLite file, save news items and their edits through the one save path
(``editing.save_record``, the admin's) in a loop; meanwhile the section is exported. Each
archive must be whole by its own manifest (every count and checksum, every row's references)
and import into an empty section.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from mentoring_site.migrate import upgrade
from mentoring_site.transfer import export_section, import_section
from mentoring_site.transfer.archive import MANIFEST
from tests import processes
from tests.conftest import make_app

pytestmark = pytest.mark.slow
WORKERS = 4


def _saver(uri: str, instance: str, n: int, start, stop, saving) -> None:
    from mentoring_site import editing
    from mentoring_site.db import begin_write
    from mentoring_site.models import NewsItem, NewsKind, Status

    app = make_app(uri, Path(instance))
    kind = editing.RecordKind(name="news", model=NewsItem)
    start.wait(60)
    i = 0
    with app.app_context():
        sess = app.extensions["mentoring"].session()
        while not stop.is_set() and i < 400:
            i += 1
            begin_write(sess)  # as the admin's views do: the write lock first
            item = editing.save_record(sess, kind, None, {
                "title": f"Новость {n}-{i}", "kind": NewsKind.NEWS, "summary": "Кратко",
                "body": "Текст", "status": Status.PUBLISHED, "published_at": None,
            }, actor=f"процесс {n}")
            begin_write(sess)
            editing.save_record(sess, kind, item.id, {"summary": f"Правка {i}"},
                                actor=f"процесс {n}")
            if i == 1:
                saving.put(n)
    app.extensions["mentoring"].engine.dispose()


def test_an_export_during_saves_is_whole_and_imports(tmp_path):
    instance = tmp_path / "site"
    uri = f"sqlite:///{tmp_path / 'site.sqlite'}"
    app = make_app(uri, instance)
    upgrade(app)
    ctx = processes.context()
    start, stop, saving = ctx.Event(), ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_saver, args=(uri, str(instance), n, start, stop, saving))
               for n in range(WORKERS)]
    for w in workers:
        w.start()
    try:
        start.set()
        for _ in range(WORKERS):  # every saver has saved once and goes on saving
            saving.get(timeout=120)
        archives = []
        for k in range(1):
            path = tmp_path / f"during-{k}.zip"
            export_section(app, path)
            archives.append(path)
    finally:
        stop.set()
        for w in workers:
            w.join(60)
    counts = []
    for k, path in enumerate(archives):
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
            news_rows = json.loads(zf.read("tables/mentoring_news.json"))
            audit_rows = json.loads(zf.read("tables/mentoring_audit.json"))
        # one moment: each news item and the journal entry of its creation were committed
        # together, so a consistent copy has both or neither, never one without the other
        created = {r["item_id"] for r in audit_rows
                   if r["item_kind"] == "news" and r["action"] == "create"}
        assert {r["id"] for r in news_rows} == created
        news = manifest["tables"]["mentoring_news"]["rows"]
        audit = manifest["tables"]["mentoring_audit"]["rows"]
        counts.append(news)
        target = make_app(f"sqlite:///{tmp_path / f'target-{k}.sqlite'}", tmp_path / f"t{k}")
        upgrade(target)
        plan = import_section(target, path)  # the manifest's counts and checksums hold
        assert plan.rows["mentoring_news"] == news and plan.rows["mentoring_audit"] == audit
        target.extensions["mentoring"].engine.dispose()
    assert counts[0] > 0, "the savers saved nothing while the export ran"
    app.extensions["mentoring"].engine.dispose()
