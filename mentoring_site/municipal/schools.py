"""A list of schools as a TOML file, imported into the registry's list (``roster``).

    [[school]]
    name = "МБОУ «СОШ № 7»"
    url = "https://school7.example.ru/nastavnichestvo/"
    id = "school7"            # optional: the school's permanent name in the registry

The file is checked whole before anything is read from the network: a mistyped address
stops the start with a Russian message naming the file, the line and the school, instead
of turning into a silent gap in the registry. Only http(s) addresses are accepted: the
aggregator must never be pointed at ``file:`` or other schemes urllib would happily open.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from slugify import slugify

from ..compat import tomllib

KEYS = {"name", "url", "id"}
_ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})$")
_HEADER_RE = re.compile(r"^\s*\[\[\s*\"?school\"?\s*\]\]")
_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
MAX_NAME = 300
MAX_URL = 1000


class SchoolsFileError(ValueError):
    """The schools file cannot be used; the message (Russian) says where and why."""


@dataclass(frozen=True)
class School:
    """One school's section, as the office listed it."""

    key: str
    name: str
    url: str  # the section's address, ending with «/»
    position: int  # order in the file, from 0

    @property
    def api_url(self) -> str:
        return self.url + "api/v1/"

    @property
    def origin(self) -> tuple[str, str]:
        parts = urlsplit(self.url)
        return parts.scheme, parts.netloc

    def own_link(self, url: str | None) -> str | None:
        """``url`` when it points into the school's own site (http or https), else None.

        A school's API is outside the office's control: a link it sends to another site
        (a lookalike, an advert) must not become a link on the office's pages.
        """
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return None
        return url if (parts.hostname or "").lower() == urlsplit(self.url).hostname else None


def _school_lines(text: str) -> list[int]:
    """Line numbers (from 1) of the ``[[school]]`` headers, to name them in messages."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _HEADER_RE.match(line)]


def _key_line(text: str, start: int | None, key: str) -> int | None:
    """The line of ``key = …`` inside the school block starting at ``start``."""
    if start is None:
        return None
    lines = text.splitlines()
    for n in range(start, len(lines)):
        if _HEADER_RE.match(lines[n]):
            break
        if re.match(rf"^\s*\"?{key}\"?\s*=", lines[n]):
            return n + 1
    return start


def normalize_url(raw: str) -> str:
    """The section's address with its path ending in «/»; raises ValueError (Russian)."""
    url = raw.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"адрес раздела должен начинаться с http:// или https://, "
                         f"а указан {raw!r}")
    if len(url) > MAX_URL or any(c.isspace() or ord(c) < 32 for c in url):
        raise ValueError(f"адрес раздела содержит пробелы или слишком длинный: {raw!r}")
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"в адресе раздела нет имени сайта: {raw!r}")
    if parts.username or parts.password:
        raise ValueError("в адресе раздела не должно быть имени пользователя или пароля")
    if parts.query or parts.fragment:
        raise ValueError(f"адрес раздела указывается без «?» и «#»: {raw!r}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"в адресе раздела неверный порт: {raw!r}") from None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def derived_key(url: str) -> str:
    parts = urlsplit(url)
    return slugify(f"{parts.netloc} {parts.path}", max_length=100) or "school"


def parse_schools(text: str, source: str = "schools.toml") -> list[School]:
    """Schools from the file's text; SchoolsFileError names the line and the school."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = _TOML_POS_RE.search(str(exc))
        where = f", строка {pos.group(1)}, столбец {pos.group(2)}" if pos else ""
        detail = _TOML_POS_RE.sub("", str(exc)).strip()
        raise SchoolsFileError(
            f"{source}{where}: файл не читается как TOML ({detail}). Проверьте кавычки, «=» "
            "и заголовки [[school]]."
        ) from None
    unknown = sorted(set(data) - {"school"})
    if unknown:
        raise SchoolsFileError(
            f"{source}: неизвестный ключ «{unknown[0]}». Каждая школа описывается блоком "
            "[[school]] с ключами name и url."
        )
    entries = data.get("school")
    if not isinstance(entries, list) or not entries:
        raise SchoolsFileError(
            f"{source}: нет ни одной школы. Добавьте блок [[school]] с ключами name и url."
        )
    headers = _school_lines(text)
    schools: list[School] = []
    seen_keys: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    for i, entry in enumerate(entries):
        start = headers[i] if i < len(headers) and len(headers) == len(entries) else None

        def fail(message: str, key: str | None = None, *, _i=i, _start=start,
                 _entry=entry) -> SchoolsFileError:
            line = _key_line(text, _start, key) if key else _start
            name = _entry.get("name") if isinstance(_entry, dict) else None
            who = f"школа № {_i + 1}"
            if isinstance(name, str) and name.strip():
                who += f" ({name.strip()})"
            where = f", строка {line}" if line else ""
            return SchoolsFileError(f"{source}{where}, {who}: {message}")

        if not isinstance(entry, dict):
            raise fail("ожидался блок [[school]] с ключами name и url")
        extra = sorted(set(entry) - KEYS)
        if extra:
            raise fail(f"неизвестный ключ «{extra[0]}» (допустимы: id, name, url)", extra[0])
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail("не указано название школы (name = \"…\")", "name")
        if len(name.strip()) > MAX_NAME:
            raise fail(f"название длиннее {MAX_NAME} символов", "name")
        raw_url = entry.get("url")
        if not isinstance(raw_url, str) or not raw_url.strip():
            raise fail("не указан адрес раздела (url = \"https://…/nastavnichestvo/\")", "url")
        try:
            url = normalize_url(raw_url)
        except ValueError as exc:
            raise fail(str(exc), "url") from None
        key = entry.get("id")
        if key is None:
            key = derived_key(url)
        elif not isinstance(key, str) or not _ID_RE.match(key):
            raise fail("id должен состоять из латинских строчных букв, цифр и «-» "
                       f"(до 63 символов), а указан {key!r}", "id")
        if url in seen_urls:
            raise fail(f"этот адрес уже указан у школы № {seen_urls[url] + 1}", "url")
        if key in seen_keys:
            raise fail(f"id «{key}» уже есть у школы № {seen_keys[key] + 1}", "id")
        seen_keys[key] = seen_urls[url] = i
        schools.append(School(key=key, name=name.strip(), url=url, position=i))
    return schools


def load_schools(path: str | os.PathLike) -> list[School]:
    """Schools from the TOML file at ``path``."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise SchoolsFileError(f"Файл со списком школ не найден: {file}") from None
    except OSError as exc:
        raise SchoolsFileError(f"Файл со списком школ не читается: {file} ({exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SchoolsFileError(f"{file.name}: файл должен быть в кодировке UTF-8") from None
    return parse_schools(text, file.name)
