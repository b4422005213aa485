"""The version for the visually impaired: settings kept in a cookie, applied as CSS classes.

A visitor presses a button of the panel or of the settings page (plain POST forms, no
JavaScript); the form goes to ``apply``, which stores the choice in a cookie and redirects
back. Every page of the section then carries classes such as
``m-vi m-vi--size-4 m-vi--scheme-wb`` on its ``.mentoring`` wrapper and links the theme's
``mentoring-vi.css``.

Changing the settings is a POST, never a GET: a link or a picture on another site cannot
switch them. The POST carries the form's token (signed with SECRET_KEY, the same on every
page, so cached pages stay valid) and is refused when the browser says it came from
another site (Origin, Sec-Fetch-Site), as the questionnaires are. An old GET link to
``apply`` changes nothing: it opens the settings page with its choices and «Применить».

The cookie is read here only, through :func:`parse`, which never fails: an unknown or
malformed part is dropped, a cookie without our version mark is ignored. Hosts with
their own version for the visually impaired set ``MENTORING_ACCESSIBILITY_PANEL = False``:
then there is no link, no panel, no classes and no extra stylesheet.

The static copy (``flask mentoring static-site``) has neither a cookie nor a POST: its
crawler asks each page with ``urls.STATIC_COPY`` in the environ, and the page is rendered
in one of the few variants of ``STATIC_CHOICES`` (each a folder of the copy under
``dlya-slabovidyashchih/<variant>/``), its panel made of links to the same page in the
other variants and in the ordinary version.
"""

from __future__ import annotations

import functools
import hmac
import itertools
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from itsdangerous import URLSafeSerializer
from werkzeug.wrappers import Response

from ..urls import STATIC_COPY, STATIC_ORDINARY
from . import blueprint as bp

COOKIE = "mentoring_vi"
COOKIE_MAX_AGE = 365 * 24 * 3600
VERSION = "v1"
_MAX_COOKIE_LEN = 200
TOKEN = "token"
_TOKEN_SALT = "mentoring-vi-panel"
NOT_APPLIED = ("Настройки не применены: их прислала ссылка или другая страница. Проверьте их "
               "ниже и нажмите «Применить».")

#: Each setting: its choices in order, the first one being the default in the VI mode.
CHOICES: dict[str, tuple[str, ...]] = {
    "size": ("2", "1", "3", "4"),
    "scheme": ("bw", "wb", "blue", "brown", "green"),
    "images": ("on", "off"),
    "spacing": ("1", "2", "3"),
    "line": ("1", "2", "3"),
    "font": ("sans", "serif"),
}

#: Russian labels for the settings page and the panel, in display order.
LABELS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "size": ("Размер шрифта", (
        ("1", "обычный"), ("2", "крупный"), ("3", "очень крупный"), ("4", "наибольший"),
    )),
    "scheme": ("Цветовая схема", (
        ("bw", "чёрным по белому"),
        ("wb", "белым по чёрному"),
        ("blue", "тёмно-синим по голубому"),
        ("brown", "коричневым по бежевому"),
        ("green", "зелёным по тёмно-коричневому"),
    )),
    "images": ("Изображения", (("on", "показывать"), ("off", "скрыть (оставить описание)"))),
    "spacing": ("Расстояние между буквами", (
        ("1", "обычное"), ("2", "увеличенное"), ("3", "большое"),
    )),
    "line": ("Межстрочный интервал", (("1", "обычный"), ("2", "увеличенный"), ("3", "двойной"))),
    "font": ("Шрифт", (("sans", "без засечек"), ("serif", "с засечками"))),
}


@dataclass(frozen=True)
class Settings:
    """What the visitor chose; every field holds one of ``CHOICES[field]``."""

    size: str = CHOICES["size"][0]
    scheme: str = CHOICES["scheme"][0]
    images: str = CHOICES["images"][0]
    spacing: str = CHOICES["spacing"][0]
    line: str = CHOICES["line"][0]
    font: str = CHOICES["font"][0]

    def classes(self) -> str:
        """CSS classes for the ``.mentoring`` wrapper (and the theme's page body)."""
        out = ["m-vi", f"m-vi--size-{self.size}", f"m-vi--scheme-{self.scheme}",
               f"m-vi--ls-{self.spacing}", f"m-vi--lh-{self.line}", f"m-vi--{self.font}"]
        if self.images == "off":
            out.append("m-vi--noimg")
        return " ".join(out)

    def to_cookie(self) -> str:
        return ".".join([VERSION, *(f"{f.name}-{getattr(self, f.name)}" for f in fields(self))])

    def merged(self, values) -> Settings:
        """A copy with every valid ``values[name]`` applied; invalid ones are ignored."""
        changes = {
            name: values[name]
            for name, allowed in CHOICES.items()
            if isinstance(values.get(name), str) and values[name] in allowed
        }
        return replace(self, **changes)


def parse(raw: str | None) -> Settings | None:
    """The settings a cookie holds, or None when it is absent or not ours. Never raises."""
    if not raw or not isinstance(raw, str) or len(raw) > _MAX_COOKIE_LEN:
        return None
    parts = raw.split(".")
    if parts[0] != VERSION:
        return None
    values: dict[str, str] = {}
    for part in parts[1:]:
        name, sep, value = part.partition("-")
        if sep and name in CHOICES and name not in values:
            values[name] = value
    return Settings().merged(values)


#: The variants a static copy holds: every combination of these (8). Each is one more copy of
#: every page's HTML (pictures, styles and files are shared), so the copy keeps the choices
#: a visually impaired reader needs most — a large or the largest font, dark on light or
#: light on dark, pictures or their descriptions — and leaves the rest to the live site.
STATIC_CHOICES: dict[str, tuple[str, ...]] = {
    "size": ("2", "4"), "scheme": ("bw", "wb"), "images": ("on", "off"),
}


def static_name(settings: Settings) -> str:
    """The folder of a variant in the static copy: «2-bw», «4-wb-bez-kartinok»."""
    name = f"{settings.size}-{settings.scheme}"
    return name + "-bez-kartinok" if settings.images == "off" else name


STATIC_VARIANTS: dict[str, Settings] = {
    static_name(s): s for s in (
        Settings().merged(dict(zip(STATIC_CHOICES, values, strict=True)))
        for values in itertools.product(*STATIC_CHOICES.values()))
}


def static_copy() -> str | None:
    """The variant the static copy asks for ("" for the ordinary page), None on the live site."""
    value = request.environ.get(STATIC_COPY) if has_request_context() else None
    return value if isinstance(value, str) else None


def static_link(changes: dict[str, str] | None) -> str:
    """The address of this page in the static copy's variant with ``changes`` applied to
    the current one (the default variant from an ordinary page); ``None``: the ordinary
    page. The crawler turns it into the file of that variant."""
    section = current_app.config["MENTORING_URL_PREFIX"] + "/"
    rest = request.path[len(section):] if request.path.startswith(section) else ""
    qs = request.query_string.decode("latin-1")
    if changes is None:
        name = STATIC_ORDINARY
    else:
        name = static_name((current() or Settings()).merged(changes))
    return (url_for("mentoring.accessibility") + f"{name}/{rest}" + (f"?{qs}" if qs else ""))


def panel_enabled() -> bool:
    return bool(current_app.config["MENTORING_ACCESSIBILITY_PANEL"])


def current() -> Settings | None:
    """The current request's settings, or None when the VI mode is off (or switched off)."""
    if "mentoring_vi" not in g:
        static = static_copy()
        if not panel_enabled():
            g.mentoring_vi = None
        elif static is not None:
            g.mentoring_vi = STATIC_VARIANTS.get(static)
        else:
            g.mentoring_vi = parse(request.cookies.get(COOKIE))
    return g.mentoring_vi


def safe_next(target: str | None) -> str:
    """A local address inside the section to go back to; the settings page otherwise."""
    fallback = url_for("mentoring.accessibility")
    if not target or len(target) > 2000 or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    section = request.script_root + current_app.config["MENTORING_URL_PREFIX"] + "/"
    if parts.scheme or parts.netloc or not parts.path.startswith(section):
        return fallback
    return target


def _here() -> str:
    """The current page's address (path and query), for «next»."""
    qs = request.query_string.decode("latin-1")
    return request.script_root + request.path + (f"?{qs}" if qs else "")


def form_token() -> str:
    """The token the panel's and the settings page's forms carry: signed with SECRET_KEY,
    the same on every page (no session, no cookie, cached pages stay valid). Without a
    SECRET_KEY only the Origin check protects the form."""
    return _signed(current_app.secret_key or "mentoring-vi-without-secret-key")


@functools.lru_cache(maxsize=8)
def _signed(key: str | bytes) -> str:
    """The same for every page under one key: signed once, not per page."""
    return URLSafeSerializer(key, salt=_TOKEN_SALT).dumps("vi")


def _from_this_site() -> bool:
    """The POST came from one of our pages: its token, and no other site's Origin."""
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        return False
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    token = request.form.get(TOKEN)
    return isinstance(token, str) and hmac.compare_digest(token, form_token())


@bp.app_template_global("mentoring_images_hidden")
def images_hidden() -> bool:
    """Show the alternative text instead of the picture (``_macros.image``, Markdown).

    Only on the public pages: API answers, feeds and the admin never vary with the cookie.
    """
    if not has_request_context() or request.blueprint != bp.name:
        return False
    settings = current()
    return settings is not None and settings.images == "off"


@bp.context_processor
def _vi_context() -> dict:
    enabled = panel_enabled()
    static = enabled and static_copy() is not None
    return {
        "mentoring_vi_enabled": enabled,
        "mentoring_vi_static": static_link if static else None,
        "mentoring_vi_static_choices": STATIC_CHOICES,
        "mentoring_vi": current() if enabled else None,
        "mentoring_vi_labels": LABELS,
        "mentoring_vi_here": _here,
        "mentoring_vi_token": form_token,
    }


@bp.before_request
def _known_static_variant():
    """The static copy asks only for the variants it has (a folder per variant)."""
    static = static_copy()
    if static and (static not in STATIC_VARIANTS or not panel_enabled()):
        abort(404)


@bp.after_request
def _vary_on_cookie(response: Response) -> Response:
    """Only a VI visitor's answer depends on the cookie (it is also ``private``: see
    ``cache.responses``); an ordinary page stays one copy for every shared cache, which is
    told to pass VI visitors by (the nginx recipe: ``proxy_cache_bypass $cookie_mentoring_vi``)."""
    if current() is not None:
        response.vary.add("Cookie")
    return response


@bp.get("/dlya-slabovidyashchih/")
def accessibility():
    if not panel_enabled():
        abort(404)
    return _settings_page(current() or Settings(), request.args.get("next"))


def _settings_page(form: Settings, target: str | None, *, message: str | None = None,
                   reset: bool = False, status: int = 200):
    response = current_app.make_response((render_template(
        "mentoring/accessibility.html", form=form, next_url=safe_next(target),
        message=message, offer_reset=reset), status))
    if message:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/dlya-slabovidyashchih/primenit", methods=["GET", "POST"])
def accessibility_apply():
    """Store the chosen settings (or forget them with ``reset``) and go back.

    Only a POST from our own page changes anything; a GET (an old link) or a forged POST
    shows the settings page with the choices it asked for, to be applied by the visitor."""
    if not panel_enabled():
        abort(404)
    values = request.form if request.method == "POST" else request.args
    reset = bool(values.get("reset"))
    if request.method != "POST" or not _from_this_site():
        proposed = (current() or Settings()).merged(values)
        return _settings_page(proposed, values.get("next"), message=NOT_APPLIED, reset=reset,
                              status=200 if request.method == "GET" else 403)
    response = redirect(safe_next(values.get("next")), code=303)
    response.headers["Cache-Control"] = "no-store"
    path = request.script_root + current_app.config["MENTORING_URL_PREFIX"] + "/"
    if reset:
        response.delete_cookie(COOKIE, path=path)
        return response
    settings = (current() or Settings()).merged(values)
    response.set_cookie(
        COOKIE, settings.to_cookie(), max_age=COOKIE_MAX_AGE, path=path,
        secure=request.is_secure, httponly=True, samesite="Lax",
    )
    return response
