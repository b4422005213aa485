"""Security headers for the section's own responses; the host's pages are left alone."""

from __future__ import annotations

import gzip

from flask import Response, current_app, g, request

from . import csp as policy

#: Blueprints whose pages use our own layout: the host's additions never apply to them.
OWN_LAYOUT = ("mentoring_admin", "municipal_admin")


def add_security_headers(response: Response) -> Response:
    cfg = current_app.config
    csp = cfg["MENTORING_CONTENT_SECURITY_POLICY"]
    if csp:
        if request.blueprint not in OWN_LAYOUT:
            csp = policy.widen(csp, cfg["MENTORING_CSP_EXTRA"])
        csp = f"{csp}; frame-ancestors {cfg['MENTORING_FRAME_ANCESTORS']}"
        response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", cfg["MENTORING_REFERRER_POLICY"])
    return response


def add_unrouted_headers(response: Response) -> Response:
    """The same headers on the answers no view of ours made: an unmatched path under the
    section's prefix (404) and a method a route does not take (405). Flask runs a
    blueprint's hooks only for a matched route, so these come from an app-wide hook that
    looks at the path; an admin address is never stored by a cache either."""
    if request.url_rule is not None:
        return response  # a view answered: its blueprint's hooks did this
    prefix = current_app.config["MENTORING_URL_PREFIX"]
    path = request.path
    if path != prefix and not path.startswith(prefix + "/"):
        return response  # the host's own address: left alone
    add_security_headers(response)
    admin = prefix + "/admin"
    if path == admin or path.startswith(admin + "/"):
        response.headers["Cache-Control"] = "no-store"
    return response


#: Text answers worth compressing; pictures, PDFs and office files are compressed already.
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/xml",
    "application/json", "application/xml", "application/atom+xml", "application/javascript",
    "image/svg+xml",
})
MIN_COMPRESSED = 1024  # below this, gzip's own header makes it not worth the CPU


def compress(response: Response) -> Response:
    """gzip for a client that accepts it (issue 13: the home's 32.8 KB were ≈ 8 KB gzipped).

    Only text answers of ours over a kilobyte, built in memory (a file sent from disk is left
    to the web server). The validator becomes weak with the same value, as nginx does: the
    compressed and the plain answer are the same representation, so a client's
    ``If-None-Match`` still matches and gets its 304 (Werkzeug compares weakly)."""
    if not current_app.config["MENTORING_COMPRESS"] or request.method == "HEAD" \
            or g.get("mentoring_cache_done"):
        return response  # an answer of the response cache is encoded already
    prefix = current_app.config["MENTORING_URL_PREFIX"]
    if request.path != prefix and not request.path.startswith(prefix + "/"):
        return response  # the host's own answers: its business
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    data = response.get_data()
    if len(data) < MIN_COMPRESSED:
        return response
    response.set_data(gzip.compress(data, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response
