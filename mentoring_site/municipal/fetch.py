"""Reading one school's section API over HTTP: conditional GETs, limits, the ``next`` links.

Nothing here touches the database: ``read_school`` returns everything read (or raises),
so the caller can replace a school's rows only after all its pages were read and checked.
The client is urllib with only the http(s) handlers: no ``file:`` or ``ftp:``, redirects
only within the same site, a timeout on every socket operation, a deadline and a size limit
on every answer, and ``next`` links followed only inside the school's own API.
"""

from __future__ import annotations

import email.utils
import functools
import http.client
import json
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from . import shapes
from .schools import School
from .shapes import InvalidAnswer

USER_AGENT = "mentoring-site-municipal/1 (+https://pypi.org/project/mentoring-site/)"
class _Sourced(Protocol):
    @property
    def source_id(self) -> Any:
        """The record's id at the school: the pages of a list never give it twice."""


T = TypeVar("T", bound=_Sourced)


class Unreachable(OSError):
    """The school's server did not answer, or answered with a server error (Russian)."""


@dataclass(frozen=True)
class Cached:
    """An answer kept from the last read, and its validators."""

    etag: str | None
    last_modified: str | None
    body: str


@dataclass
class Answer:
    url: str
    etag: str | None
    last_modified: str | None
    body: str
    fresh: bool  # False: the server said 304 and the cached body stands
    data: Any = field(repr=False, default=None)


@dataclass
class SchoolRead:
    """Everything read from one school, all of it checked."""

    summary: shapes.Summary
    summary_last_modified: datetime | None
    mentors: list[shapes.Mentor]
    cases: list[shapes.Case]
    answers: dict[str, Answer]
    # Something differs from the cached answers: a server without validators answers 200
    # with the same bytes, and that is no change either.
    changed: bool = True


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same host (http → https allowed), never elsewhere."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = _origin(req.full_url), _origin(newurl)
        if new[0] not in ("http", "https") or new[1] != old[1]:
            raise InvalidAnswer(f"сервер перенаправляет на другой сайт: {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every read: loading the system's CA certificates costs tens of
    milliseconds (most of a cached school's read when each made its own); a context is
    safe to share between threads once configured."""
    return ssl.create_default_context()


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=_tls()),
        urllib.request.HTTPDefaultErrorHandler(),
        _SameSiteRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _refuse_constant(name: str) -> None:
    raise ValueError(f"значение {name} не допускается")


class Client:
    """GETs with validators; one per read (urllib openers are cheap, the TLS context shared).

    ``school_timeout`` bounds the whole read of one school, not only each answer: a school
    that answers every page just in time, page after page, would otherwise hold a worker
    for ``MUNICIPAL_MAX_PAGES`` × the answer's limit and stall a run over 1,000 schools.
    """

    def __init__(self, *, timeout: float, max_bytes: int, school_timeout: float | None = None):
        self.timeout, self.max_bytes = timeout, max_bytes
        self.school_timeout = school_timeout
        self.deadline = time.monotonic() + school_timeout if school_timeout else None
        self.opener = _opener()

    def _remaining(self) -> float:
        """Seconds left for this school; Unreachable once they are spent."""
        if self.deadline is None:
            return float("inf")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Unreachable(f"чтение раздела школы заняло дольше {self.school_timeout:g} с "
                              "(MUNICIPAL_SCHOOL_TIMEOUT)")
        return left

    def get(self, url: str, cached: Cached | None) -> Answer:
        socket_timeout = min(self.timeout, self._remaining())
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with self.opener.open(request, timeout=socket_timeout) as response:
                ctype = response.headers.get_content_type()
                body = self._read(response)
                etag = response.headers.get("ETag")
                modified = response.headers.get("Last-Modified")
        except urllib.error.HTTPError as exc:
            try:
                return self._error(url, exc, cached)
            finally:
                if exc.fp is not None:
                    exc.close()
        except (InvalidAnswer, Unreachable):
            raise
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            self._remaining()  # the socket gave up because the school's time was spent
            raise Unreachable(_network_message(exc)) from None
        if ctype != "application/json":
            raise InvalidAnswer(f"{_short(url)}: ответ не JSON (Content-Type: {ctype}); "
                                "проверьте адрес раздела")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidAnswer(f"{_short(url)}: ответ не в кодировке UTF-8") from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise InvalidAnswer(f"{_short(url)}: ответ не читается как JSON (строка "
                                f"{exc.lineno}, столбец {exc.colno})") from None
        except (ValueError, RecursionError) as exc:
            raise InvalidAnswer(f"{_short(url)}: ответ не читается как JSON ({exc})") from None
        return Answer(url, etag, modified, text, fresh=True, data=data)

    def _read(self, response) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise InvalidAnswer(f"ответ больше {self.max_bytes // (1024 * 1024)} МБ")
        deadline = time.monotonic() + self.timeout * 4
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(64 * 1024)
            if not chunk:
                # http.client ends a short body quietly; a cut answer is not a whole one.
                if declared and declared.isdigit() and size < int(declared):
                    raise Unreachable("соединение оборвалось посреди ответа")
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise InvalidAnswer(f"ответ больше {self.max_bytes // (1024 * 1024)} МБ")
            if time.monotonic() > deadline:
                self._remaining()  # the school's own limit, named as such, if that is spent
                raise Unreachable(f"ответ идёт дольше {int(self.timeout * 4)} с")
            chunks.append(chunk)

    @staticmethod
    def _error(url: str, exc: urllib.error.HTTPError, cached: Cached | None) -> Answer:
        if exc.code == 304:
            if cached is None:
                raise InvalidAnswer(f"{_short(url)}: ответ 304 на запрос без условий")
            try:
                data = json.loads(cached.body)
            except ValueError:  # pragma: no cover - only checked bodies are stored
                raise InvalidAnswer(f"{_short(url)}: сохранённый ответ повреждён") from None
            return Answer(url, exc.headers.get("ETag") or cached.etag,
                          exc.headers.get("Last-Modified") or cached.last_modified,
                          cached.body, fresh=False, data=data)
        if exc.code >= 500:
            raise Unreachable(f"{_short(url)}: ошибка сервера школы (HTTP {exc.code})")
        hint = " — проверьте адрес раздела в списке школ" if exc.code == 404 else ""
        raise InvalidAnswer(f"{_short(url)}: ответ HTTP {exc.code}{hint}")


def _short(url: str) -> str:
    parts = urlsplit(url)
    tail = parts.path.rsplit("/", 1)[-1] or "api/v1"
    return tail + (f"?{parts.query}" if parts.query else "")


def _network_message(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ssl.SSLError):
        return f"ошибка защищённого соединения (TLS): {reason}"
    if isinstance(reason, TimeoutError):
        return "сервер школы не ответил вовремя"
    if isinstance(reason, ConnectionRefusedError):
        return "сервер школы не принимает соединения"
    if isinstance(reason, http.client.IncompleteRead | ConnectionResetError |
                  http.client.RemoteDisconnected):
        return "соединение оборвалось посреди ответа"
    return f"не удалось получить ответ: {reason}"


def http_date(value: str | None) -> datetime | None:
    """A Last-Modified header as naive UTC, or None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        return parsed
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def _collect(school: School, client: Client, cache: dict[str, Cached],
             answers: dict[str, Answer], per_page: int, max_pages: int, *, name: str,
             item: Callable[[Any, str], T]) -> list[T]:
    """All pages of one collection, following ``links.next`` within the school's API."""
    first = f"{school.api_url}{name}?per_page={per_page}"
    path = urlsplit(first).path
    url: str | None = first
    results: list[T] = []
    seen_ids: set[int] = set()
    number = 0
    while url is not None:
        number += 1
        if url in answers or number > max_pages:
            raise InvalidAnswer(f"{name}: ссылки «next» зацикливаются или страниц больше "
                                f"{max_pages}")
        answer = client.get(url, cache.get(url))
        answers[url] = answer
        page = shapes.envelope(answer.data, f"{name}, страница {number}")
        for i, raw in enumerate(page.items, 1):
            record = item(raw, f"{name}, страница {number}, запись {i}")
            if record.source_id not in seen_ids:
                seen_ids.add(record.source_id)
                results.append(record)
        url = page.next
        if url is not None and (
            _origin(url) != _origin(school.url) or urlsplit(url).path != path
        ):
            raise InvalidAnswer(
                f"{name}: ссылка на следующую страницу ведёт не в API раздела {school.url} "
                f"({url[:200]}); проверьте адрес в списке школ и MENTORING_SITE_URL школы"
            )
    return results


def read_school(school: School, cache: dict[str, Cached], *, timeout: float,
                max_bytes: int, per_page: int, max_pages: int,
                school_timeout: float | None = None) -> SchoolRead:
    """Read and check the summary, the mentors and the cases of one school.

    Raises ``Unreachable`` or ``InvalidAnswer``; returns only when every page was read,
    within ``school_timeout`` seconds in all (None: no limit but each answer's).
    """
    client = Client(timeout=timeout, max_bytes=max_bytes, school_timeout=school_timeout)
    answers: dict[str, Answer] = {}
    summary_url = school.api_url + "summary"
    answer = client.get(summary_url, cache.get(summary_url))
    answers[summary_url] = answer
    summary = shapes.summary(answer.data)
    args = (school, client, cache, answers, per_page, max_pages)
    mentors = _collect(*args, name="mentors", item=shapes.mentor)
    cases = _collect(*args, name="cases", item=shapes.case)
    changed = set(answers) != set(cache) or any(
        a.fresh and a.body != cache[url].body for url, a in answers.items()
    )
    return SchoolRead(summary=summary, summary_last_modified=http_date(answer.last_modified),
                      mentors=mentors, cases=cases, answers=answers, changed=changed)
