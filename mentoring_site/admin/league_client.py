"""Talking to the municipal office's League API from a school's section (urllib only).

Only http(s) addresses (checked at start-up by ``config.check_office`` and again here),
a timeout, redirects refused (a POST must not be re-sent somewhere else with the key), and
at most ``MAX_ANSWER`` bytes of the office's answer read. Every failure becomes an
``OfficeError`` with a Russian message the curator can act on.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

TIMEOUT = 15
MAX_ANSWER = 64 * 1024
DIRECTIONS = "api/liga/napravleniya"
APPLICATIONS = "api/liga/zayavki"


class OfficeError(Exception):
    """The office could not be asked or refused; ``str()`` is the Russian message."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise OfficeError(f"Сайт управления перенаправляет запрос ({code}) на {newurl}: "
                          "проверьте адрес MENTORING_OFFICE_URL.")


_OPENER = urllib.request.build_opener(_NoRedirect)


def _url(office: str, path: str) -> str:
    base = office if office.endswith("/") else office + "/"
    url = urljoin(base, path)
    if urlsplit(url).scheme not in ("http", "https"):
        raise OfficeError("Адрес управления должен начинаться с http:// или https://.")
    return url


def _read(response) -> dict[str, Any]:
    body = response.read(MAX_ANSWER + 1)
    if len(body) > MAX_ANSWER:
        raise OfficeError("Ответ сайта управления слишком большой.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise OfficeError("Сайт управления ответил не в формате JSON: проверьте адрес "
                          "MENTORING_OFFICE_URL.") from None
    if not isinstance(data, dict):
        raise OfficeError("Сайт управления ответил в неожиданном формате.")
    return data


def _open(request: urllib.request.Request) -> dict[str, Any]:
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            return _read(response)
    except urllib.error.HTTPError as exc:
        try:
            said = _read(exc).get("error")
        except OfficeError:
            said = None
        finally:
            exc.close()
        raise OfficeError(f"Управление не приняло запрос ({exc.code}): "
                          f"{said if isinstance(said, str) else exc.reason}") from None
    except urllib.error.URLError as exc:
        raise OfficeError(f"Сайт управления недоступен: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise OfficeError(f"Сайт управления не ответил вовремя: {exc}") from None


def directions(office: str) -> list[str]:
    """The directions the office offers (its public list)."""
    data = _open(urllib.request.Request(_url(office, DIRECTIONS),
                                        headers={"Accept": "application/json"}))
    items = data.get("items")
    if not isinstance(items, list):
        raise OfficeError("Сайт управления не прислал список направлений.")
    return [i["name"] for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)]


@dataclass(frozen=True)
class Answer:
    message: str
    state_label: str


def send(office: str, token: str, payload: dict[str, Any]) -> Answer:
    """POST the application; the office's answer, or OfficeError with its message."""
    request = urllib.request.Request(
        _url(office, APPLICATIONS), method="POST",
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}"})
    data = _open(request)
    found = data.get("application")
    application: dict[str, Any] = found if isinstance(found, dict) else {}
    return Answer(message=str(data.get("message") or "Заявка отправлена."),
                  state_label=str(application.get("state_label") or ""))
