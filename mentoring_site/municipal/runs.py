"""Reading every school as one run, from cron or from the admin's «Обновить все».

A run is recorded (``RegistryRun``) so that its progress can be shown by any web worker:
the schools read so far are those checked since the run started. The admin's button
reads in a background thread of the web process and answers at once; only one run goes
at a time (a run older than ``STALE`` without an end is taken as dead, its process gone).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db import begin_write
from ..models.registry import RegistryRun, RegistrySchool
from .aggregate import Report

STALE = timedelta(hours=2)


class RunGoing(RuntimeError):
    """Another run is still reading the schools."""


@dataclass(frozen=True)
class Progress:
    run: RegistryRun
    done: int

    @property
    def going(self) -> bool:
        return self.run.finished_at is None


def current(sess: Session, now: datetime | None = None) -> RegistryRun | None:
    """The run still going, if any."""
    now = now or now_utc()
    return sess.scalar(sa.select(RegistryRun).where(
        RegistryRun.finished_at.is_(None), RegistryRun.started_at > now - STALE,
    ).order_by(RegistryRun.id.desc()).limit(1))


def progress(sess: Session) -> Progress | None:
    """The last run and how many of its schools were read so far."""
    run = sess.scalar(sa.select(RegistryRun).order_by(RegistryRun.id.desc()).limit(1))
    if run is None:
        return None
    done = sess.scalar(sa.select(sa.func.count()).select_from(RegistrySchool).where(
        RegistrySchool.checked_at >= run.started_at,
        RegistrySchool.removed_at.is_(None))) or 0
    return Progress(run, min(done, run.total))


def start(sess: Session, total: int, who: str) -> int:
    """Record a new run, refusing when one is going; returns its id (committed)."""
    begin_write(sess)
    if current(sess) is not None:
        sess.rollback()
        raise RunGoing("Школы уже читаются: дождитесь конца текущего чтения.")
    run = RegistryRun(total=total, started_by=who)
    sess.add(run)
    sess.commit()
    return run.id


def finish(sess: Session, run_id: int, reports: list[Report]) -> None:
    begin_write(sess)
    run = sess.get(RegistryRun, run_id)
    if run is not None:
        run.finished_at = now_utc()
        run.failed = sum(1 for r in reports if r.failed)
    sess.commit()


def read_all(app: Flask, who: str,
             on_report: Callable[[Report], None] | None = None) -> list[Report]:
    """Read every school on the list now, recorded as a run (the caller's app context)."""
    state = app.extensions["municipal"]
    sess = state.session()
    schools = state.schools
    run_id = start(sess, len(schools), who)
    reports: list[Report] = []
    try:
        reports = state.aggregate(on_report, schools=schools)
    finally:
        finish(sess, run_id, reports)
    return reports


def read_all_in_background(app: Flask, who: str) -> threading.Thread:
    """Start ``read_all`` in a thread of this process; raises RunGoing at once if one goes."""
    state = app.extensions["municipal"]
    sess = state.session()
    schools = state.schools
    run_id = start(sess, len(schools), who)

    def work() -> None:
        with app.app_context():
            inner = app.extensions["municipal"].session()
            reports: list[Report] = []
            try:
                reports = app.extensions["municipal"].aggregate(schools=schools)
            finally:
                finish(inner, run_id, reports)

    thread = threading.Thread(target=work, name="municipal-run", daemon=True)
    thread.start()
    state.last_run_thread = thread
    return thread
