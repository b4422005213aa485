"""Open data of the section: the JSON API ``api/v1/``, Atom feeds, a calendar, the sitemap
and a widget for other sites.

For the municipal office (МКУ «Управление образования»), which links to every school's
section and builds a registry of mentors from them, and for anyone who follows a school.
Registered under the same ``MENTORING_URL_PREFIX`` as the pages; endpoints are
``mentoring_api.*``. Nothing here queries on its own: all reads go through the public
read model (the ``queries`` package), so no answer shows more than a page.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import DBAPIError
from werkzeug.utils import import_string

from .. import readiness
from ..security import add_security_headers
from .http import BadRequest, add_cors

blueprint = Blueprint("mentoring_api", __name__)
blueprint.after_request(add_security_headers)
blueprint.register_error_handler(DBAPIError, readiness.on_database_error)  # before upgrade
blueprint.after_request(add_cors)


@blueprint.errorhandler(BadRequest)
def _bad_request(error: BadRequest) -> tuple[Response, int]:
    from ..contract import Error

    return jsonify(Error(error=str(error)).model_dump()), 400


class LaterView:
    """A view whose module is imported at its first request (Flask's «lazily loading views»).
    The JSON API's module brings pydantic and the contract's models: about 0.2 s of a new
    worker's start, which a worker answering pages never needs."""

    def __init__(self, import_name: str) -> None:
        self.import_name = import_name
        self.__name__ = import_name.rpartition(".")[2]

    @cached_property
    def view(self) -> Any:
        return import_string(self.import_name)

    def __call__(self, **values: Any) -> Any:
        return self.view(**values)


#: The JSON API's addresses and the views of ``v1.py`` answering them (endpoint = view name).
V1 = {
    "/api/v1/": "index",
    "/api/v1/openapi.json": "openapi",
    "/api/v1/summary": "summary",
    "/api/v1/documents": "documents",
    "/api/v1/materials": "materials",
    "/api/v1/programs": "programs",
    "/api/v1/mentors": "mentors",
    "/api/v1/mentees": "mentees",
    "/api/v1/cases": "cases",
    "/api/v1/honors": "honors",
    "/api/v1/news": "news",
}
for _rule, _name in V1.items():
    blueprint.add_url_rule(_rule, _name, LaterView(f"{__name__}.v1.{_name}"), methods=["GET"])

from . import feeds, sitemap, widget  # noqa: E402,F401  (routes register on import)
