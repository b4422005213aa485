"""The OpenAPI 3.1 description of the JSON API: paths and parameters here, schemas generated.

Served at ``api/v1/openapi.json``. Every schema under ``components`` is generated from the
pydantic models of ``mentoring_site.contract``, the same models the answers are built from,
so the document cannot drift from the answers; the tests validate it with
openapi-spec-validator and run schemathesis against the live API with it.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from .. import contract
from ..models import NewsKind, ProgramStatus
from .http import MAX_PAGE, MAX_PER_PAGE

S = dict[str, Any]
STR: S = {"type": "string"}
REF = "#/components/schemas/{model}"


class _Schema(GenerateJsonSchema):
    """OpenAPI 3.1's way: no titles, Russian descriptions, ``type: [..., "null"]``."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def model_schema(self, schema):
        json = super().model_schema(schema)
        json.pop("title", None)
        json.pop("description", None)  # the docstring, in English
        if schema["cls"].description:
            json["description"] = schema["cls"].description
        return json

    def nullable_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if "$ref" in inner:
            return {"oneOf": [inner, {"type": "null"}]}
        return {**inner, "type": [inner["type"], "null"]}


def _inline(node: Any, defs: dict[str, Any], published: set[str]) -> Any:
    """Write models that are not published components in place of their ``$ref``."""
    if isinstance(node, list):
        return [_inline(x, defs, published) for x in node]
    if not isinstance(node, dict):
        return node

    def target(ref_node: Any) -> str | None:
        if isinstance(ref_node, dict) and "$ref" in ref_node:
            name = ref_node["$ref"].rsplit("/", 1)[-1]
            return None if name in published else name
        return None

    name = target(node)
    if name is not None:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**_inline(defs[name], defs, published), **rest}
    options = node.get("oneOf")
    if isinstance(options, list) and len(options) == 2 and options[1] == {"type": "null"}:
        name = target(options[0])
        if name is not None:
            inner = _inline(defs[name], defs, published)
            rest = {k: v for k, v in node.items() if k != "oneOf"}
            return {**inner, "type": [inner["type"], "null"], **rest}
    return {k: _inline(v, defs, published) for k, v in node.items()}


@functools.cache
def components(models: tuple[type[contract.Contract], ...] = contract.PUBLISHED) -> S:
    """``components.schemas``: the JSON Schema of the contract's models, nothing else.

    Published models are named schemas; the others (labels, the curator, the figures…)
    are written inline where they are used, as the document always had them. Cached: the
    same, never mutated, mapping for every request of the document.
    """
    _, top = models_json_schema([(m, "serialization") for m in models], ref_template=REF,
                                schema_generator=_Schema)
    defs = top["$defs"]
    published = {m.__name__ for m in models}
    return {m.__name__: _inline(defs[m.__name__], defs, published) for m in models}


def _ref(model: type[contract.Contract]) -> S:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


COLLECTIONS: list[tuple[str, str, type[contract.Page], str]] = [
    ("/documents", "documents", contract.DocumentPage, "Нормативная база"),
    ("/materials", "materials", contract.MaterialPage, "Методические материалы"),
    ("/programs", "programs", contract.ProgramPage, "Программы наставничества"),
    ("/mentors", "mentors", contract.PersonPage, "База наставников"),
    ("/mentees", "mentees", contract.PersonPage, "База наставляемых"),
    ("/cases", "cases", contract.CasePage, "Лучшие практики"),
    ("/honors", "honors", contract.HonorPage, "Наши наставники"),
    ("/news", "news", contract.NewsItemPage, "Новости и анонсы"),
]
FILTERS: dict[str, list[S]] = {
    "documents": [{"name": "in_force", "in": "query", "description": "false — утратившие силу",
                   "schema": {"type": "string", "enum": ["true", "false"]}}],
    "programs": [{"name": "status", "in": "query",
                  "schema": {"type": "string", "enum": [s.value for s in ProgramStatus]}}],
    "news": [{"name": "kind", "in": "query",
              "schema": {"type": "string", "enum": [k.value for k in NewsKind]}}],
}
PAGING: list[S] = [
    {"name": "page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
]
VALIDATORS: S = {
    "ETag": {"schema": STR, "description": "Хеш ответа; If-None-Match → 304"},
    "Last-Modified": {"schema": STR, "description": "Последнее изменение раздела"},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _ok(schema: S, description: str) -> S:
    return {
        "200": {"description": description, "headers": VALIDATORS,
                "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Не изменилось с прошлого запроса (If-None-Match / "
                               "If-Modified-Since)"},
    }


def _get(op_id: str, summary: str, schema: S, params: list[S] | None = None,
         bad_request: bool = False) -> S:
    responses = _ok(schema, summary)
    if bad_request:
        responses["400"] = {"description": "Неверный параметр",
                            "content": {"application/json": {"schema": _ref(contract.Error)}}}
    op: S = {"operationId": op_id, "summary": summary, "responses": responses}
    if params:
        op["parameters"] = params
    return {"get": op}


def document(server: str) -> S:
    """The whole description, its server being this section's ``…/api/v1``."""
    paths: S = {
        "/": _get("index", "Оглавление", _ref(contract.Index)),
        "/summary": _get("summary", "Сводка: школа, куратор, числа", _ref(contract.Summary)),
    }
    for path, op_id, page, title in COLLECTIONS:
        paths[path] = _get(op_id, title, _ref(page),
                           PAGING + FILTERS.get(op_id, []), bad_request=True)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Наставничество: открытые данные раздела",
            "version": "1.0.0",
            "description": "Только то, что показывают страницы раздела: сведения о людях — "
                           "только при действующем согласии и только разрешённые.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": components()},
    }
