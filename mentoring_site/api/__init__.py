"""Open data of the section: the JSON API ``api/v1/``, Atom feeds, a calendar, the sitemap
and a widget for other sites.

For the municipal office (МКУ «Управление образования»), which links to every school's
section and builds a registry of mentors from them, and for anyone who follows a school.
Registered under the same ``MENTORING_URL_PREFIX`` as the pages; endpoints are
``mentoring_api.*``. Nothing here queries on its own: all reads go through the public
read model (the ``queries`` package), so no answer shows more than a page.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import DBAPIError

from .. import readiness
from ..contract import Error
from ..security import add_security_headers
from .http import BadRequest, add_cors

blueprint = Blueprint("mentoring_api", __name__)
blueprint.after_request(add_security_headers)
blueprint.register_error_handler(DBAPIError, readiness.on_database_error)  # before upgrade
blueprint.after_request(add_cors)


@blueprint.errorhandler(BadRequest)
def _bad_request(error: BadRequest) -> tuple[Response, int]:
    return jsonify(Error(error=str(error)).model_dump()), 400


from . import feeds, sitemap, v1, widget  # noqa: E402,F401  (routes register on import)
