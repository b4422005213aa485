"""The curator's admin: every screen refuses anonymous users and checks the role.

The blueprint's guard runs before every view; a view then only says which role it
needs (``@requires(...)``). Every POST carries a CSRF token checked by its form.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy.exc import DBAPIError

from .. import readiness
from ..public import blueprint as _public
from ..security import add_security_headers

blueprint = Blueprint("mentoring_admin", __name__)
blueprint.jinja_loader = _public.jinja_loader  # the theme loader: admin templates are ours too
blueprint.after_request(add_security_headers)
blueprint.register_error_handler(DBAPIError, readiness.on_database_error)  # before upgrade

from . import (  # noqa: E402,F401  (routes register on import)
    account,
    archive,
    auth,
    backups,
    cases,
    catalogs,
    content,
    dashboard,
    guard,
    journal,
    league,
    monitoring,
    open_data,
    people,
    plan_templates,
    programs,
    questionnaires,
    registrations,
    reports,
    section,
    sheets,
)
