"""The Content-Security-Policy of the section's pages, widened per directive for a host.

Why per directive: a section page rendered in the host's layout (MENTORING_BASE_TEMPLATE)
carries the host's stylesheets from a CDN, its fonts, an inline script of its counter. A
host used to have to copy our whole policy string and edit it; now it names only what its
layout needs (``MENTORING_CSP_EXTRA = {"style-src": ["https://cdn.jsdelivr.net"]}``), the
rest of our policy stays, and each source is checked at start so that a typo (or a «;»
smuggled into a value) cannot turn off a directive. The admin uses its own layout and keeps
the strict policy whatever the host adds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Directives a host may widen; base-uri, object-src and frame-ancestors stay ours.
WIDENABLE = ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src",
             "media-src", "frame-src", "worker-src", "manifest-src", "form-action")
_KEYWORD = re.compile(r"^'(self|none|unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|"
                      r"wasm-unsafe-eval|report-sample)'$")
_HASH = re.compile(r"^'(nonce-[A-Za-z0-9+/=_-]{8,}|sha(256|384|512)-[A-Za-z0-9+/=]{20,})'$")
_SCHEME = re.compile(r"^(https?|data|blob|mediastream|filesystem|wss?):$")
_HOST = re.compile(r"^(https?://|wss?://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?"
                   r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$")


def source_problem(source: Any) -> str | None:
    """Why ``source`` is not one CSP source expression, or None."""
    if not isinstance(source, str) or not source:
        return "источник должен быть непустой строкой"
    if any(c.isspace() for c in source) or ";" in source or "," in source:
        return f"в источнике {source!r} не должно быть пробелов, «;» и «,»"
    if source == "*" or _KEYWORD.match(source) or _HASH.match(source) or _SCHEME.match(source):
        return None
    if _HOST.match(source) and "'" not in source:
        return None
    return (f"{source!r} — не источник CSP (пример: https://cdn.example.ru, 'self', "
            "'unsafe-inline', data:)")


def extra_problem(extra: Any) -> str | None:
    """Why MENTORING_CSP_EXTRA cannot be used, or None (Russian)."""
    if extra is None:
        return None
    if not isinstance(extra, Mapping):
        return "MENTORING_CSP_EXTRA должен быть словарём {директива: [источники]}"
    for directive, sources in extra.items():
        if directive not in WIDENABLE:
            return (f"MENTORING_CSP_EXTRA: директиву {directive!r} расширять нельзя; "
                    f"можно: {', '.join(WIDENABLE)}")
        if isinstance(sources, str) or not isinstance(sources, list | tuple):
            return f"MENTORING_CSP_EXTRA[{directive!r}] должен быть списком источников"
        for source in sources:
            problem = source_problem(source)
            if problem:
                return f"MENTORING_CSP_EXTRA[{directive!r}]: {problem}"
    return None


def parse(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        bits = part.split()
        if bits:
            out[bits[0].lower()] = bits[1:]
    return out


def widen(policy: str, extra: Mapping[str, list[str]] | None) -> str:
    """``policy`` with ``extra``'s sources added; a directive the policy lacks starts from
    default-src's sources (what the browser would have used for it)."""
    if not extra:
        return policy
    parsed = parse(policy)
    for directive, sources in extra.items():
        current = parsed.get(directive, list(parsed.get("default-src", [])))
        if current == ["'none'"]:
            current = []
        parsed[directive] = current + [s for s in sources if s not in current]
    return "; ".join(" ".join([d, *s]) for d, s in parsed.items())
