"""The archive's format, and the checks an archive must pass before anything is imported.

    manifest.json          format, schema revision, school, when, tables and files
    tables/<table>.json    a JSON list of rows (objects column → value), ordered by key
    files/<stored name>    every stored file, private ones too (the manifest marks them)

Every value is JSON: moments and dates as ISO 8601 text (naive UTC, as stored), JSON
columns as they are. The manifest carries each table's row count and SHA-256 and each
file's size and SHA-256: an archive whose parts do not match it is refused.

The checks treat the archive as hostile: names (no absolute path, no «..», no backslash,
no links, no duplicates, only the layout above), sizes (members, the total, the ratio of
unpacked to packed bytes), the JSON, the counts and checksums, unknown tables, a newer
format or schema revision. Each refusal is one line in Russian (``ArchiveError``).
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

FORMAT = "mentoring-site-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # one table or file
MAX_TOTAL_BYTES = 20 * 1024 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed, per member (a zip bomb is thousands)
_TABLE_RE = re.compile(r"^tables/(mentoring_[a-z0-9_]{1,60})\.json$")
_FILE_RE = re.compile(r"^files/([A-Za-z0-9][A-Za-z0-9._-]{0,79})$")


class ArchiveError(ValueError):
    """The archive cannot be used; the message (Russian, one line) says why."""


@dataclass(frozen=True)
class Manifest:
    schema_revision: str
    school: str
    created_at: str
    tables: dict[str, dict[str, Any]]  # name -> {"rows": n, "sha256": hex}
    files: dict[str, dict[str, Any]]  # stored name -> {"size", "sha256", "private"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- values --------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A column's value as JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def decoder(column: sa.Column) -> Any:
    """The function turning a JSON value back into the column's Python type."""
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _check_type(column: sa.Column, value: Any, where: str) -> None:
    """Refuse a value of the wrong JSON type before the database sees it."""
    if value is None:
        if not column.nullable and not column.primary_key:
            raise ArchiveError(f"{where}: в поле «{column.name}» пусто, а оно обязательно")
        return
    kind = column.type
    ok: bool
    if isinstance(kind, sa.Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, sa.Integer):
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
    elif isinstance(kind, sa.DateTime | sa.Date):
        ok = isinstance(value, str)
        if ok:
            try:
                decoder(column)(value)
            except ValueError:
                ok = False
    elif isinstance(kind, sa.JSON):
        ok = True
    elif isinstance(kind, sa.String | sa.Text | sa.Enum):
        ok = isinstance(value, str)
        length = getattr(kind, "length", None)
        if ok and length and len(value) > length:
            raise ArchiveError(f"{where}: значение поля «{column.name}» длиннее {length} "
                               "символов")
    else:  # pragma: no cover - every column type of ours is listed above
        ok = True
    if not ok:
        raise ArchiveError(f"{where}: неверный тип значения в поле «{column.name}»")


# -- reading an archive --------------------------------------------------------------------


def _members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"в архиве больше {MAX_MEMBERS} файлов")
    seen: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if (name.startswith("/") or "\\" in name or ".." in name.split("/")
                or re.match(r"^[A-Za-z]:", name) or "\x00" in name):
            raise ArchiveError(f"недопустимое имя файла в архиве: {name[:100]!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"в архиве ссылка вместо файла: {name[:100]!r}")
        if name in seen:
            raise ArchiveError(f"файл {name[:100]!r} встречается в архиве дважды")
        if name != MANIFEST and not (_TABLE_RE.match(name) or _FILE_RE.match(name)):
            raise ArchiveError(f"в архиве посторонний файл: {name[:100]!r}")
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiveError(f"файл {name[:100]!r} в архиве слишком велик")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise ArchiveError(f"файл {name[:100]!r} сжат подозрительно сильно (похоже на "
                               "«zip-бомбу»)")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError("архив в распакованном виде слишком велик")
        seen[name] = info
    return seen


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than it declares (a lying header is caught here)."""
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise ArchiveError(f"файл {info.filename[:100]!r} в архиве повреждён (размер)")
    return data


def _json(data: bytes, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"),
                          parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ArchiveError(f"{where}: не читается как JSON") from None


def read_manifest(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> Manifest:
    if MANIFEST not in members:
        raise ArchiveError("это не архив раздела: в нём нет manifest.json")
    raw = _json(read_member(zf, members[MANIFEST]), MANIFEST)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ArchiveError("это не архив раздела «Наставничество» (manifest.json другого вида)")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ArchiveError("manifest.json: не указана версия формата")
    if version > FORMAT_VERSION:
        raise ArchiveError(f"архив сделан более новой версией пакета (формат {version}, "
                           f"эта версия читает до {FORMAT_VERSION}): обновите пакет")
    tables, files = raw.get("tables"), raw.get("files")
    revision, school, created = (raw.get("schema_revision"), raw.get("school"),
                                 raw.get("created_at"))
    if not (isinstance(tables, dict) and isinstance(files, dict) and isinstance(revision, str)
            and isinstance(school, str) and isinstance(created, str)):
        raise ArchiveError("manifest.json: не хватает сведений (таблицы, файлы, ревизия схемы)")
    for name, entry in tables.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("rows"), int)
                and isinstance(entry.get("sha256"), str)):
            raise ArchiveError(f"manifest.json: неверное описание таблицы {str(name)[:60]!r}")
    for name, entry in files.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("size"), int)
                and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("private"), bool)):
            raise ArchiveError(f"manifest.json: неверное описание файла {str(name)[:60]!r}")
    return Manifest(revision, school, created, tables, files)


def check_parts(manifest: Manifest, members: dict[str, zipfile.ZipInfo]) -> None:
    """Every table and file the manifest names is there, and nothing else."""
    listed = {f"tables/{t}.json" for t in manifest.tables} | {f"files/{f}"
                                                              for f in manifest.files}
    present = set(members) - {MANIFEST}
    missing, extra = sorted(listed - present), sorted(present - listed)
    if missing:
        raise ArchiveError(f"в архиве не хватает {missing[0]!r} (он указан в manifest.json)")
    if extra:
        raise ArchiveError(f"в архиве есть {extra[0]!r}, которого нет в manifest.json")
    for name, entry in manifest.files.items():
        if members[f"files/{name}"].file_size != entry["size"]:
            raise ArchiveError(f"файл {name!r}: размер не совпадает с manifest.json")


def table_rows(zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], table: sa.Table,
               entry: dict[str, Any]) -> list[dict[str, Any]]:
    """A table's rows, checked against the manifest and the table's columns."""
    where = f"таблица {table.name}"
    data = read_member(zf, members[f"tables/{table.name}.json"])
    if sha256(data) != entry["sha256"]:
        raise ArchiveError(f"{where}: контрольная сумма не совпадает с manifest.json")
    rows = _json(data, where)
    if not isinstance(rows, list) or len(rows) != entry["rows"]:
        raise ArchiveError(f"{where}: число строк не совпадает с manifest.json")
    columns = {c.name: c for c in table.columns}
    decoded = []
    for n, row in enumerate(rows, 1):
        here = f"{where}, строка {n}"
        if not isinstance(row, dict):
            raise ArchiveError(f"{here}: ожидался объект JSON")
        unknown = sorted(set(row) - set(columns))
        if unknown:
            raise ArchiveError(f"{here}: неизвестное поле «{unknown[0][:60]}»")
        for name, column in columns.items():
            if name not in row and column.server_default is not None:
                continue  # added after the archive's revision: its migration fills it in
            _check_type(column, row.get(name), here)
        decoded.append({name: decoder(columns[name])(value) for name, value in row.items()})
    return decoded
