"""The MENTORING_* settings: one table of defaults, checked once at start-up.

A wrong value stops the host app at ``init_app`` with a message naming the key,
so a typo in a school's config never turns into a half-working section.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from . import csp

PREFIX = "MENTORING_"

#: Every setting with its default. ``None`` means "derived at init_app" (see comments).
DEFAULTS: dict[str, Any] = {
    # Where the section lives in the host's URL space.
    "MENTORING_URL_PREFIX": "/nastavnichestvo",
    # Database URL for our tables. None: the host's Flask-SQLAlchemy engine if the host has one,
    # else an SQLite file ``mentoring.sqlite`` in the app's instance folder.
    "MENTORING_DATABASE_URI": None,
    # A host template our pages extend (must define blocks ``title`` and ``content``; ``head``
    # is used when present). None: the theme's own full-page layout.
    "MENTORING_BASE_TEMPLATE": None,
    # A theme name from the shipped ``themes/`` folder, or a path to a folder of the host's own.
    "MENTORING_THEME": "default",
    # The school's name as the section shows it.
    "MENTORING_SCHOOL_NAME": "Образовательная организация",
    # Where uploaded files are kept. None: ``<instance folder>/mentoring-uploads``.
    "MENTORING_UPLOAD_FOLDER": None,
    # callable(user) -> bool deciding who may edit, for hosts with their own Flask-Login users.
    # None: the section's own curator accounts.
    "MENTORING_CURATOR_CHECK": None,
    # Absolute address of the host site, e.g. "https://school7.example.ru". Absolute URLs
    # (feeds, sitemap, share cards) are built from it, never from the request's Host header.
    "MENTORING_SITE_URL": None,
    # The municipal office's registry (e.g. "https://uo.example.ru/"), for two things, each
    # with its own setting beside it: this school's id in the office's registry
    # (MENTORING_OFFICE_SCHOOL_ID: the programmes page shows the school's management-mentoring
    # programmes the office publishes) and the key the office gave it
    # (MENTORING_OFFICE_TOKEN: the admin's «Заявка в Лигу менторов» sends there).
    "MENTORING_OFFICE_URL": None,
    "MENTORING_OFFICE_SCHOOL_ID": None,
    "MENTORING_OFFICE_TOKEN": None,
    # Hosts accepted when MENTORING_SITE_URL is not set; the first is used for absolute URLs.
    "MENTORING_TRUSTED_HOSTS": ("localhost", "127.0.0.1"),
    # Reverse proxies in front of the site (nginx: 1). Their X-Forwarded-For, -Proto and -Host
    # are believed for that many hops (werkzeug's ProxyFix around the whole app, unless the
    # host wrapped it already); 0: the headers are ignored, a visitor could forge them.
    "MENTORING_TRUSTED_PROXIES": 0,
    # Items per page on every public list.
    "MENTORING_PER_PAGE": 12,
    # Addresses per sitemap file: beyond, sitemap.xml becomes an index of parts
    # (sitemaps.org allows 50,000 a file; smaller parts are cheaper to build).
    "MENTORING_SITEMAP_URLS_PER_FILE": 5000,
    # Largest uploaded document, in bytes (15 MB: the limit school sites follow).
    "MENTORING_MAX_DOCUMENT_BYTES": 15 * 1024 * 1024,
    # Largest uploaded image, in bytes.
    "MENTORING_MAX_IMAGE_BYTES": 10 * 1024 * 1024,
    # Content-Security-Policy of our pages (frame-ancestors is added from the next key).
    # A host whose base template loads scripts or fonts from elsewhere widens it here;
    # "" switches the header off.
    "MENTORING_CONTENT_SECURITY_POLICY": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    ),
    # Sources added, per directive, to that policy on the pages shown in the host's layout
    # (MENTORING_BASE_TEMPLATE): {"style-src": ["https://cdn.example.ru"], "script-src":
    # ["'unsafe-inline'"]}. The admin keeps the strict policy. None: nothing added.
    "MENTORING_CSP_EXTRA": None,
    # Content-Security-Policy frame-ancestors for our pages ("'self'" or a list of origins).
    "MENTORING_FRAME_ANCESTORS": "'self'",
    # gzip the section's text answers (pages, JSON, feeds, CSV) for clients that accept it.
    # False: leave compression to the web server (nginx «gzip on»).
    "MENTORING_COMPRESS": True,
    # Where compiled templates are kept between worker starts (mentoring_site/template_code.py):
    # True, ``<instance folder>/mentoring-templates``; a folder's path; False, nowhere (each
    # worker compiles the templates it shows). Ignored where the host has set a Jinja
    # bytecode cache of its own.
    "MENTORING_TEMPLATE_CACHE": True,
    # The response cache of public answers (pages, open data, the office's registry pages):
    # True keeps them in each worker's memory (MENTORING_RESPONSE_CACHE_BYTES at most);
    # a host's cache object with get(key) and set(key, value) (Flask-Caching's Cache, e.g.
    # over Redis) shares them between workers; False keeps nothing.
    "MENTORING_RESPONSE_CACHE": True,
    # The cached answers replayed before Flask (a WSGI middleware: a few times cheaper than
    # Flask's request cycle), as they were last sent. A replay skips the host's own app-wide
    # before_request and url_value_preprocessor functions, so None (auto) turns it on only
    # for a host that has none (checked at the first request, said once in the log);
    # True: on whatever the host has; False: off (every answer goes through Flask).
    "MENTORING_RESPONSE_CACHE_WSGI": None,
    # Memory the in-process response cache may use per app, in bytes.
    "MENTORING_RESPONSE_CACHE_BYTES": 32 * 1024 * 1024,
    # Seconds a shared cache (the school's nginx) may answer with its copy of a public page or
    # open data before asking again (Cache-Control s-maxage; browsers always ask). A withdrawn
    # consent leaves every such cache within this time. 0: «no-cache», every cache asks.
    "MENTORING_SHARED_CACHE_SECONDS": 10,
    # Referrer-Policy for our pages.
    "MENTORING_REFERRER_POLICY": "strict-origin-when-cross-origin",
    # The IANA time zone of the school: "today" for publication rules is taken there.
    "MENTORING_TIMEZONE": "Europe/Moscow",
    # The section's own version for the visually impaired (a link and a settings panel on every
    # page, choices kept in a cookie). False for a host that has its own: then our pages carry
    # no such link, classes or styles.
    "MENTORING_ACCESSIBILITY_PANEL": True,
    # The page «Школа наставничества» (``…/shkola-nastavnichestva/``): the section's events
    # for mentors and its materials for them, in the menu. A municipal office's platform
    # (roadmap 9.1–10.1): the office's own site turns it on; a school's section leaves it off.
    "MENTORING_MENTOR_SCHOOL": False,
    # A folder of the school's own report templates (DOCX with docxtpl tags): a file named
    # ``spravka-otchet.docx`` or ``analiticheskij-otchet.docx`` there replaces the built-in
    # document and receives the same context (README, «Отчёты»). None: built-in documents.
    "MENTORING_REPORT_TEMPLATES": None,
    # The folder of the section's backups (``flask mentoring backup`` without a folder writes
    # there; the admin's «Резервные копии» lists them, makes one and downloads one). It must
    # exist. None: the admin screen says how to set it, and the command needs its folder.
    "MENTORING_BACKUP_FOLDER": None,
    # How many backups to keep there: a new one removes the older ones beyond this number.
    "MENTORING_BACKUP_KEEP": 7,
    # Public questionnaires (``…/ankety/``): protection against bots and floods, no third
    # parties. An answer sent sooner than this many seconds after the form was shown is
    # refused as a bot's (0: no minimum).
    "MENTORING_FORM_MIN_SECONDS": 5,
    # A form older than this many seconds asks to be sent again (its signed stamp expired).
    "MENTORING_FORM_MAX_AGE": 24 * 3600,
    # Answers accepted per address, and from everyone together, per window of seconds.
    "MENTORING_FORM_LIMIT_PER_ADDRESS": 10,
    "MENTORING_FORM_LIMIT_TOTAL": 200,
    "MENTORING_FORM_LIMIT_WINDOW": 3600,
    # Largest request body of a questionnaire, in bytes: larger ones get 413 unread.
    "MENTORING_FORM_MAX_BYTES": 64 * 1024,
    # New (unprocessed) answers kept at most; past this, forms ask to come back later, so a
    # flood that beats the rate limits still cannot fill the disk.
    "MENTORING_FORM_MAX_NEW_ANSWERS": 5000,
    # Mail to people who register for an event (confirmation, decision, the place or link
    # on the day), through the school's SMTP server. Each one left None takes the host's
    # Flask-Mail setting of the same name (MAIL_SERVER, MAIL_PORT, ...) when there is one.
    # No server: letters wait in the queue (``flask mentoring send-mail`` says so).
    "MENTORING_MAIL_SERVER": None,
    # None: 465 with SSL, 587 with TLS, otherwise 25.
    "MENTORING_MAIL_PORT": None,
    # STARTTLS after connecting / a TLS connection from the start (port 465).
    "MENTORING_MAIL_USE_TLS": None,
    "MENTORING_MAIL_USE_SSL": None,
    "MENTORING_MAIL_USERNAME": None,
    "MENTORING_MAIL_PASSWORD": None,
    # The From address, e.g. "Наставничество <nastavnik@school7.example.ru>".
    "MENTORING_MAIL_DEFAULT_SENDER": None,
    # Days an answer is kept, processed or not (the shipped consent text promises a year at
    # most); older ones are deleted by ``flask mentoring purge-answers`` and before the
    # admin's answers list is read.
    "MENTORING_FORM_ANSWERS_KEEP_DAYS": 365,
}

#: The questionnaires' limits: positive integers.
FORM_LIMITS = ("MENTORING_FORM_MAX_AGE", "MENTORING_FORM_LIMIT_PER_ADDRESS",
               "MENTORING_FORM_LIMIT_TOTAL", "MENTORING_FORM_LIMIT_WINDOW",
               "MENTORING_FORM_MAX_BYTES", "MENTORING_FORM_MAX_NEW_ANSWERS",
               "MENTORING_FORM_ANSWERS_KEEP_DAYS")

_PREFIX_RE = re.compile(r"^(/[a-z0-9._~-]+)+$")


class ConfigError(RuntimeError):
    """A MENTORING_* (or the registry's MUNICIPAL_*) setting has a wrong value or name."""


def check_str(key: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key} должен быть непустой строкой, а получено {value!r}")


def check_positive_int(key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{key} должен быть целым положительным числом, а получено {value!r}")


def check_timezone(key: str, value: Any) -> None:
    check_str(key, value)
    try:
        ZoneInfo(value)
    except Exception as exc:  # noqa: BLE001 - any failure means an unusable zone name
        raise ConfigError(f"{key}: неизвестный часовой пояс {value!r}") from exc


def check_folder(key: str, value: Any) -> None:
    """None, or an existing folder (a str or a path)."""
    if value is None:
        return
    if not isinstance(value, str | os.PathLike) or not str(value).strip():
        raise ConfigError(f"{key} должен быть путём к папке, а получено {value!r}")
    if not os.path.isdir(value):
        raise ConfigError(f"{key}: папка {str(value)!r} не найдена")


def validate(config: Mapping[str, Any]) -> None:
    """Raise ConfigError naming the first bad MENTORING_* key."""
    unknown = sorted(k for k in config if k.startswith(PREFIX) and k not in DEFAULTS)
    if unknown:
        raise ConfigError(
            f"Неизвестная настройка {unknown[0]}. Допустимые: {', '.join(sorted(DEFAULTS))}"
        )
    prefix = config["MENTORING_URL_PREFIX"]
    check_str("MENTORING_URL_PREFIX", prefix)
    if not _PREFIX_RE.match(prefix):
        raise ConfigError(
            "MENTORING_URL_PREFIX должен начинаться с «/», не заканчиваться «/» и состоять из "
            f"латинских строчных букв, цифр и «-»: получено {prefix!r}"
        )
    for key in ("MENTORING_DATABASE_URI", "MENTORING_BASE_TEMPLATE", "MENTORING_UPLOAD_FOLDER"):
        check_str(key, config[key], optional=True)
    check_str("MENTORING_THEME", config["MENTORING_THEME"])
    check_str("MENTORING_SCHOOL_NAME", config["MENTORING_SCHOOL_NAME"])
    check: Callable[..., Any] | None = config["MENTORING_CURATOR_CHECK"]
    if check is not None and not callable(check):
        raise ConfigError(
            f"MENTORING_CURATOR_CHECK должен быть функцией user -> bool, а получено {check!r}"
        )
    site_url = config["MENTORING_SITE_URL"]
    if site_url is not None:
        if not isinstance(site_url, str) or not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", site_url):
            raise ConfigError(
                "MENTORING_SITE_URL должен быть адресом вида https://school.example.ru, "
                f"а получено {site_url!r}"
            )
    check_office(config)
    hosts = config["MENTORING_TRUSTED_HOSTS"]
    if isinstance(hosts, str) or not all(isinstance(h, str) and h for h in hosts):
        raise ConfigError("MENTORING_TRUSTED_HOSTS должен быть списком имён хостов")
    for key in ("MENTORING_PER_PAGE", "MENTORING_MAX_DOCUMENT_BYTES", "MENTORING_MAX_IMAGE_BYTES",
                "MENTORING_BACKUP_KEEP", *FORM_LIMITS):
        check_positive_int(key, config[key])
    check_positive_int("MENTORING_SITEMAP_URLS_PER_FILE", config["MENTORING_SITEMAP_URLS_PER_FILE"])
    if config["MENTORING_SITEMAP_URLS_PER_FILE"] > 50_000:
        raise ConfigError("MENTORING_SITEMAP_URLS_PER_FILE: не больше 50 000 адресов в файле "
                          "(так требует протокол sitemaps.org)")
    proxies = config["MENTORING_TRUSTED_PROXIES"]
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 10:
        raise ConfigError("MENTORING_TRUSTED_PROXIES должен быть числом прокси-серверов перед "
                          f"сайтом, от 0 до 10 (nginx перед сайтом — 1), а получено {proxies!r}")
    minimum = config["MENTORING_FORM_MIN_SECONDS"]
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise ConfigError("MENTORING_FORM_MIN_SECONDS должен быть целым числом от 0, "
                          f"а получено {minimum!r}")
    if not isinstance(config["MENTORING_CONTENT_SECURITY_POLICY"], str):
        raise ConfigError("MENTORING_CONTENT_SECURITY_POLICY должен быть строкой (\"\" — без CSP)")
    problem = csp.extra_problem(config["MENTORING_CSP_EXTRA"])
    if problem:
        raise ConfigError(problem)
    check_str("MENTORING_FRAME_ANCESTORS", config["MENTORING_FRAME_ANCESTORS"])
    check_str("MENTORING_REFERRER_POLICY", config["MENTORING_REFERRER_POLICY"])
    if not isinstance(config["MENTORING_ACCESSIBILITY_PANEL"], bool):
        raise ConfigError("MENTORING_ACCESSIBILITY_PANEL должен быть True или False")
    if not isinstance(config["MENTORING_COMPRESS"], bool):
        raise ConfigError("MENTORING_COMPRESS должен быть True или False")
    check_cache(config)
    cache_folder = config["MENTORING_TEMPLATE_CACHE"]
    if not isinstance(cache_folder, (bool, str, os.PathLike)) or cache_folder == "":
        raise ConfigError("MENTORING_TEMPLATE_CACHE должен быть True (папка instance/"
                          "mentoring-templates), путём к папке или False (без кэша шаблонов), "
                          f"а получено {cache_folder!r}")
    if not isinstance(config["MENTORING_MENTOR_SCHOOL"], bool):
        raise ConfigError("MENTORING_MENTOR_SCHOOL должен быть True или False")
    check_timezone("MENTORING_TIMEZONE", config["MENTORING_TIMEZONE"])
    check_mail(config)
    check_folder("MENTORING_REPORT_TEMPLATES", config["MENTORING_REPORT_TEMPLATES"])
    check_folder("MENTORING_BACKUP_FOLDER", config["MENTORING_BACKUP_FOLDER"])


def check_cache(config: Mapping[str, Any]) -> None:
    """The response cache's settings."""
    backend = config["MENTORING_RESPONSE_CACHE"]
    if not isinstance(backend, bool) and not (callable(getattr(backend, "get", None))
                                              and callable(getattr(backend, "set", None))):
        raise ConfigError("MENTORING_RESPONSE_CACHE должен быть True (кэш в памяти процесса), "
                          "False (без кэша) или объектом кэша сайта с методами get и set "
                          f"(например, Cache из Flask-Caching), а получено {backend!r}")
    replay = config["MENTORING_RESPONSE_CACHE_WSGI"]
    if replay is not None and not isinstance(replay, bool):
        raise ConfigError("MENTORING_RESPONSE_CACHE_WSGI должен быть None (решает раздел: "
                          "включено, если у сайта нет своих before_request), True или False, "
                          f"а получено {replay!r}")
    check_positive_int("MENTORING_RESPONSE_CACHE_BYTES", config["MENTORING_RESPONSE_CACHE_BYTES"])
    seconds = config["MENTORING_SHARED_CACHE_SECONDS"]
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 3600:
        raise ConfigError("MENTORING_SHARED_CACHE_SECONDS должен быть целым числом секунд от 0 "
                          f"до 3600, а получено {seconds!r}")


def check_office(config: Mapping[str, Any]) -> None:
    """MENTORING_OFFICE_*: the office's address, with the school's id, its key, or both."""
    url, key = config["MENTORING_OFFICE_URL"], config["MENTORING_OFFICE_SCHOOL_ID"]
    token = config["MENTORING_OFFICE_TOKEN"]
    if url is None:
        if key is not None or token is not None:
            raise ConfigError("MENTORING_OFFICE_SCHOOL_ID и MENTORING_OFFICE_TOKEN задаются "
                              "вместе с MENTORING_OFFICE_URL — адресом сайта управления "
                              "образования")
        return
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", url):
        raise ConfigError("MENTORING_OFFICE_URL должен быть адресом вида "
                          f"https://uo.example.ru/, а получено {url!r}")
    if key is None and token is None:
        raise ConfigError("MENTORING_OFFICE_URL задан, но нет ни MENTORING_OFFICE_SCHOOL_ID "
                          "(id школы в реестре управления), ни MENTORING_OFFICE_TOKEN (ключа "
                          "для заявок в Лигу менторов)")
    if key is not None and (not isinstance(key, str)
                            or not re.match(r"^[A-Za-z0-9_-]{1,100}$", key)):
        raise ConfigError("MENTORING_OFFICE_SCHOOL_ID — id школы в реестре управления "
                          f"(латиница, цифры, «-», «_»), а получено {key!r}")
    if token is not None and (not isinstance(token, str)
                              or not re.match(r"^[A-Za-z0-9_-]{10,200}$", token)):
        raise ConfigError("MENTORING_OFFICE_TOKEN должен быть ключом, выданным управлением "
                          "(латинские буквы, цифры, «-» и «_»)")


def check_mail(config: Mapping[str, Any]) -> None:
    """The MENTORING_MAIL_* settings: each may stay None (then Flask-Mail's MAIL_* is used)."""
    for key in ("MENTORING_MAIL_SERVER", "MENTORING_MAIL_USERNAME",
                "MENTORING_MAIL_PASSWORD", "MENTORING_MAIL_DEFAULT_SENDER"):
        check_str(key, config[key], optional=True)
    port = config["MENTORING_MAIL_PORT"]
    if port is not None and (isinstance(port, bool) or not isinstance(port, int)
                             or not 0 < port < 65536):
        raise ConfigError(f"MENTORING_MAIL_PORT должен быть номером порта от 1 до 65535, "
                          f"а получено {port!r}")
    for key in ("MENTORING_MAIL_USE_TLS", "MENTORING_MAIL_USE_SSL"):
        if config[key] is not None and not isinstance(config[key], bool):
            raise ConfigError(f"{key} должен быть True, False или None")
    if config["MENTORING_MAIL_USE_TLS"] and config["MENTORING_MAIL_USE_SSL"]:
        raise ConfigError("MENTORING_MAIL_USE_TLS и MENTORING_MAIL_USE_SSL не включают вместе: "
                          "SSL — для порта 465, TLS (STARTTLS) — для 587")


def apply_defaults(config: dict[str, Any]) -> None:
    for key, value in DEFAULTS.items():
        config.setdefault(key, value)


def user_data_folder(name: str) -> str:
    """Where the demo and the registry started from ``python -m`` keep their database,
    uploads and secret key when no ``--instance`` is given: the user's data folder
    (``$XDG_DATA_HOME`` or ``~/.local/share``; ``%LOCALAPPDATA%`` on Windows), never the
    source checkout or site-packages, which may be shared, read-only or under git."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = os.environ["LOCALAPPDATA"]
    else:
        base = os.environ.get("XDG_DATA_HOME") or ""
        if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
            base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "mentoring-site", name)
