"""Security headers for the section's own responses; the host's pages are left alone."""

from __future__ import annotations

from flask import Response, current_app, request

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
