"""The response cache's hit path before Flask: a WSGI middleware that replays answers.

Why: an answer found in the cache still went through Flask's whole request cycle (request
context, session, URL matching, every hook, a ``Response``, the security and compression
hooks) before ``responses.answer_from_cache`` found it: 0.2–0.59× a bare Flask app serving
the same bytes, a 304 0.06–0.32× (issue 13 asks 0.9×). Here such an answer costs a
dictionary lookup and the version read.

Recording: for a GET or HEAD with none of the cookies below, the middleware tells Flask it
listens (``LISTENING`` in the environ). When the slow path answers from an entry or stores
one and the answer depends on no cookie (``responses._mark_for_replay``: no VI settings; not
the static copy's crawler), it leaves a ``Mark``; the middleware then keeps the answer as
finally sent — status, the header list after every ``after_request`` hook, the body — if
it is a 200 (or the entry's 304, kept as the 200 it stands for) with no ``Set-Cookie`` and
no ``private``/``no-store``. An answer made by reading an empty session (the entry's
``cookieless``) or with a ``Vary: Cookie`` a host's hook added is kept from, and replayed to,
requests that bring no session only (``brings_session``: neither the host's session cookie
nor Flask-Login's remember cookie; see ``_replayable``). The replay is kept in the cache's store
(own key prefix: the same memory bound, the same pluggable backend) under scheme, host,
script root, path, query string and «gzip accepted», with the stamp key it was built under,
the entry's expiry and the linked static files' stamp.

Replaying: GET or HEAD, none of the cookies that change an answer (``COOKIE_NAMES``), the
replay found, the stamp's key as now (``stamp.peek_key``: the version read, no app context),
the expiry not passed, the linked files the same (stat'ed at most once a second): the
answer is sent from here — 304 for matching validators (as ``responses._not_modified``),
headers only for HEAD, else the body. Anything else goes to Flask untouched.

What a replay skips: the host's app-wide ``before_request`` and ``url_value_preprocessor``
functions (a host's rate limit, a redirect to HTTPS). ``MENTORING_RESPONSE_CACHE_WSGI``:
None (auto) keeps the replay off for a host that registered any of its own (checked at the
first request: hosts may register after ``init_app``), True and False decide outright. The
host's ``after_request`` headers are replayed as they were recorded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.http import (
    parse_accept_header,
    parse_cookie,
    parse_date,
    parse_etags,
    remove_entity_headers,
)
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import ClosingIterator

from .. import clock, theming
from ..auth.identity import COOKIE as ADMIN_COOKIE
from ..public.accessibility import COOKIE as VI_COOKIE
from ..urls import STATIC_COPY
from . import stamp as stamps
from .store import Entry

log = logging.getLogger(__name__)

#: In the environ while the middleware listens: the replay's key.
LISTENING = "mentoring.replay.key"
#: Left in the environ by ``responses`` when the answer may be replayed.
MARK = "mentoring.replay.mark"
#: Flask-Login's remember cookie when ``REMEMBER_COOKIE_NAME`` is not set.
REMEMBER_COOKIE = "remember_token"
#: How long a process believes the linked static files' stamp before stat'ing them again.
LINKED_RECHECK_SECONDS = 1.0
NOT_MODIFIED = "304 NOT MODIFIED"
OK = "200 OK"


@dataclass(frozen=True)
class Mark:
    """What the slow path says of an answer it made from an entry (``responses``)."""

    entry: Entry
    zipped: bool  # the entry's gzip form was sent
    stamp: str  # the stamp key the entry was found or stored under
    linked: str  # the linked static files' stamp in that key
    #: for a 304: the headers of the 200 it stands for (before the hooks), else None
    full_headers: list[tuple[str, str]] | None


@dataclass(frozen=True)
class Replay:
    """An answer as finally sent, and what it is valid for."""

    headers: tuple[tuple[str, str], ...]  # of the 200 (HEAD: the same, no body)
    not_modified: tuple[tuple[str, str], ...]  # of the 304
    body: bytes
    etag: str  # strong, unquoted: matched weakly, as the slow path does
    sent_etag: str  # the header's own value: what a browser sends back
    last_modified: int
    stamp: str
    linked: str
    expires: float | None
    #: replayed only to requests that bring no session (``brings_session``): the answer read
    #: an empty one, or a hook did after the cache's (``_replayable``)
    cookieless: bool = False

    @property
    def size(self) -> int:
        return (len(self.body) + sum(len(k) + len(v) for k, v in self.headers)
                + sum(len(k) + len(v) for k, v in self.not_modified) + 300)


# -- which way it goes ----------------------------------------------------------------------


def session_cookies(config: Any) -> tuple[str, str]:
    """The cookies that bring a visitor's session: the host's session cookie and
    Flask-Login's remember cookie (it signs the visitor back in, into a new session)."""
    return (config["SESSION_COOKIE_NAME"],
            config.get("REMEMBER_COOKIE_NAME") or REMEMBER_COOKIE)


def brings_session(environ: dict, config: Any) -> bool:
    """The request carries one of ``session_cookies``: an answer made by reading an empty
    session (a «cookieless» one) is not its answer. Other cookies (a counter's, a poll's)
    do not count: the session is just as empty with them."""
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return False
    names = session_cookies(config)
    if not any(name in raw for name in names):
        return False
    cookies = parse_cookie(raw)
    return any(name in cookies for name in names)



def host_hooks(app: Flask) -> list[str]:
    """The host's own app-wide ``before_request`` and ``url_value_preprocessor`` functions,
    which a replay would skip. The section's own are not counted, nor Flask-WTF's CSRF check
    while it checks no GET or HEAD (it returns at once for them)."""
    found = []
    csrf_methods = set(app.config.get("WTF_CSRF_METHODS") or ("POST", "PUT", "PATCH", "DELETE"))
    for func in (*app.before_request_funcs.get(None, ()),
                 *app.url_value_preprocessors.get(None, ())):
        module = getattr(func, "__module__", None) or ""
        if module == "mentoring_site" or module.startswith("mentoring_site."):
            continue
        if module == "flask_wtf.csrf" and not csrf_methods & {"GET", "HEAD"}:
            continue
        found.append(f"{module}.{getattr(func, '__qualname__', repr(func))}")
    return found


def decide(app: Flask) -> bool:
    """Replay or not, by ``MENTORING_RESPONSE_CACHE_WSGI``; said once in the app's log."""
    setting = app.config.get("MENTORING_RESPONSE_CACHE_WSGI")
    if setting is True or setting is False:
        app.logger.info("Ответы из кэша раздела до Flask (WSGI): %s — так задано "
                        "MENTORING_RESPONSE_CACHE_WSGI.", "включены" if setting else "выключены")
        return setting
    own = host_hooks(app)
    if own:
        app.logger.info(
            "Ответы из кэша раздела до Flask (WSGI) выключены: у сайта есть свои функции "
            "before_request / url_value_preprocessor для всех адресов (%s), а ответ из кэша "
            "до Flask их бы пропустил. Если они не нужны публичным страницам раздела, "
            "задайте MENTORING_RESPONSE_CACHE_WSGI = True.", ", ".join(own))
        return False
    app.logger.info("Ответы из кэша раздела до Flask (WSGI) включены: своих функций "
                    "before_request / url_value_preprocessor для всех адресов у сайта нет.")
    return True


def wrap(app: Flask) -> None:
    """Put the replay around ``app.wsgi_app`` when the response cache is on: inside any
    ``ProxyFix`` already there (and inside the one ``MENTORING_TRUSTED_PROXIES`` adds next),
    so it sees the scheme and host the pages are made for."""
    if app.config["MENTORING_RESPONSE_CACHE"] is False \
            or app.config["MENTORING_RESPONSE_CACHE_WSGI"] is False:
        return
    holder = None
    layer: Any = app.wsgi_app
    while layer is not None:
        if isinstance(layer, ProxyFix):
            holder = layer
        layer = getattr(layer, "app", None)
    if holder is not None:
        holder.app = Replayer(app, holder.app)
    else:
        app.wsgi_app = Replayer(app, app.wsgi_app)  # type: ignore[method-assign]


# -- the middleware ---------------------------------------------------------------------------


StartResponse = Callable[..., Any]


class Replayer:
    """The WSGI middleware: replays what it recorded, records what the slow path marks."""

    def __init__(self, flask_app: Flask, app: Callable[..., Iterable[bytes]]) -> None:
        self.flask = flask_app
        self.app = app
        self._linked: tuple[float, int, str] = (-1e9, -1, "")
        self._gzip: dict[str, bool] = {}

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        state: Any = self.flask.extensions.get("mentoring")
        store = state.responses if state is not None else None
        if store is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD") \
                or STATIC_COPY in environ or self._cookies_in_the_way(environ):
            return self.app(environ, start_response)
        on = state.replay_on
        if on is None:
            on = state.replay_on = decide(self.flask)
        if not on:
            return self.app(environ, start_response)
        key = self._key(state, environ)
        try:
            found = store.get(key)
            if isinstance(found, Replay) and self._valid(found, state, environ):
                return self._answer(found, environ, start_response)
        except Exception:  # a backend or the version read failed: Flask answers and explains
            log.debug("replay lookup failed", exc_info=True)
        environ[LISTENING] = key
        return self._record(store, key, environ, start_response)

    # -- replaying

    def _cookies_in_the_way(self, environ: dict) -> bool:
        """The admin's cookie, the VI cookie (panel on) or, with the host deciding the
        curators, its session cookie: as ``responses.signed_in`` and ``_vi_part``."""
        raw = environ.get("HTTP_COOKIE")
        if not raw:
            return False
        config = self.flask.config
        names = [ADMIN_COOKIE]
        if config["MENTORING_ACCESSIBILITY_PANEL"]:
            names.append(VI_COOKIE)
        if config["MENTORING_CURATOR_CHECK"] is not None:
            names.append(config["SESSION_COOKIE_NAME"])
        if not any(name in raw for name in names):
            return False
        cookies = parse_cookie(raw)
        return any(name in cookies for name in names)

    def _accepts_gzip(self, value: str | None) -> bool:
        """``request.accept_encodings["gzip"] > 0``, remembered per header value."""
        if not value:
            return False
        found = self._gzip.get(value)
        if found is None:
            if len(self._gzip) > 256:
                self._gzip.clear()
            found = self._gzip[value] = parse_accept_header(value)["gzip"] > 0
        return found

    def _key(self, state: Any, environ: dict) -> str:
        host = environ.get("HTTP_HOST") \
            or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
        return "|".join((state.cache_prefix, "replay", environ.get("wsgi.url_scheme", ""),
                         host, environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                         environ.get("QUERY_STRING", ""),
                         "gzip" if self._accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
                         else "-"))

    def _linked_now(self, state: Any) -> str:
        at, count, value = self._linked
        linked = state.linked_static
        now = time.monotonic()
        if count != len(linked) or now - at >= LINKED_RECHECK_SECONDS:
            value = theming.linked_files_stamp(linked)
            self._linked = (now, len(linked), value)
        return value

    def _valid(self, replay: Replay, state: Any, environ: dict) -> bool:
        if replay.cookieless and brings_session(environ, self.flask.config):
            return False
        if replay.expires is not None and clock.epoch_seconds() >= replay.expires:
            return False
        if replay.linked != self._linked_now(state):
            return False
        return stamps.peek_key(state) == replay.stamp

    @staticmethod
    def _not_modified(replay: Replay, environ: dict) -> bool:
        """As ``responses._not_modified``: If-None-Match first, then If-Modified-Since."""
        tags = environ.get("HTTP_IF_NONE_MATCH")
        if tags:
            if tags == replay.sent_etag:
                return True
            etags = parse_etags(tags)
            if etags:
                return etags.contains_weak(replay.etag)
        since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
        return since is not None and int(since.timestamp()) >= replay.last_modified

    def _answer(self, replay: Replay, environ: dict,
                start_response: StartResponse) -> Iterable[bytes]:
        if self._not_modified(replay, environ):
            start_response(NOT_MODIFIED, list(replay.not_modified))
            return []
        start_response(OK, list(replay.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [replay.body]

    # -- recording

    def _record(self, store: Any, key: str, environ: dict,
                start_response: StartResponse) -> Iterable[bytes]:
        sent: list = []

        def listen(status: str, headers: list, exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        answer = self.app(environ, listen)
        mark = environ.get(MARK)
        if not isinstance(mark, Mark) or not sent:
            return answer
        keep, vary_cookie = _replayable(sent[1])
        cookieless = vary_cookie or mark.entry.cookieless
        if not keep or cookieless and brings_session(environ, self.flask.config):
            return answer
        status, headers = sent[0], list(sent[1])
        body = mark.entry.gzipped if mark.zipped else mark.entry.body
        if body is None:
            return answer
        if status.startswith("200") and environ["REQUEST_METHOD"] == "GET":
            try:
                body = b"".join(answer)
            except BaseException:
                getattr(answer, "close", lambda: None)()
                raise
            answer = ClosingIterator([body], getattr(answer, "close", None))
        elif status.startswith("200"):  # HEAD: the body is the entry's, if it is its length
            if _header(headers, "content-length") != str(len(body)):
                return answer
        elif status.startswith("304") and mark.full_headers is not None:
            full = list(mark.full_headers)
            if _without_body(full) != headers:
                return answer  # a hook changed the 304: its 200 is not known for sure
            headers = full
        else:
            return answer
        replay = Replay(
            headers=tuple(headers), not_modified=tuple(_without_body(headers)), body=body,
            etag=mark.entry.etag, sent_etag=_header(headers, "etag") or "",
            last_modified=mark.entry.last_modified, stamp=mark.stamp, linked=mark.linked,
            expires=mark.entry.expires, cookieless=cookieless)
        try:
            store.set(key, replay)
        except Exception:  # the host's backend refused it: nothing lost but the speed
            log.debug("replay not stored", exc_info=True)
        return answer


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _replayable(headers: list[tuple[str, str]]) -> tuple[bool, bool]:
    """(may be kept, only for requests that bring no session). Never with a cookie set or a
    private answer. ``Vary: Cookie`` (the session read while rendering, or by a host's
    ``after_request`` as Flask-Login's remember hook on every answer): kept only when the
    request brought no session, and replayed only to such requests, which all get that
    answer (their session is empty alike)."""
    vary_cookie = False
    for key, value in headers:
        name = key.lower()
        if name == "set-cookie":
            return False, False
        if name == "vary" and "cookie" in value.lower():
            vary_cookie = True
        if name == "cache-control" and ("private" in value or "no-store" in value):
            return False, False
    return True, vary_cookie


def _without_body(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The 304's headers from the 200's, as Werkzeug makes them (entity headers removed)."""
    out = list(headers)
    remove_entity_headers(out)
    return out
