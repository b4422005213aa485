"""Refreshing the registry: read every school, replace each school's rows in one transaction.

Schools are read in parallel threads (the work is waiting on the network); only the
main thread writes. A school's mentors, cases and cached answers are replaced only after
all its pages were read and checked, in one transaction; a school that fails gets its
status and message updated and nothing else, so what was read from it before stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db import begin_write
from .fetch import Cached, SchoolRead, Unreachable, read_school
from .models import CaseRow, MentorRow, PageRow, SchoolRow
from .schools import School

OK, UNCHANGED, UNREACHABLE, INVALID = "ok", "unchanged", "unreachable", "invalid"
LABELS = {
    OK: "обновлено",
    UNCHANGED: "без изменений",
    UNREACHABLE: "недоступен",
    INVALID: "неверный ответ",
}


@dataclass(frozen=True)
class Report:
    """How reading one school went, for the terminal and the schools table."""

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


def sync_schools(sess: Session, schools: Iterable[School]) -> list[str]:
    """Make the school rows match the list; returns the names of schools taken off it."""
    wanted = {s.key: s for s in schools}
    rows = {r.key: r for r in sess.scalars(sa.select(SchoolRow))}
    removed = []
    for key, row in rows.items():
        if key not in wanted:
            _delete_rows(sess, row.id, pages=True)
            sess.delete(row)
            removed.append(row.name)
    for key, school in wanted.items():
        known = rows.get(key)
        if known is None:
            sess.add(SchoolRow(key=key, name=school.name, url=school.url))
        else:
            known.name, known.url = school.name, school.url
    return removed


def _delete_rows(sess: Session, school_id: int, *, pages: bool) -> None:
    tables: tuple[Any, ...] = (MentorRow, CaseRow, PageRow) if pages else (MentorRow, CaseRow)
    for model in tables:
        sess.execute(sa.delete(model).where(model.school_id == school_id))


def _caches(sess: Session) -> dict[str, dict[str, Cached]]:
    rows = sess.execute(
        sa.select(SchoolRow.key, PageRow.url, PageRow.etag, PageRow.last_modified, PageRow.body)
        .join(PageRow, PageRow.school_id == SchoolRow.id)
    )
    caches: dict[str, dict[str, Cached]] = {}
    for key, url, etag, modified, body in rows:
        caches.setdefault(key, {})[url] = Cached(etag, modified, body)
    return caches


def _store(sess: Session, school: School, read: SchoolRead) -> Report:
    """Replace the school's rows with what was read (the caller commits)."""
    row = sess.scalar(sa.select(SchoolRow).where(SchoolRow.key == school.key))
    assert row is not None  # sync_schools made it
    now = now_utc()
    row.checked_at = row.read_at = now
    row.message = None
    if not read.changed:
        row.status = UNCHANGED
        return Report(school, UNCHANGED)
    _delete_rows(sess, row.id, pages=True)
    s = read.summary
    row.api_name = s.school
    row.mentors, row.mentees = s.mentors, s.mentees
    row.active_programs, row.completed_programs = s.active_programs, s.completed_programs
    row.last_updated, row.last_modified = s.last_updated, read.summary_last_modified
    row.changed_at, row.status = now, OK
    sess.add_all(
        MentorRow(school_id=row.id, ordinal=i, name=m.name, url=m.url, is_student=m.is_student,
                  position=m.position, subjects=m.subjects, qualification=m.qualification,
                  experience_years=m.experience_years)
        for i, m in enumerate(read.mentors)
    )
    sess.add_all(
        CaseRow(school_id=row.id, ordinal=i, title=c.title, url=c.url,
                published_at=c.published_at, summary=c.summary,
                program_title=c.program_title, program_url=c.program_url)
        for i, c in enumerate(read.cases)
    )
    sess.add_all(
        PageRow(school_id=row.id, url=a.url, etag=a.etag, last_modified=a.last_modified,
                body=a.body)
        for a in read.answers.values()
    )
    return Report(school, OK, mentors=len(read.mentors), cases=len(read.cases))


def _store_failure(sess: Session, school: School, status: str, message: str) -> Report:
    row = sess.scalar(sa.select(SchoolRow).where(SchoolRow.key == school.key))
    assert row is not None
    row.checked_at, row.status, row.message = now_utc(), status, message
    return Report(school, status, message)


def aggregate(engine: sa.Engine, schools: list[School], config: dict[str, Any],
              on_report: Callable[[Report], None] | None = None) -> list[Report]:
    """Read every school and store what was read; reports in the order of the list."""
    with Session(engine) as sess:
        begin_write(sess)
        sync_schools(sess, schools)
        sess.commit()
        caches = _caches(sess)
    options = {
        "timeout": config["MUNICIPAL_TIMEOUT"],
        "max_bytes": config["MUNICIPAL_MAX_ANSWER_BYTES"],
        "per_page": config["MUNICIPAL_API_PER_PAGE"],
        "max_pages": config["MUNICIPAL_MAX_PAGES"],
    }
    reports: dict[str, Report] = {}
    workers = max(1, min(config["MUNICIPAL_WORKERS"], len(schools)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="municipal") as pool:
        futures = {
            pool.submit(read_school, s, caches.get(s.key, {}), **options): s for s in schools
        }
        for future in as_completed(futures):
            school = futures[future]
            with Session(engine) as sess:
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
