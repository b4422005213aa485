"""Themes: a folder of templates and static files that changes the section's look.

Template search order: the host app's own ``templates/`` (Flask searches the app first),
then the theme's ``templates/``, then the theme it extends (``theme.toml``:
``extends = "default"``), then our defaults; static files likewise. So a host overrides
any page by placing ``templates/mentoring/<name>``, and a theme ships only what differs:
the theme «contrast» is default's layout plus a ``theme.css`` that recolours its palette.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, TemplateNotFound

from .compat import tomllib
from .config import ConfigError

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
PACKAGE_STATIC = Path(__file__).parent / "static" / "mentoring"


MAX_DEPTH = 4  # a theme, its parent, ...: a longer chain is surely a mistake


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    parent: Theme | None = None

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def static(self) -> Path:
        return self.folder / "static"

    @property
    def chain(self) -> list[Theme]:
        """This theme, then the one it extends, and so on."""
        out: list[Theme] = []
        theme: Theme | None = self
        while theme is not None:
            out.append(theme)
            theme = theme.parent
        return out


def shipped_themes_folder() -> Path:
    return Path(str(resources.files("mentoring_site.themes")))


def _folder(value: str) -> Path:
    if "/" in value or "\\" in value:
        return Path(value)
    return shipped_themes_folder() / value


def load_theme(value: str, *, _seen: tuple[Path, ...] = ()) -> Theme:
    """A shipped theme by name, or a host's own theme folder by path."""
    folder = _folder(value)
    if not (folder / "templates").is_dir() and not (folder / "static").is_dir():
        shipped = sorted(
            p.name for p in shipped_themes_folder().iterdir() if (p / "static").is_dir()
        )
        raise ConfigError(
            f"MENTORING_THEME: тема {value!r} не найдена (папка {folder} без templates/ и "
            f"static/). Поставляемые темы: {', '.join(shipped)}"
        )
    parent = None
    settings = folder / "theme.toml"
    if settings.is_file():
        try:
            extends = tomllib.loads(settings.read_text(encoding="utf-8")).get("extends")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"MENTORING_THEME: {settings} не читается: {exc}") from exc
        if extends is not None:
            if not isinstance(extends, str) or not extends.strip():
                raise ConfigError(f"MENTORING_THEME: в {settings} extends должно быть "
                                  "названием темы или путём к её папке")
            seen = (*_seen, folder.resolve())
            if _folder(extends).resolve() in seen or len(seen) >= MAX_DEPTH:
                raise ConfigError(f"MENTORING_THEME: темы расширяют друг друга по кругу "
                                  f"или слишком длинной цепочкой ({settings})")
            parent = load_theme(extends, _seen=seen)
    return Theme(name=folder.name, folder=folder, parent=parent)


class ThemeLoader(BaseLoader):
    """Looks a template up in the current app's theme, then in our defaults."""

    def __init__(self) -> None:
        self._defaults = FileSystemLoader(str(PACKAGE_TEMPLATES))
        self._by_folder: dict[Path, ChoiceLoader] = {}  # by the theme's own folder

    def _loader(self, environment) -> BaseLoader:
        state = environment.app.extensions.get("mentoring")
        if state is None:
            return self._defaults
        theme = state.theme
        loader = self._by_folder.get(theme.folder)
        if loader is None:
            loader = ChoiceLoader([*(FileSystemLoader(str(t.templates)) for t in theme.chain),
                                   self._defaults])
            self._by_folder[theme.folder] = loader
        return loader

    def get_source(self, environment, template):
        if not template.startswith("mentoring/"):
            raise TemplateNotFound(template)
        return self._loader(environment).get_source(environment, template)

    def list_templates(self):
        return self._defaults.list_templates()


def _static_folders(theme: Theme) -> list[Path]:
    return [*(t.static for t in theme.chain), PACKAGE_STATIC]


def _static_file(theme: Theme, filename: str) -> Path | None:
    for folder in _static_folders(theme):
        path = folder / filename
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str, *, optional: bool = False) -> str | None:
    """The address of a theme's static file with its content hash in the query.

    Stylesheets are cached for a week; a changed file gets a new address, so a visitor
    never sees new pages with an old stylesheet. ``optional``: None when no theme in the
    chain ships the file (a theme's extra ``theme.css``).
    """
    from flask import current_app, url_for

    path = _static_file(current_app.extensions["mentoring"].theme, filename)
    if path is None and optional:
        return None
    version = None
    if path is not None:
        stat = path.stat()
        version = _digest(path, stat.st_mtime_ns, stat.st_size)
        current_app.extensions["mentoring"].linked_static[path] = None
    return url_for("mentoring.static", filename=filename, v=version)


def linked_files_stamp(linked: dict[Path, None]) -> str:
    """What the hashed addresses in a page depend on: the linked files' sizes and change
    times (a few ``stat`` calls). Part of the response cache's key, so a stylesheet changed
    on disk is linked by its new address at once, as without the cache."""
    parts = []
    for path in list(linked):
        try:
            stat = path.stat()
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{stat.st_mtime_ns:x}.{stat.st_size:x}")
    return ",".join(parts)


#: A static file asked for by its content hash (``?v=``, see ``static_url``) never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Without the hash (an old page, a host's own link): a week, as before.
UNVERSIONED_MAX_AGE = 7 * 24 * 3600


def send_static(filename: str):
    """Serve a static file of the current theme, falling back to our defaults. Asked for
    with its current content hash, it is ``immutable`` for a year: a changed file gets a
    new address. No cookie is read, so no ``Vary: Cookie`` either."""
    from flask import current_app, request, send_from_directory
    from werkzeug.exceptions import NotFound
    from werkzeug.security import safe_join

    theme = current_app.extensions["mentoring"].theme
    for folder in _static_folders(theme):
        try:
            response = send_from_directory(folder, filename, max_age=UNVERSIONED_MAX_AGE)
        except NotFound:
            continue
        asked = request.args.get("v")
        if asked and response.status_code in (200, 304):
            path = Path(safe_join(str(folder), filename) or "")
            stat = path.stat()
            if asked == _digest(path, stat.st_mtime_ns, stat.st_size):
                response.headers["Cache-Control"] = IMMUTABLE
                response.expires = None
        return response
    raise NotFound()
