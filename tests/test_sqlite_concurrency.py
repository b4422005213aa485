"""SQLite under several worker processes: no «database is locked», no lost updates.

A school site on SQLite runs under gunicorn with a few worker processes. ``db.tune_sqlite``
puts the file in WAL mode with a busy timeout, and ``write_session`` starts its transaction
with BEGIN IMMEDIATE, so writers queue for the write lock instead of failing. Here four
processes (forked clean: tests/processes.py), each with its own app, hammer one counter: 50
increments each (a few seconds on an idle machine). Counted, not timed, so that a busy
machine or a parallel test run (pytest-xdist) slows the test down rather than failing it;
the generous deadline only catches writers that are stuck.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from mentoring_site.db import session, write_session
from mentoring_site.migrate import upgrade
from mentoring_site.models import Page
from tests import processes
from tests.conftest import make_app

WORKERS = 4
WRITES = 50  # per process: 200 contended writes in all
SECONDS = 120.0  # the deadline for them: far beyond what an idle machine needs
COUNTER_SLUG = "schetchik"


def _writer(uri: str, instance: str, page_id: int, ready, start, results) -> None:
    """One worker process: increment the counter row until the time is up."""
    app = make_app(uri, Path(instance))
    done, reads, errors = 0, 0, []
    ready.put(True)
    start.wait(60)
    deadline = time.monotonic() + SECONDS
    i = 0
    while done < WRITES and time.monotonic() < deadline:
        i += 1
        try:
            with app.app_context():
                with write_session() as s:
                    page = s.get(Page, page_id)
                    page.sort += 1  # read-modify-write in Python: a lost update would show
                done += 1
                if i % 4 == 0:  # a plain (deferred) read transaction between the writes
                    s = session()
                    total = s.scalar(sa.select(sa.func.count()).select_from(Page))
                    value = s.scalar(sa.select(Page.sort).where(Page.id == page_id))
                    s.rollback()
                    assert total == 1 and value >= 0
                    reads += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"{type(exc).__name__}: {exc}")
    app.extensions["mentoring"].engine.dispose()
    results.put({"done": done, "reads": reads, "errors": errors[:5], "n_errors": len(errors)})


@pytest.fixture
def counter_app(tmp_path):
    uri = f"sqlite:///{tmp_path / 'concurrency.sqlite'}"
    app = make_app(uri, tmp_path)
    upgrade(app)
    with app.app_context(), write_session() as s:
        page = Page(slug=COUNTER_SLUG, title="Счётчик", body="", sort=0)
        s.add(page)
        s.flush()
        page_id = page.id
    yield app, uri, page_id
    app.extensions["mentoring"].engine.dispose()


@pytest.mark.slow
def test_writer_processes_neither_fail_nor_lose_updates(counter_app, tmp_path):
    app, uri, page_id = counter_app
    ctx = processes.context()
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=_writer, args=(uri, str(tmp_path), page_id, ready, start, results))
        for _ in range(WORKERS)
    ]
    for p in procs:
        p.start()
    try:
        for _ in procs:  # every worker has built its app: start them together
            ready.get(timeout=60)
        start.set()
        reports = [results.get(timeout=SECONDS + 60) for _ in procs]
    except queue.Empty:
        pytest.fail(f"a worker did not report; exit codes {[p.exitcode for p in procs]}")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()

    assert [p.exitcode for p in procs] == [0] * WORKERS
    errors = [e for r in reports for e in r["errors"]]
    assert sum(r["n_errors"] for r in reports) == 0, errors
    increments = sum(r["done"] for r in reports)
    assert all(r["done"] > 0 for r in reports), reports  # nobody starved
    assert all(r["reads"] > 0 for r in reports), reports
    assert increments == WORKERS * WRITES, reports

    with app.app_context():
        s = session()
        sort, version = s.execute(
            sa.select(Page.sort, Page.version).where(Page.id == page_id)
        ).one()
        s.rollback()
    assert sort == increments  # no lost update
    assert version == 1 + increments  # the optimistic-lock counter saw every update


def test_engine_uses_wal_and_busy_timeout(counter_app):
    app, _uri, _page_id = counter_app
    engine = app.extensions["mentoring"].engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_deferred_read_then_write_fails_where_immediate_waits(counter_app):
    """Why ``write_session``: in WAL mode a deferred transaction that has read and then
    writes after another connection committed fails at once with «database is locked»
    (SQLITE_BUSY_SNAPSHOT; the busy timeout does not help). Deterministic, one process."""
    app, _uri, page_id = counter_app
    engine = app.extensions["mentoring"].engine
    select = sa.text("SELECT sort FROM mentoring_page WHERE id = :id")
    update = sa.text("UPDATE mentoring_page SET sort = :v WHERE id = :id")
    with engine.connect() as a, engine.connect() as b:
        a.begin()
        b.begin()
        va = a.execute(select, {"id": page_id}).scalar_one()
        vb = b.execute(select, {"id": page_id}).scalar_one()
        a.execute(update, {"v": va + 1, "id": page_id})
        a.commit()
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError, match="database is locked"):
            b.execute(update, {"v": vb + 1, "id": page_id})
        assert time.monotonic() - started < 5  # not a timeout: the snapshot is stale
        b.rollback()

    # The same race with write transactions (BEGIN IMMEDIATE, as ``write_session`` does):
    # the second writer waits for the first to commit, then reads the committed value.
    seen = []
    with engine.connect() as a:
        a = a.execution_options(mentoring_write=True)
        a.begin()
        va = a.execute(select, {"id": page_id}).scalar_one()

        def second_writer() -> None:
            with engine.connect() as b:
                b = b.execution_options(mentoring_write=True)
                b.begin()  # blocks here while ``a`` holds the write lock
                vb = b.execute(select, {"id": page_id}).scalar_one()
                b.execute(update, {"v": vb + 1, "id": page_id})
                b.commit()
                seen.append(vb)

        t = threading.Thread(target=second_writer)
        t.start()
        time.sleep(0.3)
        a.execute(update, {"v": va + 1, "id": page_id})
        a.commit()
        t.join(timeout=20)
    assert seen == [va + 1]
    with engine.connect() as d:
        assert d.execute(select, {"id": page_id}).scalar_one() == va + 2


def test_write_session_after_a_read_in_the_same_context_takes_the_write_lock(counter_app):
    """A view (or a host's user loader on a shared session) reads first, then saves."""
    app, _uri, page_id = counter_app
    engine = app.extensions["mentoring"].engine
    with app.app_context():
        assert session().get(Page, page_id).sort == 0  # opens a deferred read transaction
        with engine.connect() as other:  # another worker saves meanwhile
            other = other.execution_options(mentoring_write=True)
            other.begin()
            other.execute(sa.text("UPDATE mentoring_page SET sort = sort + 1, "
                                  "version = version + 1 WHERE id = :id"), {"id": page_id})
            other.commit()
        with write_session() as s:
            page = s.get(Page, page_id)
            page.sort += 1
    with app.app_context():
        assert session().get(Page, page_id).sort == 2
