"""Absolute URLs for feeds, sitemaps and share cards, never taken from a raw Host header.

A forged ``Host:`` could otherwise plant another site's address into what we publish.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, has_request_context, request, url_for


def site_root() -> str:
    """``MENTORING_SITE_URL``, else the request's host if trusted, else the first trusted host."""
    cfg = current_app.config
    if cfg["MENTORING_SITE_URL"]:
        return cfg["MENTORING_SITE_URL"].rstrip("/")
    trusted = list(cfg["MENTORING_TRUSTED_HOSTS"])
    if has_request_context():
        host = request.host
        hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if hostname in trusted:
            return f"{request.scheme}://{host}"
    return f"http://{trusted[0]}"


def absolute_url(endpoint: str, **values) -> str:
    return site_root() + url_for(endpoint, _external=False, **values)


def content_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the real one in ``filename*``."""
    return (f'attachment; filename="{fallback}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")


def small_int(raw: object, *, lo: int = 0, hi: int = 2**31 - 1) -> int | None:
    """A number from a URL or a form, or None: ASCII digits only (``"²".isdigit()`` is true
    and ``int("²")`` raises) and within [lo, hi] (a 20-digit id overflows the database)."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    value = int(raw)
    return value if lo <= value <= hi else None
