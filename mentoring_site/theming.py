"""Themes: a folder of templates and static files that changes the section's look.

Template search order: the host app's own ``templates/`` (Flask searches the app first),
then the theme's ``templates/``, then our defaults. So a host overrides any page by
placing ``templates/mentoring/<name>``, and a theme overrides only what it needs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, TemplateNotFound

from .config import ConfigError

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
PACKAGE_STATIC = Path(__file__).parent / "static" / "mentoring"


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def static(self) -> Path:
        return self.folder / "static"


def shipped_themes_folder() -> Path:
    return Path(str(resources.files("mentoring_site.themes")))


def load_theme(value: str) -> Theme:
    """A shipped theme by name, or a host's own theme folder by path."""
    if "/" in value or "\\" in value:
        folder = Path(value)
    else:
        folder = shipped_themes_folder() / value
    if not (folder / "templates").is_dir() and not (folder / "static").is_dir():
        shipped = sorted(
            p.name for p in shipped_themes_folder().iterdir() if (p / "templates").is_dir()
        )
        raise ConfigError(
            f"MENTORING_THEME: тема {value!r} не найдена (папка {folder} без templates/ и "
            f"static/). Поставляемые темы: {', '.join(shipped)}"
        )
    return Theme(name=folder.name, folder=folder)


class ThemeLoader(BaseLoader):
    """Looks a template up in the current app's theme, then in our defaults."""

    def __init__(self) -> None:
        self._defaults = FileSystemLoader(str(PACKAGE_TEMPLATES))
        self._by_folder: dict[Path, ChoiceLoader] = {}

    def _loader(self, environment) -> BaseLoader:
        state = environment.app.extensions.get("mentoring")
        if state is None:
            return self._defaults
        folder = state.theme.templates
        loader = self._by_folder.get(folder)
        if loader is None:
            loader = ChoiceLoader([FileSystemLoader(str(folder)), self._defaults])
            self._by_folder[folder] = loader
        return loader

    def get_source(self, environment, template):
        if not template.startswith("mentoring/"):
            raise TemplateNotFound(template)
        return self._loader(environment).get_source(environment, template)

    def list_templates(self):
        return self._defaults.list_templates()


def _static_file(theme: Theme, filename: str) -> Path | None:
    for folder in (theme.static, PACKAGE_STATIC):
        path = folder / filename
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """The address of a theme's static file with its content hash in the query.

    Stylesheets are cached for a week; a changed file gets a new address, so a visitor
    never sees new pages with an old stylesheet.
    """
    from flask import current_app, url_for

    path = _static_file(current_app.extensions["mentoring"].theme, filename)
    stat = path.stat() if path else None
    version = _digest(path, stat.st_mtime_ns, stat.st_size) if path else None
    return url_for("mentoring.static", filename=filename, v=version)


def send_static(filename: str):
    """Serve a static file of the current theme, falling back to our defaults."""
    from flask import current_app, send_from_directory
    from werkzeug.exceptions import NotFound

    theme = current_app.extensions["mentoring"].theme
    for folder in (theme.static, PACKAGE_STATIC):
        try:
            return send_from_directory(folder, filename, max_age=7 * 24 * 3600)
        except NotFound:
            continue
    raise NotFound()
