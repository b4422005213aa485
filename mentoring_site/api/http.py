"""HTTP plumbing shared by the API, the feeds and the sitemap.

The municipal office polls many schools: each answer carries a strong ETag (a hash of
the exact bytes, so it is right whatever changed) and a Last-Modified (the section's
last change, conservative), and a conditional GET answers 304 with no body. Anyone may
read open data from a browser on another site, so GET is allowed from any origin
(no cookies are involved: these answers are the same for everyone).

``Cache-Control`` by the section's contract (``cache.shared_cache_control``): a browser
asks again on every use, a shared cache (the school's nginx) may answer from its copy for
``MENTORING_SHARED_CACHE_SECONDS`` at most, so a person is gone from every cache within
seconds of the withdrawal of their consent; asking costs a 304 with no body, answered from
the response cache. Last-Modified is the last change of what is *public*
(``queries.open_data.last_change``), so it says nothing of drafts; computed once per data
version (``cache.memo``), not per request.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask import Response, current_app, request

from .. import cache, queries
from ..db import session
from ..queries import open_data

MAX_PER_PAGE = 100
MAX_PAGE = 100_000
EXPOSED = "ETag, Last-Modified, Link"


class BadRequest(ValueError):
    """A query argument the API cannot accept; the message names it (in Russian)."""


def clock() -> queries.Clock:
    return queries.Clock.current(current_app.config["MENTORING_TIMEZONE"])


def last_change(clk: queries.Clock) -> datetime:
    return cache.memo("open_data.last_change", lambda: open_data.last_change(
        session(), clk, current_app.config["MENTORING_TIMEZONE"]))


def conditional(body: bytes | str, mimetype: str, last_modified: datetime) -> Response:
    """A 200 with validators, or a 304 when the client's copy is current."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = Response(data, mimetype=mimetype)
    response.set_etag(hashlib.sha256(data).hexdigest()[:40])
    response.last_modified = last_modified
    response.headers["Cache-Control"] = cache.shared_cache_control()
    response.make_conditional(request)  # turns it into a 304 in place when current
    return response


def json_body(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def add_cors(response: Response) -> Response:
    """Open data: GET (and its preflight) from any origin, validators readable by scripts."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def int_arg(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"Параметр {name} должен быть целым числом от 1 до {maximum}.")
    return int(raw)


def paging() -> tuple[int, int]:
    default = min(current_app.config["MENTORING_PER_PAGE"], MAX_PER_PAGE)
    return int_arg("page", 1, MAX_PAGE), int_arg("per_page", default, MAX_PER_PAGE)


def choice_arg(name: str, choices: dict):
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in choices:
        raise BadRequest(f"Параметр {name} может быть одним из: {', '.join(choices)}.")
    return choices[raw]
