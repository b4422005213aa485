"""Security headers for the section's own responses; the host's pages are left alone."""

from __future__ import annotations

from flask import Response, current_app


def add_security_headers(response: Response) -> Response:
    cfg = current_app.config
    csp = cfg["MENTORING_CONTENT_SECURITY_POLICY"]
    if csp:
        csp = f"{csp}; frame-ancestors {cfg['MENTORING_FRAME_ANCESTORS']}"
        response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", cfg["MENTORING_REFERRER_POLICY"])
    return response
