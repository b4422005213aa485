"""``flask mentoring backup DIR``: consistent online backups for cron, rotated.

Each backup is the section's archive (``export_section``: every table of ours and every
stored file, from one read transaction), restorable on SQLite or PostgreSQL with
``flask mentoring restore``. On SQLite the whole database file is copied too, with
``VACUUM INTO`` (consistent while the site writes; a plain ``cp`` of a WAL database may
lack whole tables), for a restore by putting the file back. PostgreSQL's own full backup
is ``pg_dump`` (README says how); the archive covers the section either way.

``contents`` says what a backup holds (its archive's manifest, read without unpacking the
rest) for the admin's «Резервные копии»; ``find`` gives a backup's file by its name, only
among the files the folder's backups have (never a path a request made up).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from ..clock import now_local
from .archive import ArchiveError, _members, read_manifest
from .exporting import export_section

PREFIX = "mentoring-backup-"
_NAME_RE = re.compile(rf"^{PREFIX}(\d{{4}}-\d\d-\d\d-\d{{6}})(\.zip|-database\.sqlite)$")


@dataclass(frozen=True)
class Backup:
    stamp: str
    files: list[Path]


def backups(folder: Path) -> list[Backup]:
    """The backups in ``folder``, the newest first."""
    sets: dict[str, list[Path]] = {}
    for path in folder.iterdir() if folder.is_dir() else []:
        match = _NAME_RE.match(path.name)
        if match:
            sets.setdefault(match.group(1), []).append(path)
    return [Backup(stamp, sorted(files)) for stamp, files in sorted(sets.items(), reverse=True)]


def _sqlite_copy(engine: sa.Engine, target: Path) -> Path | None:
    if engine.dialect.name != "sqlite" or not engine.url.database \
            or engine.url.database == ":memory:":
        return None
    raw = engine.raw_connection()  # VACUUM runs outside a transaction: no SQLAlchemy BEGIN
    try:
        raw.cursor().execute("VACUUM INTO ?", (str(target),))
    finally:
        raw.close()
    return target


def make_backup(app: Flask, folder: str | Path, *, keep: int) -> tuple[Backup, list[Backup]]:
    """Write a backup into ``folder`` and remove all but the ``keep`` newest; returns the new
    backup and the removed ones."""
    if keep < 1:
        raise ArchiveError("--keep должен быть не меньше 1")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"папку {folder} не создать: {exc}") from None
    stamp = now_local(app.config["MENTORING_TIMEZONE"]).strftime("%Y-%m-%d-%H%M%S")
    if any(b.stamp == stamp for b in backups(folder)):
        raise ArchiveError("копия с этим временем уже есть: подождите секунду и повторите")
    made = [folder / f"{PREFIX}{stamp}.zip"]
    export_section(app, made[0])
    database = _sqlite_copy(app.extensions["mentoring"].engine,
                            folder / f"{PREFIX}{stamp}-database.sqlite")
    if database is not None:
        made.append(database)
    removed = backups(folder)[keep:]
    for old in removed:
        for path in old.files:
            path.unlink(missing_ok=True)
    return Backup(stamp, made), removed


def backup_time(backup: Backup) -> datetime:
    return datetime.strptime(backup.stamp, "%Y-%m-%d-%H%M%S")


@dataclass(frozen=True)
class Contents:
    """What a backup holds, for the admin's list."""

    size: int  # bytes of all its files
    archive: Path | None
    database: Path | None  # the SQLite copy, when the section runs on SQLite
    school: str = ""
    revision: str = ""
    tables: int = 0
    rows: int = 0
    files: int = 0
    private_files: int = 0
    problem: str = ""  # why the archive cannot be read (it will not restore either)


def contents(backup: Backup) -> Contents:
    archive = next((p for p in backup.files if p.suffix == ".zip"), None)
    database = next((p for p in backup.files if p.suffix == ".sqlite"), None)
    size = sum(p.stat().st_size for p in backup.files if p.is_file())
    if archive is None:
        return Contents(size, None, database, problem="архива раздела нет, только копия базы")
    try:
        with zipfile.ZipFile(archive) as zf:
            manifest = read_manifest(zf, _members(zf))
    except ArchiveError as exc:
        return Contents(size, archive, database, problem=str(exc))
    except (OSError, zipfile.BadZipFile, EOFError):
        return Contents(size, archive, database, problem="файл повреждён: это не ZIP-архив")
    return Contents(
        size, archive, database, school=manifest.school, revision=manifest.schema_revision,
        tables=len(manifest.tables), rows=sum(t["rows"] for t in manifest.tables.values()),
        files=len(manifest.files),
        private_files=sum(1 for f in manifest.files.values() if f["private"]))


def find(folder: Path, name: str) -> Path | None:
    """The file ``name`` of one of the backups in ``folder``, else None."""
    for backup in backups(folder):
        for path in backup.files:
            if path.name == name and path.is_file():
                return path
    return None
