"""The response cache of public answers, and the headers that let other caches keep them.

Which answers: GET and HEAD of the section's pages (blueprint ``mentoring``), its open data
(``mentoring_api``: API, feeds, calendar, widget, sitemap) and the office's registry pages
(``municipal``); 200 only. The key: the app, the stamp (data version and next moment, see
``stamp``), scheme, host, script root, path and query string, and for the section's pages
the visually-impaired settings (parsed, canonical) or none.

An answer for which the session was only read, when the request brought none (no session
or remember cookie, ``wsgi.brings_session``) and it stayed empty — a host's layout asking
Flask-Login for its user, anonymous then, on every page — is the same for every such
request: it is stored as ``cookieless``, answered only to requests that bring no session
either, and sent with ``Vary: Cookie`` (``_session_use``).

Never stored: an answer for which the session was written, or read when the request brought
one or a user was signed in (a host's layout showing its user, a flash), one that sets a
cookie, one whose view said ``no-store`` or ``private`` (the questionnaire and registration
forms: they carry a fresh signed stamp each), files (static, media: sent from disk or memory
as they are), anything of the admin blueprints (not in the list above). A request with a
signed-in editor (the admin's cookie, or in host mode the host's session cookie) is neither
answered from the cache nor stored: the nginx recipe bypasses on the same cookies.

The answer is looked up in a ``before_request`` hook: one statement (the version), then a
dictionary lookup; a conditional GET that matches gets its 304 from the entry. A miss is
stored by an ``after_request`` hook that runs after the blueprints' own (their headers are
part of the entry) and before ``security.compress``, which it spares: the entry holds the
gzip form made once. Either hook marks an answer the WSGI replay (``wsgi``) may keep as
sent, so the next one like it never reaches Flask.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timezone

from flask import Response, current_app, g, request
from flask.globals import _cv_request
from sqlalchemy.exc import DBAPIError
from werkzeug.http import http_date

from .. import clock, theming
from ..auth.identity import COOKIE as ADMIN_COOKIE
from ..db import session
from ..public import accessibility
from ..security import COMPRESSIBLE, MIN_COMPRESSED
from ..urls import STATIC_COPY
from . import stamp as stamps
from . import wsgi as replay
from .store import Entry

#: Blueprints whose GET answers are public and the same for every visitor.
CACHED_BLUEPRINTS = frozenset({"mentoring", "mentoring_api", "municipal"})
#: Endpoints of those that send files: left to their own headers and never stored.
FILE_ENDPOINTS = frozenset({"mentoring.static", "mentoring.media", "municipal.static"})
#: Headers never kept in an entry: made per answer, or per client.
_NOT_KEPT = frozenset({"content-length", "content-encoding", "set-cookie", "date", "etag",
                       "last-modified"})
_VI_NONE = "-"


# -- the header contract ----------------------------------------------------------------------


def shared_cache_control() -> str:
    """Cache-Control of a public answer: a browser asks again on every use (``max-age=0``),
    a shared cache (the school's nginx) may answer from its copy for
    ``MENTORING_SHARED_CACHE_SECONDS`` and must ask after that; a withdrawn consent is gone
    from every cache within those seconds. 0: ``no-cache`` (every cache asks every time)."""
    seconds = current_app.config["MENTORING_SHARED_CACHE_SECONDS"]
    if not seconds:
        return "no-cache"
    return f"public, max-age=0, s-maxage={seconds}, must-revalidate"


PRIVATE = "private, no-cache"

#: How answering used the session (``_session_use``): not at all; only read, and empty for
#: every request that brings none (``cookieless``); or in a way that makes it the visitor's.
UNTOUCHED, ANONYMOUS, PERSONAL = "untouched", "anonymous", "personal"


def _session_use() -> str:
    """How the session was used while answering. Read only, never written, still empty, the
    request bringing no session cookie and no user signed in (Flask-Login's context
    processor on an anonymous visit): ANONYMOUS, the same answer for every request without
    a session. Anything else that touched it (a signed-in user, a flash, a CSRF token, the
    remember cookie signing someone back in, an unknown session type): PERSONAL."""
    ctx = _cv_request.get(None)
    found = vars(ctx) if ctx is not None else {}
    # Flask 3.1.3 marks the session accessed on any use of the proxy (this one too): the
    # request context's own attribute is read instead (``session`` before 3.1.3).
    sess = found.get("_session", found.get("session"))
    if sess is None or not (getattr(sess, "accessed", True) or getattr(sess, "modified", True)):
        return UNTOUCHED
    if getattr(sess, "modified", True) or not isinstance(sess, dict) or len(sess) \
            or replay.brings_session(request.environ, current_app.config):
        return PERSONAL
    # A host's Flask-Login that loads users from the request itself (a request or header
    # loader: a token, a proxy's header) may sign in a request without a session: no answer
    # read through it is the same for all. And a user signed in anyhow makes it theirs.
    manager = getattr(current_app, "login_manager", None)
    if manager is not None and (getattr(manager, "request_callback", None)
                                or getattr(manager, "_header_callback", None)):
        return PERSONAL
    if getattr(g.get("_login_user"), "is_authenticated", False):
        return PERSONAL
    return ANONYMOUS


#: The static copy's crawler asks for pages rendered for the copy (the VI panel as links):
#: never from, nor into, the cache.
STATIC_COPY_ENVIRON = STATIC_COPY


def _cacheable_request() -> bool:
    return (request.method in ("GET", "HEAD") and request.blueprint in CACHED_BLUEPRINTS
            and request.endpoint not in FILE_ENDPOINTS
            and STATIC_COPY_ENVIRON not in request.environ)


def signed_in() -> bool:
    """The request carries the admin's sign-in (our cookie, wherever the browser sends it),
    or, with a host's Flask-Login deciding the curators, the host's session cookie."""
    cookies = request.cookies
    if ADMIN_COOKIE in cookies:
        return True
    return (current_app.config["MENTORING_CURATOR_CHECK"] is not None
            and current_app.config["SESSION_COOKIE_NAME"] in cookies)


def _vi_part() -> str:
    if request.blueprint != "mentoring":
        return _VI_NONE
    settings = accessibility.current()
    return _VI_NONE if settings is None else settings.to_cookie()


def _linked() -> str:
    return theming.linked_files_stamp(current_app.extensions["mentoring"].linked_static)


def _key(stamp: stamps.Stamp, linked: str) -> str:
    state = current_app.extensions["mentoring"]
    return "|".join((state.cache_prefix, stamp.key,
                     request.scheme, request.host, request.script_root,
                     request.full_path if request.query_string else request.path,
                     _vi_part(), linked))


# -- answering from the cache -----------------------------------------------------------------


def answer_from_cache() -> Response | None:
    """``before_request``: the stored answer (or its 304), or None to let the view build it."""
    state = current_app.extensions["mentoring"]
    if state.responses is None or not _cacheable_request() or signed_in():
        return None
    try:
        peeked, linked = stamps.peek(), _linked()
        entry = state.responses.get(_key(peeked, linked))
        if entry is not None and (
                entry.expires is not None and clock.epoch_seconds() >= entry.expires
                or entry.cookieless and replay.brings_session(request.environ,
                                                              current_app.config)):
            entry = None
        if entry is None:
            stamps.current()  # the version of the snapshot the page will be built from
    except (DBAPIError, state.engine.dialect.loaded_dbapi.Error):  # tables older than the code
        session().rollback()
        return None  # the view answers (readiness explains a missing table)
    if entry is None:
        g.mentoring_cache_miss = True  # the key is made again once built: see ``finish``
        return None
    g.mentoring_cache_done = True
    response = _respond(entry)
    _mark_for_replay(entry, peeked.key, linked, response)
    return response


def keep_at_most(seconds: float) -> None:
    """This answer shows data from outside the database (the office's programmes, kept
    that long): store it for no longer than ``seconds``."""
    g.mentoring_cache_ttl = min(seconds, g.get("mentoring_cache_ttl", seconds))


def _not_modified(entry: Entry) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(entry.etag)
    since = request.if_modified_since
    return since is not None and int(since.timestamp()) >= entry.last_modified


def _zipped(entry: Entry) -> bool:
    return (entry.gzipped is not None and current_app.config["MENTORING_COMPRESS"]
            and request.accept_encodings["gzip"] > 0)


def _respond(entry: Entry, *, conditional: bool = True) -> Response:
    """The entry as this client should get it: 304, gzip or plain (``conditional=False``:
    never the 304, whatever the client's validators)."""
    response = Response(headers=list(entry.headers))
    zipped = _zipped(entry)
    response.set_etag(entry.etag, weak=zipped)
    response.headers["Last-Modified"] = http_date(entry.last_modified)
    if conditional and _not_modified(entry):
        response.status_code = 304
        for name in ("Content-Type", "Content-Length"):
            response.headers.pop(name, None)
        return response
    if zipped:
        response.set_data(entry.gzipped or b"")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(entry.body)
    return response


# -- storing a fresh answer -------------------------------------------------------------------


def _storable(response: Response, use: str) -> bool:
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Set-Cookie" in response.headers or "Content-Encoding" in response.headers):
        return False
    if g.get("mentoring_cache_skip"):
        return False
    control = response.cache_control
    return not (control.no_store or control.private) and use != PERSONAL


def finish(response: Response) -> Response:
    """``after_request``, app-wide, before ``security.compress``: headers for a public answer;
    a fresh one stored and sent as the entry would be (so its 304 and gzip come from it)."""
    if g.get("mentoring_cache_done") or not _cacheable_request() \
            or response.status_code != 200 or response.direct_passthrough:
        return response
    use = _session_use()
    storable = _storable(response, use)  # by the view's own headers, before ours are added
    _public_headers(response, use)
    if not storable:
        return response
    stored = g.pop("mentoring_cache_miss", False)
    # An answer not kept is zipped only for a client that takes gzip (0.4 ms of a list page).
    entry = _entry(response, cookieless=use == ANONYMOUS,
                   zip_body=stored or request.accept_encodings["gzip"] > 0)
    if stored:
        # The key as it is now: rendering may have linked a static file for the first time.
        stamp, linked = stamps.current(), _linked()
        current_app.extensions["mentoring"].responses.set(_key(stamp, linked), entry)
    g.mentoring_cache_done = True
    answer = _respond(entry)
    if stored:
        _mark_for_replay(entry, stamp.key, linked, answer)
    return answer


def _mark_for_replay(entry: Entry, stamp_key: str, linked: str, response: Response) -> None:
    """Tell the WSGI replay (``cache.wsgi``), when it listens, that this answer may be kept
    as finally sent: an entry's answer that no cookie changes (the VI settings' pages are
    left to this path). It checks the headers as sent itself (a Set-Cookie or ``Vary:
    Cookie`` added later, by the session or a host's hook, keeps it out)."""
    environ = request.environ
    if replay.LISTENING not in environ or _vi_part() != _VI_NONE:
        return
    full = None
    if response.status_code == 304:  # the 200 it stands for, to replay to other clients
        full = _respond(entry, conditional=False).get_wsgi_headers(environ).to_wsgi_list()
    environ[replay.MARK] = replay.Mark(entry=entry, zipped=_zipped(entry), stamp=stamp_key,
                                       linked=linked, full_headers=full)


def _public_headers(response: Response, use: str) -> None:
    """Cache-Control by the contract (docs/ARCHITECTURE.md, «Decisions»), unless the view set
    its own (a form's no-store, a file's no-cache). An ANONYMOUS answer is public too, with
    ``Vary: Cookie``: a shared cache keeps it apart from answers to requests with cookies
    (the nginx recipe, besides, never stores those nor asks its cache for a session's)."""
    if "Cache-Control" in response.headers:
        return
    if "Set-Cookie" in response.headers or use == PERSONAL:
        response.headers["Cache-Control"] = PRIVATE
        response.vary.add("Cookie")
    elif _vi_part() != _VI_NONE:
        response.headers["Cache-Control"] = PRIVATE  # it depends on the cookie
        response.vary.add("Cookie")
    else:
        response.headers["Cache-Control"] = shared_cache_control()
        if use == ANONYMOUS:
            response.vary.add("Cookie")


def _entry(response: Response, *, cookieless: bool = False, zip_body: bool = True) -> Entry:
    body = response.get_data()
    etag, _weak = response.get_etag()
    if not etag:
        etag = hashlib.sha256(body).hexdigest()[:40]
    modified = response.last_modified or _now_second()
    gzipped = None
    if (current_app.config["MENTORING_COMPRESS"] and response.mimetype in COMPRESSIBLE):
        response.vary.add("Accept-Encoding")
        if zip_body and len(body) >= MIN_COMPRESSED:
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    ttl = g.get("mentoring_cache_ttl")
    return Entry(
        body=body, gzipped=gzipped,
        headers=tuple((k, v) for k, v in response.headers.items()
                      if k.lower() not in _NOT_KEPT),
        etag=etag, last_modified=int(_aware(modified).timestamp()),
        expires=None if ttl is None else clock.epoch_seconds() + ttl,
        cookieless=cookieless,
    )


def _now_second() -> datetime:
    return datetime.fromtimestamp(int(clock.epoch_seconds()), timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

