"""The public section: pages every visitor may read, no JavaScript needed."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy.exc import DBAPIError

from .. import readiness
from ..config import ConfigError
from ..security import add_security_headers
from ..theming import ThemeLoader


class _ThemedBlueprint(Blueprint):
    """A blueprint whose templates come from the app's theme, then our defaults."""

    _theme_loader: ThemeLoader

    @property
    def jinja_loader(self):
        return self._theme_loader


blueprint = _ThemedBlueprint("mentoring", __name__)
blueprint._theme_loader = ThemeLoader()
blueprint.after_request(add_security_headers)
blueprint.register_error_handler(DBAPIError, readiness.on_database_error)  # before upgrade
blueprint.register_error_handler(ConfigError, readiness.on_config_error)

# Routes register on import: the pages, then the version for the visually impaired.
from . import accessibility, events, mentor_school, questionnaires, views  # noqa: E402,F401
