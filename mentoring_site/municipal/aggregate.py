"""Refreshing the registry: read schools, keep each successful read as a dated snapshot.

Schools are read in parallel threads (the work is waiting on the network); only the
calling thread writes. A school's snapshot is written only after all its pages were read
and checked, in one transaction; a school that fails gets its status and message and nothing
else, so what was read from it before stays (and stays in the history).

A read that brings nothing new (304s, or the same bytes) writes nothing of its own: its
school joins a batch (``Unchanged``) that moves the last snapshots' ``confirmed_at`` and the
schools' status in two UPDATE statements, once per ``CONFIRM_EVERY`` seconds so that the
admin's progress still moves (a run of cached schools is one or a few batches, not a
transaction per school). The last snapshot of every school is known before the reading
starts, so an unchanged school costs no query at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db import begin_write
from ..models.registry import (
    RegistryCase,
    RegistryMentor,
    RegistryPage,
    RegistrySchool,
    RegistrySnapshot,
)
from .fetch import Cached, SchoolRead, Unreachable, read_school
from .schools import School

OK, UNCHANGED, EMPTY, UNREACHABLE, INVALID = "ok", "unchanged", "empty", "unreachable", "invalid"
LABELS = {
    OK: "обновлено",
    UNCHANGED: "без изменений",
    EMPTY: "раздел не заполнен",
    UNREACHABLE: "недоступен",
    INVALID: "неверный ответ",
}
NEVER_READ = "ещё не читали"
#: Seconds between the batched writes of unchanged schools (the admin's progress moves by).
CONFIRM_EVERY = 2.0
#: Ids in one ``IN (...)`` list: well under any database's limit of bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class Report:
    """How reading one school went, for the terminal, the admin and the schools table."""

    school: School
    status: str
    message: str = ""
    mentors: int | None = None
    cases: int | None = None

    @property
    def failed(self) -> bool:
        return self.status in (UNREACHABLE, INVALID)

    def line(self) -> str:
        text = f"{self.school.name}: {LABELS[self.status]}"
        if self.status == OK:
            text += f" (наставников: {self.mentors}, кейсов: {self.cases})"
        if self.message:
            text += f" — {self.message}"
        return text


@dataclass(frozen=True)
class Last:
    """A school's row and its last snapshot, read once before the run."""

    school_id: int
    snapshot_id: int
    empty: bool


def _lasts(sess: Session, keys: Sequence[str]) -> dict[str, Last]:
    last = (sa.select(sa.func.max(RegistrySnapshot.id).label("id"))
            .group_by(RegistrySnapshot.school_id).subquery())
    rows = sess.execute(
        sa.select(RegistrySchool.key, RegistrySchool.id, RegistrySnapshot.id,
                  RegistrySnapshot.empty)
        .join(RegistrySnapshot, RegistrySnapshot.school_id == RegistrySchool.id)
        .join(last, last.c.id == RegistrySnapshot.id)
        .where(RegistrySchool.key.in_(keys))
    )
    return {key: Last(school_id, snapshot_id, empty)
            for key, school_id, snapshot_id, empty in rows}


@dataclass
class Unchanged:
    """Schools read unchanged and not yet written: flushed as two UPDATE statements."""

    lasts: dict[str, Last]
    pending: list[Last] = field(default_factory=list)
    flushed_at: float = field(default_factory=time.monotonic)

    def add(self, school: School, read: SchoolRead) -> Report | None:
        """The school's report when it can wait for the batch; None when it must be stored."""
        last = self.lasts.get(school.key)
        if read.changed or last is None:
            return None
        self.pending.append(last)
        return Report(school, EMPTY if last.empty else UNCHANGED)

    def due(self) -> bool:
        return bool(self.pending) and time.monotonic() - self.flushed_at >= CONFIRM_EVERY

    def flush(self, sess: Session) -> None:
        """Confirm the pending schools' last snapshots and set their status (committed)."""
        self.flushed_at = time.monotonic()
        if not self.pending:
            return
        now = now_utc()
        begin_write(sess)
        for start in range(0, len(self.pending), _CHUNK):
            chunk = self.pending[start:start + _CHUNK]
            empty = [x.school_id for x in chunk if x.empty]
            sess.execute(sa.update(RegistrySnapshot)
                         .where(RegistrySnapshot.id.in_([x.snapshot_id for x in chunk]))
                         .values(confirmed_at=now))
            sess.execute(sa.update(RegistrySchool)
                         .where(RegistrySchool.id.in_([x.school_id for x in chunk]))
                         .values(checked_at=now, message=None, status=sa.case(
                             (RegistrySchool.id.in_(empty), EMPTY), else_=UNCHANGED)
                             if empty else UNCHANGED))
        sess.commit()
        self.pending.clear()


def _caches(sess: Session, keys: Sequence[str]) -> dict[str, dict[str, Cached]]:
    rows = sess.execute(
        sa.select(RegistrySchool.key, RegistryPage.url, RegistryPage.etag,
                  RegistryPage.last_modified, RegistryPage.body)
        .join(RegistryPage, RegistryPage.school_id == RegistrySchool.id)
        .where(RegistrySchool.key.in_(keys))
    )
    caches: dict[str, dict[str, Cached]] = {}
    for key, url, etag, modified, body in rows:
        caches.setdefault(key, {})[url] = Cached(etag, modified, body)
    return caches


def is_empty(read: SchoolRead) -> bool:
    """Nothing published: no date, no figure, no mentor, no case."""
    s = read.summary
    return (s.last_updated is None and not read.mentors and not read.cases
            and not any((s.mentors, s.mentees, s.active_programs, s.completed_programs))
            and not any(s.more.values()))


def _snapshot(row: RegistrySchool, read: SchoolRead, now) -> RegistrySnapshot:
    s, c = read.summary, read.summary.curator
    return RegistrySnapshot(
        school_id=row.id, read_at=now, confirmed_at=now, api_name=s.school,
        empty=is_empty(read), section_updated=s.last_updated,
        mentors=s.mentors, mentees=s.mentees, active_programs=s.active_programs,
        completed_programs=s.completed_programs, **s.more,
        curator_name=c.name if c else None, curator_position=c.position if c else None,
        curator_phone=c.phone if c else None, curator_email=c.email if c else None,
    )


def _store(sess: Session, school: School, read: SchoolRead) -> Report:
    """Keep what was read as a snapshot, or confirm the last one (the caller commits).

    Links into other sites are dropped here (``School.own_link``): «""» for a case.
    """
    row = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == school.key))
    if row is None:  # removed from the list while it was being read
        return Report(school, UNCHANGED)
    now = now_utc()
    row.checked_at, row.message = now, None
    last = sess.scalar(sa.select(RegistrySnapshot).where(RegistrySnapshot.school_id == row.id)
                       .order_by(RegistrySnapshot.id.desc()).limit(1))
    if last is not None and not read.changed:
        last.confirmed_at = now
        row.status = EMPTY if last.empty else UNCHANGED
        return Report(school, row.status)
    snapshot = _snapshot(row, read, now)
    sess.add(snapshot)
    sess.flush()
    sess.execute(sa.delete(RegistryPage).where(RegistryPage.school_id == row.id))
    sess.add_all(
        RegistryMentor(snapshot_id=snapshot.id, ordinal=i, name=m.name,
                       url=school.own_link(m.url), is_student=m.is_student,
                       position=m.position, subjects=m.subjects,
                       qualification=m.qualification, experience_years=m.experience_years)
        for i, m in enumerate(read.mentors)
    )
    sess.add_all(
        RegistryCase(snapshot_id=snapshot.id, ordinal=i, title=c.title,
                     url=school.own_link(c.url) or "", published_at=c.published_at,
                     summary=c.summary, program_title=c.program_title,
                     program_url=school.own_link(c.program_url) or "")
        for i, c in enumerate(read.cases)
    )
    sess.add_all(
        RegistryPage(school_id=row.id, url=a.url, etag=a.etag, last_modified=a.last_modified,
                     body=a.body)
        for a in read.answers.values()
    )
    row.status = EMPTY if snapshot.empty else OK
    return Report(school, row.status, mentors=len(read.mentors), cases=len(read.cases))


def _store_failure(sess: Session, school: School, status: str, message: str) -> Report:
    row = sess.scalar(sa.select(RegistrySchool).where(RegistrySchool.key == school.key))
    if row is not None:
        row.checked_at, row.status, row.message = now_utc(), status, message
    return Report(school, status, message)


def read_options(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "timeout": config["MUNICIPAL_TIMEOUT"],
        "max_bytes": config["MUNICIPAL_MAX_ANSWER_BYTES"],
        "per_page": config["MUNICIPAL_API_PER_PAGE"],
        "max_pages": config["MUNICIPAL_MAX_PAGES"],
        "school_timeout": config["MUNICIPAL_SCHOOL_TIMEOUT"],
    }


def aggregate(sess: Session, schools: Sequence[School], config: dict[str, Any],
              on_report: Callable[[Report], None] | None = None) -> list[Report]:
    """Read the schools and store what was read; reports in the order of ``schools``."""
    if not schools:
        return []
    keys = [s.key for s in schools]
    caches = _caches(sess, keys)
    unchanged = Unchanged(_lasts(sess, keys))
    sess.rollback()  # no read transaction held open while the network is waited on
    options = read_options(config)
    reports: dict[str, Report] = {}
    workers = max(1, min(config["MUNICIPAL_WORKERS"], len(schools)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="municipal") as pool:
        futures = {
            pool.submit(read_school, s, caches.get(s.key, {}), **options): s for s in schools
        }
        try:
            for future in as_completed(futures):
                school = futures[future]
                report = _outcome(sess, school, future, unchanged)
                reports[school.key] = report
                if on_report is not None:
                    on_report(report)
        finally:
            unchanged.flush(sess)
    return [reports[s.key] for s in schools]


def _outcome(sess: Session, school: School, future: Future[SchoolRead],
             unchanged: Unchanged) -> Report:
    """Store one school's read (or failure), or put it in the batch of unchanged ones."""
    try:
        read = future.result()
    except Unreachable as exc:
        failure: tuple[str, str] = (UNREACHABLE, str(exc))
    except ValueError as exc:  # InvalidAnswer, or urllib refusing a reply
        failure = (INVALID, str(exc))
    else:
        report = unchanged.add(school, read)
        if report is not None:
            if unchanged.due():
                unchanged.flush(sess)
            return report
        begin_write(sess)
        report = _store(sess, school, read)
        sess.commit()
        return report
    begin_write(sess)
    report = _store_failure(sess, school, *failure)
    sess.commit()
    return report
