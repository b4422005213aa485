"""The MUNICIPAL_* settings: one table of defaults, checked once at start-up.

The municipal registry has its own prefix, not ``MENTORING_``: an office site may also run
a section of its own, and the section refuses ``MENTORING_*`` keys it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..config import ConfigError, check_positive_int, check_str, check_timezone

PREFIX = "MUNICIPAL_"

#: Every setting with its default. ``None`` means "derived at init_app" (see comments).
DEFAULTS: dict[str, Any] = {
    # A TOML file listing schools (name and address of each), imported into an empty list
    # by ``flask mentoring aggregate``; afterwards the list is kept in the office's admin.
    "MUNICIPAL_SCHOOLS_FILE": None,
    # Where the registry lives in the site's URL space ("" — at the root of its own site).
    "MUNICIPAL_URL_PREFIX": "/reestr-nastavnichestva",
    # A template of the office's site the pages extend (blocks title, head, content).
    # None: the registry's own full-page layout.
    "MUNICIPAL_BASE_TEMPLATE": None,
    # The heading of the registry and the name in <title>.
    "MUNICIPAL_TITLE": "Муниципальный реестр наставничества",
    # Who keeps the registry, shown in the header and footer.
    "MUNICIPAL_OFFICE_NAME": "МКУ «Управление образования»",
    # Seconds to wait for a school's server (connect and each read).
    "MUNICIPAL_TIMEOUT": 15,
    # Seconds one school's whole read may take (every page of it), so one slow school
    # cannot hold a worker for long; then it is «недоступен» and its earlier data stays.
    "MUNICIPAL_SCHOOL_TIMEOUT": 120,
    # Largest answer accepted from a school's API, in bytes.
    "MUNICIPAL_MAX_ANSWER_BYTES": 10 * 1024 * 1024,
    # Items asked for per API page (the API allows up to 100).
    "MUNICIPAL_API_PER_PAGE": 100,
    # Most pages read from one collection of one school (a guard against a looping API).
    "MUNICIPAL_MAX_PAGES": 200,
    # Schools read at the same time by ``flask mentoring aggregate``.
    "MUNICIPAL_WORKERS": 4,
    # Rows per page of the registry's tables (the CSV always has all of them).
    "MUNICIPAL_PER_PAGE": 50,
    # The office's time zone, for the dates the pages show.
    "MUNICIPAL_TIMEZONE": "Europe/Moscow",
    # Content-Security-Policy of the registry's pages ("" — do not send).
    "MUNICIPAL_CONTENT_SECURITY_POLICY": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    ),
    # Referrer-Policy of the registry's pages.
    "MUNICIPAL_REFERRER_POLICY": "strict-origin-when-cross-origin",
    # The League's API (applications sent from the schools' sections): the largest body
    # accepted, in bytes, and the requests accepted from one address in an hour.
    "MUNICIPAL_LEAGUE_API_MAX_BYTES": 16 * 1024,
    "MUNICIPAL_LEAGUE_API_LIMIT": 30,
}

_PREFIX_RE = re.compile(r"^((/[a-z0-9._~-]+)+)?$")
_INTS = ("MUNICIPAL_TIMEOUT", "MUNICIPAL_SCHOOL_TIMEOUT", "MUNICIPAL_MAX_ANSWER_BYTES",
         "MUNICIPAL_API_PER_PAGE", "MUNICIPAL_MAX_PAGES", "MUNICIPAL_WORKERS",
         "MUNICIPAL_PER_PAGE", "MUNICIPAL_LEAGUE_API_MAX_BYTES", "MUNICIPAL_LEAGUE_API_LIMIT")


def validate(config: Mapping[str, Any]) -> None:
    """Raise ConfigError naming the first bad MUNICIPAL_* key."""
    if "MUNICIPAL_DATABASE_URI" in config:
        raise ConfigError("MUNICIPAL_DATABASE_URI больше не используется: реестр хранится в базе "
                          "раздела (MENTORING_DATABASE_URI); уберите эту настройку")
    unknown = sorted(k for k in config if k.startswith(PREFIX) and k not in DEFAULTS)
    if unknown:
        raise ConfigError(
            f"Неизвестная настройка {unknown[0]}. Допустимые: {', '.join(sorted(DEFAULTS))}"
        )
    schools = config["MUNICIPAL_SCHOOLS_FILE"]
    if schools is not None and not isinstance(schools, str | bytes) \
            and not hasattr(schools, "__fspath__"):
        raise ConfigError(f"MUNICIPAL_SCHOOLS_FILE должен быть путём к файлу, а получено "
                          f"{schools!r}")
    prefix = config["MUNICIPAL_URL_PREFIX"]
    if not isinstance(prefix, str) or not _PREFIX_RE.match(prefix):
        raise ConfigError(
            "MUNICIPAL_URL_PREFIX должен быть пустым или начинаться с «/», не заканчиваться "
            f"«/» и состоять из латинских строчных букв, цифр и «-»: получено {prefix!r}"
        )
    check_str("MUNICIPAL_BASE_TEMPLATE", config["MUNICIPAL_BASE_TEMPLATE"], optional=True)
    for key in ("MUNICIPAL_TITLE", "MUNICIPAL_OFFICE_NAME", "MUNICIPAL_REFERRER_POLICY"):
        check_str(key, config[key])
    for key in _INTS:
        check_positive_int(key, config[key])
    if config["MUNICIPAL_API_PER_PAGE"] > 100:
        raise ConfigError("MUNICIPAL_API_PER_PAGE не может быть больше 100 (предел API раздела)")
    if not isinstance(config["MUNICIPAL_CONTENT_SECURITY_POLICY"], str):
        raise ConfigError("MUNICIPAL_CONTENT_SECURITY_POLICY должен быть строкой (\"\" — без CSP)")
    check_timezone("MUNICIPAL_TIMEZONE", config["MUNICIPAL_TIMEZONE"])


def apply_defaults(config: dict[str, Any]) -> None:
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)
