"""Refreshing the registry: read schools, keep each successful read as a dated snapshot.

Schools are read in parallel threads (the work is waiting on the network); only the
calling thread writes. A school's snapshot is written only after all its pages were read
and checked, in one transaction; a read that brings nothing new only moves the last
snapshot's ``confirmed_at``; a school that fails gets its status and message and nothing
else, so what was read from it before stays (and stays in the history).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
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
    caches = _caches(sess, [s.key for s in schools])
    sess.rollback()  # no read transaction held open while the network is waited on
    options = read_options(config)
    reports: dict[str, Report] = {}
    workers = max(1, min(config["MUNICIPAL_WORKERS"], len(schools)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="municipal") as pool:
        futures = {
            pool.submit(read_school, s, caches.get(s.key, {}), **options): s for s in schools
        }
        for future in as_completed(futures):
            school = futures[future]
            begin_write(sess)
            try:
                report = _store(sess, school, future.result())
            except Unreachable as exc:
                report = _store_failure(sess, school, UNREACHABLE, str(exc))
            except ValueError as exc:  # InvalidAnswer, or urllib refusing a reply
                report = _store_failure(sess, school, INVALID, str(exc))
            sess.commit()
            reports[school.key] = report
            if on_report is not None:
                on_report(report)
    return [reports[s.key] for s in schools]
