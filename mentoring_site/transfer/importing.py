"""``flask mentoring import FILE.zip``: an archive into an empty section, all or nothing.

Order of work, so that a refusal changes nothing:
1. the archive is checked whole (``archive``: names, sizes, manifest, every table's rows
   against the columns, every file's checksum) — nothing is written before this ends;
2. the target must be an empty section (no content, person, programme or account: only
   what the migrations seed);
3. the database is taken to the archive's schema revision (the target is empty, so going
   down loses nothing), the archive's rows replace every table in one transaction, and
   the database is upgraded to this version's head, migrating the data forward;
4. the files are written (each atomically) after the commit; one that fails removes what
   this import wrote and its rows again.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from .. import datastamp
from ..db import VERSION_TABLE
from ..media.storage import path_for, write_atomic
from ..migrate import alembic_config, current_revision, downgrade, upgrade
from ..models import (
    Account,
    Case,
    Document,
    Material,
    MediaFile,
    NewsItem,
    Page,
    Person,
    Program,
)
from .archive import (
    ArchiveError,
    _members,
    check_parts,
    read_manifest,
    read_member,
    sha256,
    table_rows,
)
from .exporting import our_tables

#: What makes a section not empty: anything a person typed or uploaded.
CONTENT = (Account, Person, Program, Document, Material, NewsItem, Case, Page)


@dataclass
class ImportPlan:
    """What an archive holds (``--dry-run`` prints it)."""

    school: str
    created_at: str
    schema_revision: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    private_files: int = 0

    def lines(self) -> list[str]:
        out = [f"Раздел: {self.school}", f"Архив сделан: {self.created_at}",
               f"Ревизия схемы: {self.schema_revision}",
               f"Файлов: {self.files} (из них закрытых: {self.private_files})"]
        out += [f"  {name}: {count}" for name, count in self.rows.items() if count]
        return out


def _known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory  # an import is rare; serving never needs it

    script = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in script.walk_revisions()]


def _read(path: Path) -> tuple[ImportPlan, dict[str, list[dict]], dict[str, bytes]]:
    """Everything in the archive, checked; raises ArchiveError."""
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"файл {path} не найден") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveError("файл не является ZIP-архивом или повреждён") from None
    with zf:
        try:
            members = _members(zf)
            manifest = read_manifest(zf, members)
            if manifest.schema_revision not in _known_revisions():
                raise ArchiveError(
                    f"архив сделан с ревизией схемы {manifest.schema_revision[:40]!r}, которой эта "
                    "версия пакета не знает (архив новее): обновите пакет")
            tables = {t.name: t for t in our_tables()}
            unknown = sorted(set(manifest.tables) - set(tables))
            if unknown:
                raise ArchiveError(f"в архиве неизвестная таблица {unknown[0][:60]!r}")
            check_parts(manifest, members)
            rows = {name: table_rows(zf, members, tables[name], entry)
                    for name, entry in manifest.tables.items()}
            files = {}
            for name, entry in manifest.files.items():
                path_for(Path("."), name)  # the storage's own name check
                data = read_member(zf, members[f"files/{name}"])
                if sha256(data) != entry["sha256"]:
                    raise ArchiveError(f"файл {name!r}: контрольная сумма не совпадает")
                files[name] = data
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise ArchiveError(f"архив повреждён: {exc}") from None
        except ValueError as exc:
            if isinstance(exc, ArchiveError):
                raise
            raise ArchiveError(f"архив повреждён: {exc}") from None
    plan = ImportPlan(manifest.school, manifest.created_at, manifest.schema_revision,
                      rows={n: len(r) for n, r in rows.items()}, files=len(files),
                      private_files=sum(1 for e in manifest.files.values() if e["private"]))
    return plan, rows, files


def _check_empty(conn: sa.Connection) -> None:
    for model in CONTENT:
        if conn.scalar(sa.select(sa.func.count()).select_from(model.__table__)):
            raise ArchiveError(
                "раздел не пустой (в нём уже есть записи): архив загружается только в пустой "
                "раздел — создайте новую базу и выполните flask mentoring upgrade")


def _reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: the next id after the imported ones."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement:
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"))


def _stored_names(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        table = MediaFile.__table__
        return {n for pair in conn.execute(sa.select(table.c.stored_name, table.c.thumb_name))
                for n in pair if n}


def import_section(app: Flask, archive: str | os.PathLike, *, dry_run: bool = False,
                   replace: bool = False,
                   progress: Callable[[str], None] | None = None) -> ImportPlan:
    """Check the archive and (unless ``dry_run``) load it into this empty section.

    ``replace`` (``flask mentoring restore``): the section need not be empty; its rows are
    replaced in the same transaction and its files no longer recorded are removed after.
    """
    plan, rows, files = _read(Path(archive))
    if dry_run:
        return plan
    state = app.extensions["mentoring"]
    head = current_revision(app)
    if head is None:
        raise ArchiveError("база раздела не создана: выполните flask mentoring upgrade")
    old_files = _stored_names(state.engine) if replace else set()
    if not replace:
        with state.engine.connect() as conn:
            _check_empty(conn)
        existing = [n for n in files if path_for(state.upload_folder, n).exists()]
        if existing:
            raise ArchiveError(f"в папке загрузок уже есть файл {existing[0]}: загрузка в "
                               "пустой раздел с пустой папкой загрузок")
    moved = plan.schema_revision != head
    if moved:
        downgrade(app, plan.schema_revision)
    try:
        _load(state.engine, rows, progress)
    except sa.exc.IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0][:200]
        raise ArchiveError(f"данные архива противоречат друг другу ({detail})") from None
    except sa.exc.DBAPIError as exc:
        detail = str(exc.orig).splitlines()[0][:200]
        raise ArchiveError(f"база не приняла данные архива ({detail})") from None
    finally:
        if moved:
            upgrade(app)
    written: list[Path] = []
    try:
        for name, data in files.items():
            written.append(write_atomic(state.upload_folder, name, data))
            if progress:
                progress(f"файл {name}")
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        _empty_tables(state.engine)
        raise ArchiveError(f"не удалось записать файлы в папку загрузок: {exc}") from None
    for name in old_files - set(files):  # the replaced section's files nothing records now
        path_for(state.upload_folder, name).unlink(missing_ok=True)
    return plan


def _tables_at_revision(conn: sa.Connection) -> list[sa.Table]:
    """Our tables as the database has them now (reflected: at the archive's revision they
    may lack a later column, and a model's Python defaults must not be sent for it)."""
    present = set(sa.inspect(conn).get_table_names())
    reflected = sa.MetaData()
    return [sa.Table(t.name, reflected, autoload_with=conn)
            for t in our_tables() if t.name in present]


def _load(engine: sa.Engine, rows: dict[str, list[dict]],
          progress: Callable[[str], None] | None) -> None:
    with engine.connect().execution_options(mentoring_write=True) as conn, conn.begin():
        tables = _tables_at_revision(conn)
        missing = sorted(set(rows) - {t.name for t in tables})
        if missing:
            raise ArchiveError(f"таблицы {missing[0]} нет в схеме ревизии архива")
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            batch = rows.get(table.name, [])
            if batch:
                columns = {c.name for c in table.columns}
                conn.execute(table.insert(), [{k: v for k, v in r.items() if k in columns}
                                              for r in batch])
            if progress:
                progress(f"таблица {table.name}: {len(batch)}")
        _reset_sequences(conn, tables)
        if sa.inspect(conn).has_table(datastamp.TABLE_NAME):  # from 0014 on
            datastamp.bump(conn)  # every page cached before the import is out of date


def _empty_tables(engine: sa.Engine) -> None:
    with engine.connect().execution_options(mentoring_write=True) as conn, conn.begin():
        for table in reversed(_tables_at_revision(conn)):
            if table.name != VERSION_TABLE:
                conn.execute(table.delete())
        if sa.inspect(conn).has_table(datastamp.TABLE_NAME):
            datastamp.bump(conn)
