"""``flask mentoring backup DIR``: consistent online backups for cron, rotated.

Each backup is the section's archive (``export_section``: every table of ours and every
stored file, from one read transaction), restorable on SQLite or PostgreSQL with
``flask mentoring restore``. On SQLite the whole database file is copied too, with
``VACUUM INTO`` (consistent while the site writes; a plain ``cp`` of a WAL database may
lack whole tables), for a restore by putting the file back. PostgreSQL's own full backup
is ``pg_dump`` (README says how); the archive covers the section either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from ..clock import now_local
from .archive import ArchiveError
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
