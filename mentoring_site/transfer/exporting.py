"""``flask mentoring export FILE.zip``: the whole section in one consistent archive.

One read transaction (SQLite in WAL mode: a snapshot from the first read; PostgreSQL:
REPEATABLE READ, read only) sees every table as of one moment while the site keeps taking
edits; files are copied by the names the media rows of that snapshot record, and a file
is never rewritten in place (a new upload gets a new name), so a recorded file is whole.
The archive is written under a temporary name beside the target and renamed at the end:
a crash leaves no half archive under the real name.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from ..clock import now_utc
from ..datastamp import TABLE_NAME as DATA_VERSION
from ..db import TABLE_PREFIX, VERSION_TABLE, metadata
from ..media.storage import path_for
from ..migrate import current_revision
from ..models import MediaFile
from .archive import FORMAT, FORMAT_VERSION, MANIFEST, ArchiveError, encode, sha256

PACKED = (".jpg", ".jpeg", ".png", ".webp", ".pdf", ".docx", ".xlsx", ".odt", ".ods")


def our_tables() -> list[sa.Table]:
    """Our tables, parents before children; not the data version, which belongs to the
    database the archive goes into (it must only ever grow: the import bumps it)."""
    return [t for t in metadata.sorted_tables
            if t.name.startswith(TABLE_PREFIX) and t.name not in (VERSION_TABLE, DATA_VERSION)]


def _tables_of(conn: sa.Connection) -> list[sa.Table]:
    """Our tables as this database has them (reflected: a database at an older revision
    lacks later tables and columns, and its archive says so)."""
    present = set(sa.inspect(conn).get_table_names())
    reflected = sa.MetaData()
    return [sa.Table(t.name, reflected, autoload_with=conn)
            for t in our_tables() if t.name in present]


def _rows(conn: sa.Connection, table: sa.Table) -> list[dict]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(sa.select(table).order_by(*order))
    return [{k: encode(v) for k, v in row._mapping.items()} for row in result]


def export_section(app: Flask, target: str | os.PathLike,
                   progress: Callable[[int, int], None] | None = None) -> dict:
    """Write the archive to ``target``; returns the manifest written.

    ``progress(done, total)`` is called after each table and each file."""
    state = app.extensions["mentoring"]
    target = Path(target)
    revision = current_revision(app)
    if revision is None:
        raise ArchiveError("база раздела не создана: выполните flask mentoring upgrade")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise ArchiveError(f"папки {folder} нет: укажите существующую папку для архива")
    fd, tmp = tempfile.mkstemp(prefix=".mentoring-export-", suffix=".zip", dir=folder)
    os.close(fd)
    try:
        manifest = _write(app, state, Path(tmp), revision, progress)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


def _write(app: Flask, state, tmp: Path, revision: str,
           progress: Callable[[int, int], None] | None) -> dict:
    tables: dict[str, dict] = {}
    files: dict[str, dict] = {}
    engine = state.engine
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True} \
        if engine.dialect.name == "postgresql" else {}
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf, \
            engine.connect().execution_options(**options) as conn, conn.begin():
        media = conn.execute(sa.select(MediaFile.__table__.c.stored_name,
                                       MediaFile.__table__.c.thumb_name,
                                       MediaFile.__table__.c.is_private)).all()
        names = [(name, private) for stored, thumb, private in media
                 for name in (stored, thumb) if name]
        tables_now = _tables_of(conn)
        total, done = len(tables_now) + len(names), 0
        for table in tables_now:
            rows = _rows(conn, table)
            data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            zf.writestr(f"tables/{table.name}.json", data)
            tables[table.name] = {"rows": len(rows), "sha256": sha256(data)}
            done += 1
            if progress:
                progress(done, total)
        for name, private in names:
            try:
                data = path_for(state.upload_folder, name).read_bytes()
            except OSError:
                raise ArchiveError(f"файла {name} нет в папке загрузок "
                                   f"({state.upload_folder}): архив не сделан") from None
            packed = name.lower().endswith(PACKED)  # compressed already: stored as is
            zf.writestr(f"files/{name}", data, compress_type=zipfile.ZIP_STORED if packed
                        else zipfile.ZIP_DEFLATED)
            files[name] = {"size": len(data), "sha256": sha256(data),
                           "private": bool(private)}
            done += 1
            if progress:
                progress(done, total)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "school": app.config["MENTORING_SCHOOL_NAME"],
            "created_at": now_utc().isoformat() + "Z",
            "tables": tables, "files": files,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest
