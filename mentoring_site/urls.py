"""Absolute URLs for feeds, sitemaps and share cards, never taken from a raw Host header.

A forged ``Host:`` could otherwise plant another site's address into what we publish.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.routing import BaseConverter, Rule, ValidationError

#: The largest id the database holds: ``integer`` is signed 32-bit in PostgreSQL.
MAX_ID = 2**31 - 1
#: The name of our converter of ids in the host's url_map.
ID_CONVERTER = "mentoring_id"
#: The static copy (``transfer/static_site.py``) asks every page with this WSGI environ key,
#: never an HTTP header, so no visitor can set it: "" for an ordinary page, else the name of
#: a variant of the version for the visually impaired (``public/accessibility.py`` renders
#: the page in it and makes the panel's links between the variants).
STATIC_COPY = "mentoring.static_copy"
#: In the static copy's links, the «variant» that is the ordinary page (the panel's
#: «Обычная версия»): ``…/dlya-slabovidyashchih/obychnaya-versiya/<page>``.
STATIC_ORDINARY = "obychnaya-versiya"


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


#: How many built addresses an app keeps (``section_url``): the menu's, the filters' and a
#: few pages of lists; forgotten all at once when full.
URL_MEMO_SIZE = 4096


def section_url(endpoint: str, **values) -> str:
    """``url_for`` for the section's templates, each address built once per process.

    A list page asks for some sixty addresses, each a walk of Werkzeug's rules (~14 µs);
    an address depends only on the endpoint, its values and where the site is mounted, so
    it is remembered per app, keyed by those and the request's host. Anything else goes to
    ``url_for`` as is: a relative endpoint, options (``_external``, ``_anchor``…), a value
    that is not hashable, no request, or a host with ``url_defaults`` (they could add
    values from the request)."""
    if endpoint[:1] == "." or not has_request_context() or any(k[:1] == "_" for k in values):
        return url_for(endpoint, **values)
    req = request._get_current_object()  # type: ignore[attr-defined]
    try:
        memo, base = req.mentoring_urls
    except AttributeError:  # the request's first address: where, and whether to keep
        app = current_app
        memo = (None if any(app.url_default_functions.values())
                else app.extensions["mentoring"].urls)
        base = (req.script_root, req.host)
        req.mentoring_urls = (memo, base)
    if memo is None:
        return url_for(endpoint, **values)
    key = (base, endpoint, *sorted(values.items())) if values else (base, endpoint)
    try:
        return memo[key]
    except KeyError:
        pass
    except TypeError:  # a list, a dict: not a key
        return url_for(endpoint, **values)
    url = memo[key] = url_for(endpoint, **values)
    if len(memo) > URL_MEMO_SIZE:
        memo.clear()
    return url


def content_disposition(filename: str, fallback: str, disposition: str = "attachment") -> str:
    """``attachment`` (or ``inline``) with an ASCII ``filename`` and the real one in
    ``filename*``. The caller gives the name its extension: for an upload, that of what the
    file really is (``media.filetypes.served_name``), never the uploader's."""
    return (f'{disposition}; filename="{fallback}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")


def small_int(raw: object, *, lo: int = 0, hi: int = MAX_ID) -> int | None:
    """A number from a URL or a form, or None: ASCII digits only (``"²".isdigit()`` is true
    and ``int("²")`` raises) and within [lo, hi] (a 20-digit id overflows the database)."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


class IdConverter(BaseConverter):
    """``<mentoring_id:obj_id>``: an id in our URLs, ASCII digits within ``integer``.

    Werkzeug's ``<int:…>`` matches ``\\d+``: Unicode digits (``/novosti/١/`` was item 1)
    and numbers of any length, which SQLite cannot bind and PostgreSQL's ``integer``
    overflows (a 500 on every admin screen, issue 14, item 7). Anything else is a 404.
    """

    regex = r"[0-9]{1,10}"
    weight = 50  # as ``int``: a number outranks a string in the same place

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def install_id_converter(app: Flask) -> None:
    """Register ``<mentoring_id:…>`` before our blueprints add their rules (a long name: the
    url_map is the host's, and a host's converter is never replaced)."""
    found = app.url_map.converters.setdefault(ID_CONVERTER, IdConverter)
    if found is not IdConverter:
        raise RuntimeError(
            "В приложении уже есть конвертер адресов «mentoring_id», а раздел «Наставничество» "
            "использует своё: переименуйте конвертер сайта."
        )


class _BuildersAtFirstUse:
    """A rule whose two URL builders are compiled when an address is first built with it.

    Werkzeug compiles both (Python code made from an AST) for every rule it adds: ~0.6 ms a
    rule, some 0.1 s of a worker's start for the section's ~185 rules, most of which a worker
    never builds (the admin's, the API's). The code compiled is Werkzeug's own, only later."""

    def _compile_builder(self, append_unknown: bool = True) -> Any:
        compile_builder = super()._compile_builder  # type: ignore[misc]
        name = "_build_unknown" if append_unknown else "_build"

        def build(rule: Rule, **values: Any) -> tuple[str, str]:
            compiled = compile_builder(append_unknown).__get__(rule, None)
            setattr(rule, name, compiled)  # the next build goes straight to it
            return compiled(**values)

        return build


@cache
def _later_rule_class(base: type[Rule]) -> type[Rule]:
    return type(f"Later{base.__name__}", (_BuildersAtFirstUse, base), {})


@contextmanager
def builders_at_first_use(app: Flask) -> Iterator[None]:
    """The rules added inside compile their URL builders at first use (``_BuildersAtFirstUse``).

    The rule class is the app's own (a host's subclass is kept: ours derives from it), swapped
    on this app only while the section's blueprints are registered; the host's rules are
    untouched. A Werkzeug without ``Rule._compile_builder`` gets its rules as they are."""
    base = app.url_rule_class
    if not callable(getattr(base, "_compile_builder", None)):
        yield
        return
    own = "url_rule_class" in vars(app)
    app.url_rule_class = _later_rule_class(base)
    try:
        yield
    finally:
        if own:
            app.url_rule_class = base
        else:
            del app.url_rule_class
